"""CSV per type: /export/<type>.csv for actors, factions, events, sources and relations.

One row per thing the reader may see, with its facts and the passages they stand on (for the
public, a protected source's passage is only "withheld" and its grade), streamed a chunk at a time.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sources.common.permissions import is_team
from wiki.api import visibility
from wiki.exports.passages import as_text, claims_by_object, uses_by_object
from wiki.exports.streaming import csv_lines, in_chunks
from wiki.models import ENTRY_MODEL_BY_SEGMENT, FactionRelation, Membership, Participation

ENTRY_COLUMNS = ["type", "slug", "title", "aliases", "summary"]
ENTRY_TAIL = ["tags", "published", "updated", "url", "facts", "passages"]
# The facts of each type, as its columns (the values derived from the entry's claims).
TYPE_COLUMNS = {
    "actors": ["born", "died"],
    "factions": ["founded", "dissolved"],
    "events": ["kind", "start", "end", "place", "latitude", "longitude", "fatalities"],
}
SOURCE_COLUMNS = [
    "key",
    "title",
    "kind",
    "authors",
    "publisher",
    "published",
    "url",
    "document_symbol",
    "accessed",
    "language",
    "reliability",
    "tags",
    "status",
    "page",
]
RELATION_COLUMNS = [
    "type",
    "id",
    "from",
    "relation",
    "to",
    "start",
    "end",
    "rank",
    "rank_reason",
    "updated",
    "passages",
]


@dataclass(frozen=True)
class Table:
    """One CSV export: its heading and the lines it streams for a reader."""

    name: str
    description: str
    lines: Callable[..., Iterator[str]]


def _passages(uses, user) -> str:
    return "\n".join(as_text(use.citation, user) for use in uses)


def _fact(claim, user) -> str:
    cited = "; ".join(as_text(use.citation, user) for use in claim.uses) or "unsourced"
    rank = "" if claim.rank == claim.Rank.NORMAL else f" ({claim.rank})"
    return f"{claim.label}: {claim.value}{rank} — {cited}"


def entry_lines(segment: str, user, absolute) -> Iterator[str]:
    """Actors, factions or events the reader may see, with their facts and passages."""
    model = ENTRY_MODEL_BY_SEGMENT[segment]
    facts = TYPE_COLUMNS[segment]
    loaded = {}

    def load(chunk):
        loaded["uses"] = uses_by_object(model, chunk, user)
        loaded["claims"] = claims_by_object(model, chunk, user)

    entries = visibility.entries(model, user).defer("body").prefetch_related("tags")
    rows = (
        [
            model._meta.model_name,
            entry.slug,
            entry.title,
            "; ".join(entry.alias_list),
            entry.summary,
            *[getattr(entry, name) for name in facts],
            ", ".join(tag.name for tag in entry.tags.all()),
            "yes" if entry.is_public else "no",
            entry.updated_at.isoformat(),
            absolute(entry.get_absolute_url()),
            "\n".join(_fact(claim, user) for claim in loaded["claims"][entry.pk]),
            _passages(loaded["uses"][entry.pk], user),
        ]
        for entry in in_chunks(entries.order_by("pk"), load)
    )
    return csv_lines([*ENTRY_COLUMNS, *facts, *ENTRY_TAIL], rows)


def _status(source) -> str:
    return "published" if source.is_public else "protected" if source.is_protected else "draft"


def source_lines(user, absolute) -> Iterator[str]:
    """The sources the reader may see (the public: published ones; never a protected one)."""
    sources = visibility.sources(user).defer("text", "notes", "page_starts")
    rows = (
        [
            source.key,
            source.title,
            source.kind,
            source.authors,
            source.publisher,
            source.published,
            source.url,
            source.document_symbol,
            source.accessed.isoformat() if source.accessed else "",
            source.language,
            source.reliability,
            ", ".join(tag.name for tag in source.tags.all()),
            _status(source),
            absolute(source.get_absolute_url()),
        ]
        for source in in_chunks(sources.prefetch_related("tags").order_by("pk"), _nothing)
    )
    return csv_lines(SOURCE_COLUMNS, rows)


def _nothing(chunk) -> None:
    """A chunk that needs nothing more than its own query (and its prefetches)."""


def _what(relation) -> str:
    if isinstance(relation, FactionRelation):
        return relation.kind
    return relation.role


def _ends(relation) -> tuple:
    if isinstance(relation, Participation):
        return relation.participant, relation.event
    return relation.ends[0], relation.ends[1]


def _relation_rows(model, user, absolute) -> Iterator[list]:
    loaded = {}

    def load(chunk):
        loaded["uses"] = uses_by_object(model, chunk, user)

    for relation in in_chunks(visibility.relations(model, user).order_by("pk"), load):
        start, end = _ends(relation)
        yield [
            model._meta.model_name,
            relation.pk,
            absolute(start.get_absolute_url()),
            _what(relation),
            absolute(end.get_absolute_url()),
            relation.start,
            relation.end,
            relation.rank,
            relation.rank_reason,
            relation.updated_at.isoformat(),
            _passages(loaded["uses"][relation.pk], user),
        ]


def relation_lines(user, absolute) -> Iterator[str]:
    """Memberships, faction relations and participations whose ends the reader may see."""

    def rows():
        for model in (Membership, FactionRelation, Participation):
            yield from _relation_rows(model, user, absolute)

    return csv_lines(RELATION_COLUMNS, rows())


def _entries(segment):
    return lambda user, absolute: entry_lines(segment, user, absolute)


TABLES = {
    "actors": Table("Actors", "every person: names, dates, facts and passages", _entries("actors")),
    "factions": Table(
        "Factions",
        "every party, militia or alliance: names, founding, dissolution, facts and passages",
        _entries("factions"),
    ),
    "events": Table(
        "Events",
        "every event: kind, dates, place, fatalities, facts and passages",
        _entries("events"),
    ),
    "sources": Table(
        "Sources", "the documents: bibliographic metadata and reliability", source_lines
    ),
    "relations": Table(
        "Relations",
        "memberships, faction relations and participations, dated, with their passages",
        relation_lines,
    ),
}


def team_note(user) -> str:
    """What the reader's export holds, in a sentence for the index page."""
    if is_team(user):
        return "You are on the team: the exports hold drafts and protected sources too."
    return "Published pages and public sources; a protected source is only “withheld”."
