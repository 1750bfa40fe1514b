"""The save services verify citations and keep derived tables; a refused save changes nothing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from sources.models import Citation, CitationUse
from tests.factories import (
    ActorFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
    curator,
    editor,
)
from wiki.models import Membership, Name
from wiki.services import page_lock, page_publish, page_save, relation_save

pytestmark = pytest.mark.django_db


def uses_of(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return list(
        CitationUse.objects.filter(content_type=content_type, object_id=obj.pk)
        .order_by("position")
        .values_list("citation__quote", flat=True)
    )


def test_page_save_anchors_typed_quotes_to_the_passage_as_it_stands():
    SourceFactory(key="ric")
    actor = ActorFactory()
    # Typed with a straight apostrophe and odd spacing; the source has a curly one.
    page_save(page=actor, body='He led Jamiat. [@ric "Ahmad Shah Mas\'ud,  head"]', user=None)
    citation = Citation.objects.get()
    assert citation.quote == "Ahmad Shah Mas’ud, head"
    assert citation.source.text[citation.start : citation.end] == citation.quote
    assert uses_of(actor) == ["Ahmad Shah Mas’ud, head"]


def test_page_save_reuses_an_identical_citation():
    SourceFactory(key="ric")
    first, second = ActorFactory(), ActorFactory()
    body = 'A sentence. [@ric "led by President Najibullah"]'
    page_save(page=first, body=body, user=None)
    page_save(page=second, body=body, user=None)
    assert Citation.objects.count() == 1


def test_a_missing_quote_is_refused_naming_key_quote_and_closest_passage():
    SourceFactory(key="ric")
    actor = ActorFactory(body="Old body.")
    with pytest.raises(ValidationError) as raised:
        page_save(page=actor, body='X. [@ric "President Najibulla of Kabul"]', user=None)
    message = raised.value.messages[0]
    assert "ric" in message and "President Najibulla of Kabul" in message
    assert "Closest passage" in message and "Najibullah" in message


def test_an_unknown_source_key_is_refused_by_name():
    actor = ActorFactory()
    with pytest.raises(ValidationError) as raised:
        page_save(page=actor, body='X. [@nowhere "anything"]', user=None)
    assert "nowhere" in raised.value.messages[0]


def test_a_refused_save_changes_nothing():
    SourceFactory(key="ric")
    actor = ActorFactory(body="Old body.")
    page_save(
        page=actor, body='Good. [@ric "led by President Najibullah"]', user=None, tags=["kept"]
    )
    history_before = actor.history.count()
    citations_before = Citation.objects.count()
    with pytest.raises(ValidationError):
        page_save(page=actor, body='Bad. [@ric "not in the text"]', user=None, tags=["lost"])
    actor.refresh_from_db()
    assert actor.body == 'Good. [@ric "led by President Najibullah"]'
    assert actor.history.count() == history_before
    assert Citation.objects.count() == citations_before
    assert list(actor.tags.names()) == ["kept"]
    assert uses_of(actor) == ["led by President Najibullah"]


def test_page_save_indexes_title_and_aliases():
    actor = ActorFactory(title="Ahmad Shah Massoud", aliases="Ahmad Shah Mas'ud\nMassoud")
    page_save(page=actor, user=None)
    assert Name.objects.get(normalised="ahmad shah masud").entry == actor
    assert Name.objects.filter(normalised="massoud", is_title=False).exists()
    actor.aliases = "Masood"
    page_save(page=actor, user=None)
    assert not Name.objects.filter(normalised="massoud").exists()
    assert Name.objects.filter(normalised="masood").exists()


def test_relation_save_requires_at_least_one_citation():
    membership = MembershipFactory.build(
        actor=ActorFactory(), faction=FactionFactory(), evidence=""
    )
    with pytest.raises(ValidationError):
        relation_save(relation=membership, user=None)
    assert Membership.objects.count() == 0


def test_relation_save_records_its_citations():
    SourceFactory(key="ric")
    membership = MembershipFactory.build(
        actor=ActorFactory(),
        faction=FactionFactory(),
        evidence='[@ric "head of the Jamiat-e Islami Party"] [@ric "General Abdul Rashid Dostum"]',
    )
    relation_save(relation=membership, user=None)
    assert uses_of(membership) == [
        "head of the Jamiat-e Islami Party",
        "General Abdul Rashid Dostum",
    ]


def test_relation_with_a_quote_not_in_the_source_is_refused():
    SourceFactory(key="ric")
    membership = MembershipFactory.build(
        actor=ActorFactory(), faction=FactionFactory(), evidence='[@ric "leader of the Taliban"]'
    )
    with pytest.raises(ValidationError) as raised:
        relation_save(relation=membership, user=None)
    assert "leader of the Taliban" in raised.value.messages[0]
    assert Membership.objects.count() == 0


def test_a_fully_sourced_page_with_public_sources_can_be_published():
    from wiki.services import page_publish

    SourceFactory(key="ric")
    actor = page_save(
        page=ActorFactory(is_public=False),
        body='A. [@ric "led by President Najibullah"]',
        user=None,
    )
    page_publish(page=actor, user=None)
    actor.refresh_from_db()
    assert actor.is_public
    assert actor.history.first().history_change_reason == "Published"


@pytest.mark.parametrize(
    ("body", "source_public", "blocker"),
    [
        ('Sourced. [@ric "led by President Najibullah"] Unsourced.', True, "no citation"),
        ('Sourced. [@ric "led by President Najibullah"]', False, "not published"),
        ("Sourced by the whole document only. [@ric]", True, "names the whole document"),
    ],
)
def test_publishing_is_refused_with_what_blocks_it(body, source_public, blocker):
    from wiki.services import page_publish

    SourceFactory(key="ric", is_public=source_public)
    actor = page_save(page=ActorFactory(is_public=False), body=body, user=None)
    with pytest.raises(ValidationError) as raised:
        page_publish(page=actor, user=None)
    assert any(blocker in message for message in raised.value.messages)
    actor.refresh_from_db()
    assert not actor.is_public


def test_publishing_is_refused_while_a_cited_passage_is_orphaned():
    from sources.services import source_save
    from wiki.services import page_publish

    source = SourceFactory(key="ric")
    actor = page_save(
        page=ActorFactory(is_public=False),
        body='A. [@ric "led by President Najibullah"]',
        user=None,
    )
    source.text = "Rewritten."
    source_save(source=source, user=None)
    with pytest.raises(ValidationError) as raised:
        page_publish(page=actor, user=None)
    assert "no longer in its text" in " ".join(raised.value.messages)


def test_a_publish_refusal_lists_every_blocker_at_once_and_changes_nothing():
    from sources.services import source_save
    from wiki.services import page_publish

    moved = SourceFactory(key="ric")
    SourceFactory(key="private", is_public=False)
    body = (
        'Moved. [@ric "led by President Najibullah"] '
        'Private. [@private "General Abdul Rashid Dostum"] Unsourced.'
    )
    actor = page_save(page=ActorFactory(is_public=False), body=body, user=None)
    moved.text = "Rewritten."
    source_save(source=moved, user=None)
    revisions = actor.history.count()
    with pytest.raises(ValidationError) as raised:
        page_publish(page=actor, user=None)
    assert raised.value.messages == [
        "This page cannot be published yet.",
        "1 statement(s) have no citation (66 % sourced).",
        "A cited passage of “ric” is no longer in its text.",
        "The cited source “private” is not published.",
    ]
    actor.refresh_from_db()
    assert not actor.is_public and actor.history.count() == revisions


# ---------------------------------------------------------------------------------------------
# A curator's action changes only its flag, on the page as it stands

PASSAGE = '[@ric "the Northern Alliance was established"]'
SOURCED_BODY = f"First. {PASSAGE}\n\nSecond. {PASSAGE}\n"
EDITED_BODY = SOURCED_BODY.replace("Second.", "Second, edited.")


def loaded(page):
    """The page as a request that loaded it now holds it."""
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def sourced_page():
    SourceFactory(key="ric")
    return page_save(page=ActorFactory(is_public=False), body=SOURCED_BODY, user=None)


@pytest.mark.parametrize(
    "act",
    [
        lambda page, who: page_publish(page=page, user=who),
        lambda page, who: page_lock(page=page, user=who, reason="Under review"),
    ],
    ids=["publish", "lock"],
)
def test_a_curators_action_on_a_page_loaded_before_an_edit_keeps_the_edit(sourced_page, act):
    seen_by_curator = loaded(sourced_page)
    page_save(page=loaded(sourced_page), body=EDITED_BODY, user=editor())
    before = sourced_page.history.count()
    act(seen_by_curator, curator())
    page = loaded(sourced_page)
    assert page.body == EDITED_BODY
    assert page.is_public or page.is_locked
    assert sourced_page.history.count() == before + 1
    assert sourced_page.history.first().body == EDITED_BODY


def test_unpublishing_and_unlocking_change_only_their_flags(sourced_page):
    page_publish(page=loaded(sourced_page), user=curator())
    page_lock(page=loaded(sourced_page), user=curator(), reason="Under review")
    publisher, locker = loaded(sourced_page), loaded(sourced_page)
    page_save(page=loaded(sourced_page), body=EDITED_BODY, user=curator(), tags=["edited"])
    page_publish(page=publisher, user=curator(), publish=False)
    page_lock(page=locker, user=curator(), locked=False)
    page = loaded(sourced_page)
    assert (page.body, page.tag_list) == (EDITED_BODY, "edited")
    assert (page.is_public, page.is_locked, page.lock_reason) == (False, False, "")
    reasons = [row.history_change_reason for row in sourced_page.history.all()[:2]]
    assert reasons == ["Unlocked", "Unpublished"]


def test_an_action_that_changes_nothing_writes_no_revision(sourced_page):
    page_publish(page=loaded(sourced_page), user=curator())
    before = sourced_page.history.count()
    page_publish(page=loaded(sourced_page), user=curator())
    assert sourced_page.history.count() == before


def test_publishing_checks_the_page_as_it_stands(sourced_page):
    stale = loaded(sourced_page)  # fully sourced when loaded
    page_save(page=loaded(sourced_page), body=SOURCED_BODY + "\nUnsourced.\n", user=None)
    with pytest.raises(ValidationError, match="no citation"):
        page_publish(page=stale, user=curator())
    assert not loaded(sourced_page).is_public


def test_an_edit_started_before_a_publication_does_not_unpublish_the_page(sourced_page):
    mine, base = loaded(sourced_page), sourced_page.history.first().history_id
    page_publish(page=loaded(sourced_page), user=curator())
    page_lock(page=loaded(sourced_page), user=curator(), reason="Checked")
    page_save(page=mine, body=EDITED_BODY, user=curator(), base_revision=base)
    page = loaded(sourced_page)
    assert (page.body, page.is_public, page.is_locked, page.lock_reason) == (
        EDITED_BODY,
        True,
        True,
        "Checked",
    )


def test_a_save_carrying_some_fields_takes_the_others_as_they_stand(sourced_page):
    mine = loaded(sourced_page)
    theirs = loaded(sourced_page)
    theirs.summary, theirs.is_public = "Their summary", True
    page_save(page=theirs, user=None)
    mine.title = "My title"
    page_save(page=mine, body=EDITED_BODY, user=None, fields=["title"])
    page = loaded(sourced_page)
    assert (page.title, page.summary, page.is_public, page.body) == (
        "My title",
        "Their summary",
        True,
        EDITED_BODY,
    )


# ---------------------------------------------------------------------------------------------
# Lock order: a page save and a source correction take the source first


@pytest.mark.django_db(transaction=True)
def test_a_page_save_and_a_correction_of_its_source_do_not_deadlock(postgres_only, monkeypatch):
    import threading

    from django.db import connection

    from sources.services import source_save
    from wiki.models import Actor
    from wiki.saving import pages as services

    typo, fixed = "head of the Jamiat-e Islamy Party", "head of the Jamiat-e Islami Party"
    source = SourceFactory(key="ric", text=f"Ahmad Shah Mas’ud, {typo}; and others.")
    body = f'He led it. [@ric "{typo}"]\n'
    page = page_save(page=ActorFactory(), body=body, user=None)
    saving, outcomes = threading.Event(), {}
    real_resolve = services.citations_resolve

    def resolve_slowly(refs):
        # The editor's save has what it locks before resolving; the correction starts now.
        if threading.current_thread().name == "editor":
            saving.set()
            threading.Event().wait(1.0)
        return real_resolve(refs)

    monkeypatch.setattr(services, "citations_resolve", resolve_slowly)

    def edit():
        try:
            mine = Actor.objects.get(pk=page.pk)
            page_save(page=mine, body=body + "\nMore. [@ric]\n", user=None)
            outcomes["editor"] = "saved"
        except Exception as error:  # noqa: BLE001 - the outcome is the test
            outcomes["editor"] = repr(error)
        finally:
            connection.close()

    def correct():
        try:
            assert saving.wait(10)
            corrected = type(source).objects.get(pk=source.pk)
            corrected.text = corrected.text.replace(typo, fixed)
            source_save(source=corrected, user=None, change_reason="Typo")
            outcomes["corrector"] = "saved"
        except Exception as error:  # noqa: BLE001
            outcomes["corrector"] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, name="editor"), threading.Thread(target=correct)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == {"editor": "saved", "corrector": "saved"}
    assert Actor.objects.get(pk=page.pk).body == body.replace(typo, fixed) + "\nMore. [@ric]\n"
