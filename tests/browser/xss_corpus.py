"""A wiki whose every user-typed field holds known cross-site scripting payloads.

Everything is saved through the services, as real edits are, except where a validator refuses a
payload, which is itself the right answer: a username with "<" (Django's username validator), a
source URL that is not http(s) (URLField), a kind or role outside its choices. Those values are
written straight to the database, to prove that the pages stay safe even with such data. Keys,
slugs and EDTF dates accept no payload at all and are left out.

Short fields hold several payloads each ("packed"), so that a handful of page loads shows every
payload in every field; a payload longer than a field's limit is left out of that field only.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import Group, User

from sources.citations.syntax import CitationRef, format_ref
from sources.models import Citation, Source
from sources.services import source_save
from tests.factories import SAMPLE_TEXT
from wiki.models import Actor, Event, Faction, FactionRelation, Membership, Participation
from wiki.services import page_save, relation_save

PAYLOADS = [
    line
    for line in Path(__file__).with_name("xss_payloads.txt").read_text("utf-8").splitlines()
    if line and not line.startswith("# ")
]
KEY = "xss-corpus"  # the source whose text holds every payload, so citations can quote them
PASSWORD = "correct horse battery staple"


def packed(limit: int, *, allowed=lambda payload: True) -> list[str]:
    """The payloads that fit a field of `limit` characters, several to a value, in order."""
    values, current = [], ""
    for payload in PAYLOADS:
        if len(payload) > limit or not allowed(payload):
            continue
        joined = f"{current} {payload}" if current else payload
        if len(joined) <= limit:
            current = joined
        else:
            values.append(current)
            current = payload
    return [*values, current] if current else values


def tag_groups() -> list[list[str]]:
    """Every payload short enough to be a tag, in groups that one thing's tag_list can hold."""
    groups, current = [], []
    for payload in (p for p in PAYLOADS if len(p) <= 100):
        if len(", ".join([*current, payload])) > 1000:
            groups.append(current)
            current = []
        current.append(payload)
    return [*groups, current] if current else groups


def nth(values: list[str], index: int, default: str = "") -> str:
    return values[index] if index < len(values) else default


def _citable_locator(payload: str) -> bool:
    # A locator ends at a quote, ";" or "]" (citation syntax), so those payloads cannot be one.
    return not any(char in payload for char in '";]“”')


def quoted(payload: str) -> str:
    """A payload as a line of the corpus source: a passage (three words at least) around it."""
    return f"The line reads {payload} here"


def cite(quote: str, locator: str = "") -> str:
    """A citation of the corpus source quoting `quote`, written as an editor would."""
    return format_ref(CitationRef(KEY, locator, quote))


@dataclass
class Corpus:
    """What the browser sweep visits."""

    writers: list[User]
    curator: User
    main: Source
    sources: list[Source]
    actors: list[Actor]
    factions: list[Faction]
    events: list[Event]
    relations: list = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Users


def _users() -> tuple[list[User], User]:
    """Editors named by payloads (Django's username validator refuses them: set in the ORM)."""
    # Without "/": the contributions address is /users/<username>/.
    names = packed(150, allowed=lambda payload: "/" not in payload)
    people = packed(150)
    editors = Group.objects.get(name="Editors")
    writers = []
    # Enough people for every payload to be someone's first or last name (the admin shows them).
    for i in range(max(len(names) - 1, (len(people) + 1) // 2)):
        username = names[i] if i < len(names) - 1 else f"writer-{i}"
        user = User(
            username=username, first_name=nth(people, 2 * i), last_name=nth(people, 2 * i + 1)
        )
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(editors)
        writers.append(user)
    curator = User(username=names[-1], is_staff=True)
    curator.set_password(PASSWORD)
    curator.save()
    curator.groups.add(Group.objects.get(name="Curators"))
    return writers, curator


# ---------------------------------------------------------------------------------------------
# Sources


def _urls() -> list[str]:
    """Source URLs: each payload that starts with a scheme, then web addresses holding the rest."""
    schemes = [p for p in PAYLOADS if re.match(r"\s*[a-z]+:", p, re.IGNORECASE)]
    return [*schemes, *(f"https://example.org/?{value}" for value in packed(970))]


def _sources(writers) -> list[Source]:
    """The corpus source (every payload in its text and notes) and carriers of its metadata.

    The corpus source is saved twice, plainly and then with its payloads, for a diff to show.
    """
    titles, authors, publishers = packed(500), packed(500), packed(300)
    symbols, languages, urls, reasons = packed(100), packed(35), _urls(), packed(100)
    main = source_save(source=Source(key=KEY, title="Corpus", text=SAMPLE_TEXT), user=writers[0])
    main.notes = "\n".join(PAYLOADS)
    main.text = SAMPLE_TEXT + "\n\n" + "\n".join(quoted(payload) for payload in PAYLOADS)
    sources = [main]
    for i in range(1, max(len(symbols), len(languages))):
        sources.append(Source(key=f"xss-{i}", text=SAMPLE_TEXT))
    for i, source in enumerate(sources):
        source.title = nth(titles, i, f"Source {i}")
        source.authors, source.publisher = nth(authors, i), nth(publishers, i)
        source.document_symbol, source.language = nth(symbols, i), nth(languages, i, "en")
        source.is_public = True
        writer = writers[i % len(writers)]
        tags = nth(tag_groups(), i, None)
        source_save(source=source, user=writer, change_reason=nth(reasons, i), tags=tags)
        # URLField refuses most of these (rightly); planted to test the viewer's links.
        Source.objects.filter(pk=source.pk).update(url=nth(urls, i))
        source.url = nth(urls, i)
    return sources


# ---------------------------------------------------------------------------------------------
# Pages

KEY_TITLE = "Corpus page"  # an existing page, so that [[Corpus page|…]] is a blue link


def body_with_payloads() -> str:
    """A page body holding every payload as text, link target, link label, quote and locator.

    Each paragraph ends with a citation quoting its payload, so the page is fully sourced and
    can be published.
    """
    locators = [p for p in PAYLOADS if len(p) <= 100 and _citable_locator(p)]
    paragraphs = []
    for i, payload in enumerate(PAYLOADS):
        links = ""
        if "[" not in payload and "]" not in payload:
            links = f" [[{payload}]] [[{KEY_TITLE}|{payload}]]"
        paragraphs.append(
            f"{payload}{links} {cite(quoted(payload), nth(locators, i % len(locators)))}"
        )
    return "\n\n".join(paragraphs)


def _entries(model, writers, count, *, fields, tags=()) -> list:
    """`count` published entries with their payload fields; the first is saved plainly first.

    Published as they are saved: every body is fully sourced from public sources, so nothing
    would block publishing them.
    """
    reasons, entries = packed(100), []
    for i in range(count):
        entry = model(title=f"{model.__name__} {i}", slug=f"xss-{model.url_segment}-{i}")
        entry.body = f"Plain. {cite('the Northern Alliance was established')}"
        user = writers[i % len(writers)]
        if i == 0:
            entry = page_save(page=entry, user=user)
        for name, values in fields.items():
            setattr(entry, name, nth(values, i, getattr(entry, name)))
        entry.is_public = True
        entry.is_locked = bool(entry.lock_reason)
        page_save(page=entry, user=user, change_reason=nth(reasons, i), tags=nth(tags, i, None))
        entries.append(entry)
    return entries


def _pages(writers):
    titles, summaries = packed(200), packed(300)
    # Actor 0 holds every payload in its aliases and body, and stays unlocked: its relations
    # are edited in the sweep.
    actor_fields = {
        "title": titles,
        "summary": summaries,
        "lock_reason": ["", *summaries],
        "aliases": ["\n".join([KEY_TITLE, *PAYLOADS])],
        "body": [body_with_payloads()],
    }
    count = max(len(titles), len(summaries) + 1)
    actors = _entries(Actor, writers, count, fields=actor_fields, tags=tag_groups())
    # Titles of their own: the faction pages show payloads in titles as the actors' do.
    faction_titles = [f"Faction {title}" for title in packed(190)[:2]]
    factions = _entries(Faction, writers, 2, fields={"title": faction_titles})
    # Every edit summary is on an event: the events' feed shows them all on one page.
    event_fields = {"place": packed(200), "fatalities": packed(100), "summary": summaries}
    events = _entries(Event, writers, len(packed(100)), fields=event_fields)
    return actors, factions, events


def _relations(writers, actors, factions, events) -> list:
    """One of each relation, with every payload quoted (and as locator) in its evidence."""
    locators = [p for p in PAYLOADS if len(p) <= 100 and _citable_locator(p)]
    evidence = " ".join(
        cite(quoted(payload), nth(locators, i % len(locators)))
        for i, payload in enumerate(PAYLOADS)
    )
    relations = [
        Membership(actor=actors[0], faction=factions[0], role=Membership.Role.LEADER),
        FactionRelation(faction=factions[0], other=factions[1], kind=FactionRelation.Kind.RIVALRY),
        Participation(event=events[0], actor=actors[0], role=Participation.Role.PERPETRATOR),
        Participation(event=events[0], faction=factions[1], role=Participation.Role.TARGET),
    ]
    for relation in relations:
        relation.evidence = evidence
        relation_save(relation=relation, user=writers[0], change_reason=nth(packed(100), 1))
    return relations


def _plant_choices(things, name: str) -> None:
    # A field with choices refuses anything else (rightly); a payload in the database must
    # still show as text where the choice's label would.
    for thing, value in zip(things, packed(20), strict=False):
        type(thing).objects.filter(pk=thing.pk).update(**{name: value})


def corpus_build() -> Corpus:
    """Save the whole corpus, published."""
    writers, curator = _users()
    sources = _sources(writers)
    actors, factions, events = _pages(writers)
    relations = _relations(writers, actors, factions, events)
    _plant_choices(sources, "kind")
    _plant_choices(events, "kind")
    _plant_choices([r for r in relations if not isinstance(r, FactionRelation)], "role")
    _plant_choices([r for r in relations if isinstance(r, FactionRelation)], "kind")
    for thing in [*sources, *actors, *factions, *events, *relations]:
        thing.refresh_from_db()
    assert Citation.objects.filter(source=sources[0]).count() >= len(PAYLOADS)
    return Corpus(writers, curator, sources[0], sources, actors, factions, events, relations)
