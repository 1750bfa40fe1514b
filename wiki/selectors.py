"""Reads for the wiki pages: lists, entry pages with their cited relations, tags, recent changes.

Every read takes the user and shows the public only what is published; a relation is shown only
when the entry at its other end is visible too. Each function runs a fixed number of queries.
"""

from dataclasses import dataclass, field
from heapq import merge
from itertools import islice

from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from taggit.models import Tag

from sources.common.permissions import is_team
from sources.mention_reading import entry_mentions  # noqa: F401 - for the entry page
from sources.models import CitationUse, Source
from sources.selectors import span_display
from wiki.markup.rendering import withheld_reference
from wiki.models import (
    ENTRY_MODELS,
    Actor,
    Event,
    Faction,
)

# ---------------------------------------------------------------------------------------------
# Lists

SORTS = ("title", "-updated", "date", "coverage")
# ?coverage= filters: pages with unsourced statements, or fully sourced ones.
COVERAGE_FILTERS = {"gaps": {"coverage__lt": 1.0}, "complete": {"coverage__gte": 1.0}}


def _ordering(model, sort: str):
    if sort == "-updated":
        return ("-updated_at", "pk")
    if sort == "date":
        return (F(model.date_field).asc(nulls_last=True), "title", "pk")
    if sort == "coverage":  # least sourced first: the team's to-do list
        return ("coverage", "title", "pk")
    return ("title", "pk")


def entry_list(model, user, *, tag: str = "", sort: str = "title", coverage: str = ""):
    """Entries of one type the user may see, optionally with one tag, in the named order."""
    entries = model.objects.visible_to(user).for_list()
    if tag:
        entries = entries.filter(tags__slug=tag)
    if coverage in COVERAGE_FILTERS:
        entries = entries.filter(**COVERAGE_FILTERS[coverage])
    return entries.order_by(*_ordering(model, sort))


@dataclass
class EntryRow:
    """An entry in a list, with its dates as one phrase."""

    entry: object
    when: str


def entry_rows(entries) -> list[EntryRow]:
    """List rows for already loaded entries."""
    return [EntryRow(entry, entry.when) for entry in entries]


# ---------------------------------------------------------------------------------------------
# Citations


def _citation_uses(user):
    """Citation uses with their citation and source; the public sees only public sources, and
    protected ones (shown withheld: entry_relations)."""
    uses = CitationUse.objects.select_related("citation__source").defer(
        "citation__source__text", "citation__source__notes"
    )
    if not is_team(user):
        shown = Q(citation__source__is_public=True) | Q(citation__source__is_protected=True)
        uses = uses.filter(shown)
    return uses.order_by("position", "pk")


# ---------------------------------------------------------------------------------------------
# Relations on an entry's page


@dataclass
class RelationRow:
    """One relation as seen from an entry: the other end, how they relate, when, and proof."""

    other: object
    other_kind: str
    role: str
    when: str
    citations: list = field(default_factory=list)
    relation: object = None  # for its rank and the reason for it

    @property
    def rank(self) -> str:
        return getattr(self.relation, "rank", "normal")


@dataclass
class RelationSection:
    """A table of relations on an entry's page."""

    title: str
    other_heading: str
    role_heading: str
    rows: list[RelationRow]
    mixed_kinds: bool = False  # rows name actors and factions: say which each is

    @property
    def has_dates(self) -> bool:
        """Whether any row is dated (an undated table drops its "When" column)."""
        return any(row.when for row in self.rows)


def _relations(queryset, user, *ends: str, public: Q | None = None):
    """Relations with their ends and cited passages; for the public, only with published ends."""
    queryset = queryset.select_related(*ends).prefetch_related(
        Prefetch("citation_uses", queryset=_citation_uses(user), to_attr="uses")
    )
    if not is_team(user):
        queryset = queryset.filter(public) if public is not None else queryset.public_ends(*ends)
    return queryset


def _row(relation, other, role: str, when: str = "") -> RelationRow:
    when = when or span_display(relation.start, relation.end)
    citations = list({use.citation_id: use.citation for use in relation.uses}.values())
    return RelationRow(other, other._meta.verbose_name, role, when, citations, relation)


def _actor_sections(actor, user) -> list[RelationSection]:
    memberships = _relations(actor.memberships.all(), user, "faction")
    participations = _relations(actor.participations.all(), user, "event")
    return [
        RelationSection(
            "Memberships",
            "Faction",
            "Role",
            [_row(m, m.faction, m.get_role_display()) for m in memberships],
        ),
        RelationSection(
            "Events",
            "Event",
            "Role",
            [_row(p, p.event, p.get_role_display(), p.event.when) for p in participations],
        ),
    ]


def _faction_sections(faction, user) -> list[RelationSection]:
    members = _relations(faction.memberships.all(), user, "actor")
    outgoing = _relations(faction.relations_out.all(), user, "other")
    incoming = _relations(faction.relations_in.all(), user, "faction")
    participations = _relations(faction.participations.all(), user, "event")
    return [
        RelationSection(
            "Members", "Actor", "Role", [_row(m, m.actor, m.get_role_display()) for m in members]
        ),
        RelationSection(
            "Relations to other factions",
            "Faction",
            "This faction is",
            [_row(r, r.other, r.get_kind_display()) for r in outgoing],
        ),
        RelationSection(
            "Relations from other factions",
            "Faction",
            "Is, to this faction",
            [_row(r, r.faction, r.get_kind_display()) for r in incoming],
        ),
        RelationSection(
            "Events",
            "Event",
            "Role",
            [_row(p, p.event, p.get_role_display(), p.event.when) for p in participations],
        ),
    ]


def _event_sections(event, user) -> list[RelationSection]:
    public = Q(actor__is_public=True) | Q(faction__is_public=True)
    participations = _relations(event.participations.all(), user, "actor", "faction", public=public)
    return [
        RelationSection(
            "Participants",
            "Actor or faction",
            "Role",
            [_row(p, p.participant, p.get_role_display()) for p in participations],
            mixed_kinds=True,
        ),
    ]


_SECTIONS = {Actor: _actor_sections, Faction: _faction_sections, Event: _event_sections}


def entry_relations(entry, user) -> list[RelationSection]:
    """The relation tables of an entry's page: two queries per table (rows, cited passages).

    The public sees a passage of a protected source as "withheld source" with its grade."""
    sections = _SECTIONS[type(entry)](entry, user)
    if not is_team(user):
        for row in (row for section in sections for row in section.rows):
            row.citations = [
                c if c.source.is_public else withheld_reference(c) for c in row.citations
            ]
    return sections


# ---------------------------------------------------------------------------------------------
# Tags


@dataclass
class TaggedGroup:
    """The things of one type that carry a tag (at most `limit`; `more` when there are others)."""

    title: str
    segment: str
    rows: list
    more: bool


TAG_GROUP_LIMIT = 50


def tag_groups(tag: Tag, user, *, limit: int = TAG_GROUP_LIMIT) -> list[TaggedGroup]:
    """Everything the user may see with this tag, by type: two queries per type."""
    groups = []
    for model in ENTRY_MODELS:
        entries = list(entry_list(model, user, tag=tag.slug)[: limit + 1])
        groups.append(
            TaggedGroup(
                model._meta.verbose_name_plural.capitalize(),
                model.url_segment,
                entry_rows(entries[:limit]),
                len(entries) > limit,
            )
        )
    sources = Source.objects.visible_to(user).for_list().filter(tags__slug=tag.slug)
    sources = list(sources.order_by("title", "pk")[: limit + 1])
    groups.append(TaggedGroup("Sources", "sources", sources[:limit], len(sources) > limit))
    return groups


# ---------------------------------------------------------------------------------------------
# Home


def visible_counts(user) -> list[tuple[str, str, int]]:
    """How many actors, factions, events and sources the user may see: (label, url name, n)."""
    counts = [
        (
            model._meta.verbose_name_plural.capitalize(),
            model.url_segment,
            model.objects.visible_to(user).count(),
        )
        for model in ENTRY_MODELS
    ]
    counts.append(("Sources", "sources", Source.objects.visible_to(user).count()))
    return counts


@dataclass
class Change:
    """One row of recent changes."""

    date: object
    action: str
    kind: str
    title: str
    url: str
    user: object
    reason: str
    is_public: bool  # as of this revision


_ACTIONS = {"+": "Created", "~": "Edited", "-": "Deleted"}
_HISTORY_FIELDS = (
    "history_id",
    "history_date",
    "history_type",
    "history_change_reason",
    "history_user",
    "id",
    "title",
    "is_public",
)


def _history_rows(model, user, limit: int):
    """The latest history rows of one model, with the current address of each thing."""
    visible = model.objects.visible_to(user)
    id_field = "slug" if model is not Source else "key"
    # Only what a row shows: a source's revisions each hold its full text.
    rows = (
        model.history.select_related("history_user")
        .only(*_HISTORY_FIELDS)
        .annotate(current=Subquery(visible.filter(pk=OuterRef("id")).values(id_field)[:1]))
    )
    if not is_team(user):
        # Only revisions that were published themselves, of things published now.
        rows = rows.filter(is_public=True, id__in=visible.values("pk"))
    return rows.order_by("-history_date", "-history_id")[:limit]


def _change(record, model, *, with_user: bool) -> Change:
    if record.current is None:  # deleted, or not visible any more
        url = ""
    elif model is Source:
        url = reverse("sources:source-detail", args=[record.current])
    else:
        url = reverse("wiki:entry-detail", args=[model.url_segment, record.current])
    return Change(
        date=record.history_date,
        action=_ACTIONS.get(record.history_type, "Changed"),
        kind=model._meta.verbose_name,
        title=record.title,
        url=url,
        user=record.history_user if with_user else None,
        reason=(record.history_change_reason or "") if with_user else "",
        is_public=record.is_public,
    )


def recent_changes(user, *, limit: int = 10) -> list[Change]:
    """The latest changes to entries and sources, newest first: one query per model."""
    # The public never sees who edited what, nor the edit summaries the team writes.
    with_user = is_team(user)
    streams = [
        [_change(r, model, with_user=with_user) for r in _history_rows(model, user, limit)]
        for model in (*ENTRY_MODELS, Source)
    ]
    return list(islice(merge(*streams, key=lambda change: change.date, reverse=True), limit))
