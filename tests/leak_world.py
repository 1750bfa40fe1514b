"""A wiki with unpublished things planted everywhere, for the leak matrix (test_leak_matrix.py).

Everything the public must never see carries the word "leak" in some case: titles, aliases,
summaries, bodies, slugs and tags of unpublished pages, an unpublished source's title, text and
metadata, a published source's internal notes, lock reasons, edit summaries, and the names and
e-mail addresses of the people who edited. Published things carry plain names, so a response
the public gets is clean exactly when no "leak" appears in it.

A protected source carries "shieldword" in every field, in its cited passages and locator: a
published page cites it in its body and for a fact, a published relation in its evidence, each
passage graded. The public may learn that it exists ("withheld source") and its grade, nothing
else, so no "shieldword" may reach it either.
"""

from sources.models import Citation
from sources.services import citation_grade, source_save
from tests.factories import (
    ActorFactory,
    EventFactory,
    FactionFactory,
    FactionRelationFactory,
    MembershipFactory,
    ParticipationFactory,
    SourceFactory,
    UserFactory,
)
from wiki.models import Claim, Membership
from wiki.services import claim_save, page_delete, page_publish, page_save, relation_save

OPEN_TEXT = (
    "In 1992 the northern coalition was founded in the valley. Its first council met in Taloqan. "
    "The council chose a military commander. The commander signed a truce with the western "
    "militia. The truce broke down within a year. A second council met in Mazar. "
    "LEAK retracted sentence about the envoy. The militia later split into two wings. "
    "The Quiet Group stayed out of the truce."
)
HIDDEN_TEXT = (
    "LEAK hidden text opens here. The envoy met the commander at night in Kunduz. "
    "Open Person was there too. LEAK hidden text closes here."
)


def open_cite(quote: str) -> str:
    return f'[@open-report "{quote}"]'


HIDDEN_CITE = '[@leak-hidden-report "The envoy met the commander at night"]'

SHIELD_KEY = "shieldword-interview"
SHIELD_TEXT = (
    "Shieldword interview notes open here. Shieldword said the envoy was paid in gold. "
    "Open Person sat in on the second meeting. The Shieldword commander crossed the river "
    "with his men. The Shieldword witness was born in 1950 in the valley. Notes close here."
)


def shield_cite(quote: str, locator: str = "") -> str:
    return f'[@{SHIELD_KEY}{", " + locator if locator else ""} "{quote}"]'


def _people():
    """Who edits: their names and e-mail addresses must never reach the public."""

    def person(username, **extra):
        return UserFactory(
            username=username,
            email=f"{username}@leakmail.example",
            first_name="Leakfirst",
            last_name="Leaklast",
            **extra,
        )

    return (
        person("leak-writer", groups=["Editors"]),
        person("leak-curator", is_staff=True, groups=["Curators"]),
    )


def _sources(writer):
    public = SourceFactory(
        key="open-report", title="Open report", text=OPEN_TEXT, notes="LEAK internal notes"
    )
    source_save(source=public, user=writer, change_reason="LEAK source summary", tags=["Open tag"])
    for n in (1, 2):
        SourceFactory(key=f"open-filler-{n}", title=f"Public filler source {n}")
    hidden = SourceFactory(
        key="leak-hidden-report",
        title="LEAK hidden report",
        authors="LEAK Author",
        publisher="LEAK Publisher",
        document_symbol="LEAK-SYM-1",
        url="https://leak.example.org/report",
        text=HIDDEN_TEXT,
        notes="LEAK notes of a hidden source",
        is_public=False,
    )
    source_save(
        source=hidden, user=writer, change_reason="LEAK hidden summary", tags=["LEAK Source Tag"]
    )
    return public, hidden


def _hidden_pages(writer):
    """Unpublished pages of each type, linking to and citing what the public does see."""
    common = {"user": writer, "change_reason": "LEAK draft summary"}
    actor = page_save(
        page=ActorFactory(
            title="LEAK Hidden Actor",
            slug="leak-hidden-actor",
            aliases="LEAK Alias\nSecret Name",
            summary="LEAK actor summary",
            born="1950",
            is_public=False,
        ),
        body=(
            f"LEAK actor body about [[Open Person]]. {open_cite('The council chose a military')} "
            f"LEAK retracted claim. {open_cite('LEAK retracted sentence about the envoy')} "
            f"LEAK hidden claim. {HIDDEN_CITE} LEAK whole claim. [@open-report]"
        ),
        tags=["LEAK Entry Tag", "Shared"],
        **common,
    )
    faction = page_save(
        page=FactionFactory(
            title="LEAK Hidden Faction",
            slug="leak-hidden-faction",
            aliases="Quiet Group",
            summary="LEAK faction summary",
            founded="1990",
            is_public=False,
        ),
        body=f"LEAK faction body. {open_cite('The truce broke down within a year')}",
        tags=["LEAK Entry Tag"],
        **common,
    )
    event = page_save(
        page=EventFactory(
            title="LEAK Hidden Event",
            slug="leak-hidden-event",
            summary="LEAK event summary",
            place="LEAK Place",
            is_public=False,
        ),
        body=f"LEAK event body. {HIDDEN_CITE}",
        tags=["LEAK Entry Tag"],
        **common,
    )
    return actor, faction, event


def _published(factory, curator, writer, *, body, **fields):
    """A page drafted under an unpublished title, renamed and published by a curator."""
    title = fields.pop("title")
    page = page_save(
        page=factory(title=f"LEAK early title of {title}", is_public=False, **fields),
        body=body,
        user=writer,
        change_reason="LEAK first draft",
    )
    page.title = title
    page_save(page=page, user=writer, change_reason="LEAK rename summary")
    return page_publish(page=page, user=curator, change_reason="LEAK publish summary")


def _public_pages(curator, writer):
    person = _published(
        ActorFactory,
        curator,
        writer,
        title="Open Person",
        slug="open-person",
        summary="A public person.",
        body=(
            "Open Person led [[LEAK Hidden Faction|an armed group]]. "
            f"{open_cite('Its first council met')}\n\n"
            f"He met [[Secret Name]] in Mazar. {open_cite('A second council met in Mazar')}"
        ),
    )
    # Edited after publishing: now it also cites the unpublished source.
    page_save(
        page=person,
        body=person.body + f"\n\nHe met the envoy. {HIDDEN_CITE}",
        user=writer,
        change_reason="LEAK later summary",
        tags=["Shared"],
    )
    person.is_locked, person.lock_reason = True, "LEAK lock reason"
    page_save(page=person, user=curator, change_reason="LEAK lock summary")
    faction = _published(
        FactionFactory,
        curator,
        writer,
        title="Open Faction",
        slug="open-faction",
        body=f"A coalition. {open_cite('the northern coalition was founded')}",
    )
    event = _published(
        EventFactory,
        curator,
        writer,
        title="Open Event",
        slug="open-event",
        body=f"A truce. {open_cite('signed a truce with the western')}",
    )
    for n in (1, 2, 3):  # enough for a second and third page of a list, two to a page
        _published(
            ActorFactory,
            curator,
            writer,
            title=f"Public filler {n}",
            slug=f"open-filler-{n}",
            body=f"A filler. {open_cite('In 1992 the northern coalition')}",
        )
    return person, faction, event


def _gone_pages(curator, writer):
    """A page published then withdrawn, and one published then deleted: both hidden now."""
    body = f"LEAK gone body. {open_cite('In 1992 the northern coalition')}"
    withdrawn = _published(
        ActorFactory,
        curator,
        writer,
        title="LEAK Withdrawn Actor",
        slug="leak-withdrawn",
        body=body,
    )
    page_publish(page=withdrawn, user=curator, publish=False, change_reason="LEAK withdrawn")
    deleted = _published(
        ActorFactory, curator, writer, title="LEAK Deleted Actor", slug="leak-deleted", body=body
    )
    page_delete(page=deleted, user=curator, change_reason="LEAK delete summary")


def _protected_source(writer):
    """A protected source: "shieldword" in every field, its text naming a published page."""
    source = SourceFactory(
        key=SHIELD_KEY,
        title="Shieldword interview",
        authors="Shieldword Author",
        publisher="Shieldword Press",
        published="2001-05",
        document_symbol="SHIELDWORD-9",
        url="https://shieldword.example.org/interview",
        notes="Shieldword notes of a protected source",
        reliability="B",
        reliability_reason="Shieldword reason: an insider, checked twice",
        text=SHIELD_TEXT,
        is_public=False,
        is_protected=True,
    )
    source_save(
        source=source, user=writer, change_reason="LEAK shield summary", tags=["Shieldword Tag"]
    )
    source.notes += " (LEAK second thoughts)"
    return source_save(source=source, user=writer, change_reason="LEAK shield notes")


def _cite_protected(curator, writer, faction):
    """A published page citing the protected source in its body and for a fact, a published
    relation citing it in its evidence; every passage graded."""
    cite = shield_cite("Shieldword said the envoy was paid", "shieldword p. 9")
    witness = page_save(
        page=ActorFactory(title="Open Witness", slug="open-witness", is_public=False),
        body=f"The envoy was paid. {cite}",
        user=writer,
        change_reason="LEAK witness summary",
    )
    evidence = shield_cite("The Shieldword witness was born in 1950")
    claim_save(
        claim=Claim(subject=witness, field="born", value="1950", evidence=evidence), user=writer
    )
    witness = page_publish(page=witness, user=curator, change_reason="LEAK publish summary")
    _relate(
        MembershipFactory,
        writer,
        "",
        actor=witness,
        faction=faction,
        evidence=shield_cite("The Shieldword commander crossed the river", "shieldword para. 3"),
    )
    for citation in Citation.objects.filter(source__key=SHIELD_KEY):
        citation_grade(citation=citation, credibility=2, user=curator, change_reason="LEAK grade")
    return witness


def _relate(factory, writer, quote, **ends):
    evidence = ends.pop("evidence", open_cite(quote))
    relation = factory.build(evidence=evidence, **ends)
    return relation_save(relation=relation, user=writer, change_reason="LEAK relation summary")


def build(monkeypatch) -> dict:
    """Plant the world; returns what URLs are built from (slugs, keys, revisions, ids)."""
    # Two to a page, so that a handful of rows give the lists a second and third page.
    monkeypatch.setattr("wiki.views.pages.PER_PAGE", 2)
    monkeypatch.setattr("sources.views.read.PER_PAGE", 2)
    writer, curator = _people()
    public_source, hidden_source = _sources(writer)
    hidden_actor, hidden_faction, hidden_event = _hidden_pages(writer)
    person, faction, event = _public_pages(curator, writer)
    shield = _protected_source(writer)
    _cite_protected(curator, writer, faction)
    _gone_pages(curator, writer)
    # The public source's text changes: a passage only a hidden page cites is orphaned.
    public_source.text = OPEN_TEXT.replace("LEAK retracted sentence about the envoy. ", "")
    source_save(source=public_source, user=writer, change_reason="LEAK text summary")
    # The person's page is locked: its relations are a curator's to make.
    _relate(
        MembershipFactory,
        curator,
        "The council chose a military commander",
        actor=person,
        faction=hidden_faction,
        role=Membership.Role.LEADER,
    )
    # Between two published pages, citing a published and an unpublished source.
    _relate(
        MembershipFactory,
        curator,
        "",
        actor=person,
        faction=faction,
        evidence=f"{open_cite('Its first council met in Taloqan')} {HIDDEN_CITE}",
    )
    hidden_relation = _relate(
        FactionRelationFactory,
        writer,
        "The militia later split",
        faction=faction,
        other=hidden_faction,
    )
    _relate(
        FactionRelationFactory,
        writer,
        "The truce broke down",
        faction=hidden_faction,
        other=faction,
    )
    _relate(ParticipationFactory, writer, "The commander signed", event=event, actor=hidden_actor)
    _relate(
        ParticipationFactory,
        writer,
        "the western militia",
        event=event,
        actor=None,
        faction=hidden_faction,
    )
    _relate(ParticipationFactory, curator, "in the valley", event=hidden_event, actor=person)
    revisions = {
        "p": person,
        "f": faction,
        "e": event,
        "h": hidden_actor,
        "s": public_source,
        "hs": hidden_source,
        "xs": shield,
    }
    shield_passage = Citation.objects.filter(source=shield).order_by("pk").first()
    world = {"writer": writer.username, "hr": hidden_relation.pk, "xc": shield_passage.pk}
    for name, thing in revisions.items():  # {name}rev: the latest revision, {name}rev0: the first
        ids = list(thing.history.values_list("history_id", flat=True))
        world |= {f"{name}rev": ids[0], f"{name}rev0": ids[-1]}
    return world
