"""What the network shows: actors, factions and events as nodes, the cited relations between them
as edges, each edge with the passages that state it, as this reader may see them.

Events are nodes of their own (drawn small), so that every edge is exactly one relation: a
membership (actor–faction), a faction relation (faction–faction) or a participation
(actor or faction–event). The public sees a relation only when all its ends are published, and
its passages as a page's relation table shows them (a protected source withheld with its grade,
an unpublished one not at all). A fixed number of queries whatever the size: per relation type,
its rows with their ends, and their cited passages.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch, Q

from sources.common.dates import span_display
from sources.common.permissions import is_team
from sources.models import CitationUse
from wiki.markup.rendering import withheld_reference
from wiki.models import Actor, Event, Faction, FactionRelation, Membership, Participation, Rank

MAX_NODES = 300  # beyond this the most connected are drawn, and the reader asked to narrow it
MEMBERSHIP, PARTICIPATION = "membership", "participation"
# Edge kinds as the URL says them (?kind=): memberships, each faction relation kind, taking part.
KINDS = {
    MEMBERSHIP: "Membership",
    **{value.replace(" ", "-"): label for value, label in FactionRelation.Kind.choices},
    PARTICIPATION: "Taking part in an event",
}
_ENTRY_SHOWN = ("title", "slug", "is_public")
_EVENT_SHOWN = (*_ENTRY_SHOWN, "start", "end", "start_earliest", "start_latest", "end_latest")
_OWN = {Membership: ("role",), FactionRelation: ("kind",), Participation: ("role",)}
_ENDS = {
    Membership: ("actor", "faction"),
    FactionRelation: ("faction", "other"),
    Participation: ("event", "actor", "faction"),
}
_NODE_MODELS = {"actor": Actor, "faction": Faction, "event": Event}
# Labels of roles and kinds, read once: get_FOO_display rebuilds its choices on every call,
# which at a thousand edges is most of the time spent on them.
_LABELS = {
    Membership: dict(Membership.Role.choices),
    FactionRelation: dict(FactionRelation.Kind.choices),
    Participation: dict(Participation.Role.choices),
}


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the network to: a year it stood in, a tag, edge kinds."""

    year: int | None = None
    tag: str = ""
    kinds: tuple[str, ...] = ()

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


@dataclass
class Node:
    """An actor, a faction or an event, placed by the layout (x, y in the drawing's units)."""

    key: str  # "actor-12": unique across types
    entry: object
    type: str  # actor, faction, event
    degree: int = 0
    x: float = 0.0
    y: float = 0.0

    @cached_property
    def url(self) -> str:
        """The entry's page, reversed once for the drawing and every row of the ties table."""
        return self.entry.get_absolute_url()


@dataclass
class Edge:
    """One relation between two nodes: its kind, its words, its dates and its passages."""

    key: str  # "membership-5": the relation's model and id
    relation: object
    kind: str  # a key of KINDS
    source: Node
    target: Node
    label: str  # "leader of", "alliance with", "party to"
    when: str
    earliest: datetime.date | None
    latest: datetime.date | None
    passages: list = field(default_factory=list)  # Citations, or withheld References

    @property
    def deprecated(self) -> bool:
        return self.relation.rank == Rank.DEPRECATED

    @property
    def dated(self) -> bool:
        return self.earliest is not None or self.latest is not None

    @property
    def name(self) -> str:
        """The relation in words: "Ahmad Shah Massoud — leader of — Jamiat-e Islami"."""
        return f"{self.source.entry.title} — {self.label} — {self.target.entry.title}"

    @property
    def model_name(self) -> str:
        return self.relation._meta.model_name

    def covers(self, year: int) -> bool:
        return _covers(self.earliest, self.latest, year)


def _covers(earliest, latest, year: int) -> bool:
    """Whether a relation stood in this year; an open end runs on (or back) without end, and
    an undated relation stands in no year."""
    if earliest is None and latest is None:
        return False
    after_start = earliest is None or earliest.year <= year
    return after_start and (latest is None or latest.year >= year)


@dataclass
class Network:
    """The nodes and edges drawn; `total` nodes matched before the cap kept MAX_NODES."""

    nodes: list[Node]
    edges: list[Edge]
    total: int = 0

    @property
    def capped(self) -> bool:
        return self.total > len(self.nodes)


def _uses(user):
    """Cited passages with their sources; the public only those of public or protected ones."""
    uses = CitationUse.objects.select_related("citation__source").defer(
        "citation__source__text", "citation__source__notes"
    )
    if not is_team(user):
        uses = uses.filter(
            Q(citation__source__is_public=True) | Q(citation__source__is_protected=True)
        )
    return uses.order_by("position", "pk")


def _load(model, pks, user) -> list:
    """The relations drawn, with their passages: two queries. Their ends are the nodes, read
    once each (_nodes), not once per relation."""
    shown = ["rank", "rank_reason", "start", "end", "start_earliest", "start_latest"]
    shown += ["end_earliest", "end_latest", *_ENDS[model], *_OWN[model]]
    queryset = model.objects.filter(pk__in=pks).only(*shown)
    return list(
        queryset.prefetch_related(
            Prefetch("citation_uses", queryset=_uses(user), to_attr="uses")
        ).order_by("pk")
    )


@dataclass(frozen=True)
class _Tie:
    """A relation as the first pass reads it: its ends' keys and the years it covers, before
    the cap decides whether it is drawn (and its titles and passages are read)."""

    model: type
    pk: int
    ends: tuple[str, str]
    earliest: datetime.date | None
    latest: datetime.date | None

    def covers(self, year: int) -> bool:
        return _covers(self.earliest, self.latest, year)


def _asked(filters: Filters) -> list:
    """(model, the public's condition, its filtered rows) of each relation type the filters
    ask for."""
    published = Q(actor__is_public=True, faction__is_public=True)
    both = Q(faction__is_public=True, other__is_public=True)
    taking_part = Q(event__is_public=True) & (Q(actor__is_public=True) | Q(faction__is_public=True))
    kinds = [k.replace("-", " ") for k in filters.kinds if k not in (MEMBERSHIP, PARTICIPATION)]
    types = [
        (MEMBERSHIP, Membership, published),
        (None, FactionRelation, both),
        (PARTICIPATION, Participation, taking_part),
    ]
    asked = []
    for kind, model, public in types:
        queryset = model.objects.all()
        if kind is None:
            if filters.kinds and not kinds:
                continue
            queryset = queryset.filter(kind__in=kinds) if kinds else queryset
        elif not filters.wants(kind):
            continue
        if filters.tag:
            queryset = queryset.filter(_tagged_for(model, filters.tag))
        if filters.year is not None and model is not Participation:
            queryset = queryset.filter(_standing_in(filters.year))
        asked.append((model, public, queryset))
    return asked


def _ties(user, asked) -> list[_Tie]:
    """Every relation the filters ask for, as keys and dates only: one query a type, no
    objects built, so that ranking 10,000 relations for the cap stays cheap."""
    team = is_team(user)
    ties = []
    for model, public, queryset in asked:
        rows = queryset if team else queryset.filter(public)
        if model is Membership:
            columns = ("pk", "actor_id", "faction_id", "start_earliest", "end_latest")
            for pk, actor, faction, earliest, latest in rows.values_list(*columns):
                ties.append(
                    _Tie(model, pk, (f"actor-{actor}", f"faction-{faction}"), earliest, latest)
                )
        elif model is FactionRelation:
            columns = ("pk", "faction_id", "other_id", "start_earliest", "end_latest")
            for pk, faction, other, earliest, latest in rows.values_list(*columns):
                ties.append(
                    _Tie(model, pk, (f"faction-{faction}", f"faction-{other}"), earliest, latest)
                )
        else:
            columns = ("pk", "actor_id", "faction_id", "event_id", "start", "end")
            columns += ("start_earliest", "end_latest", "event__start_earliest")
            columns += ("event__end_latest", "event__start_latest")
            for row in rows.values_list(*columns):
                pk, actor, faction, event, start, end, earliest, latest = row[:8]
                if not (start or end):  # dated by its event
                    earliest, latest = row[8], row[9] or row[10]
                participant = f"actor-{actor}" if actor else f"faction-{faction}"
                ties.append(_Tie(model, pk, (participant, f"event-{event}"), earliest, latest))
    return ties


def _standing_in(year: int) -> Q:
    """Relations whose own dates cover the year (Edge.covers, in the database); a participation
    may be dated by its event instead, so it is left to Edge.covers."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    started = Q(start_earliest__isnull=True) | Q(start_earliest__lte=last)
    not_ended = Q(end_latest__isnull=True) | Q(end_latest__gte=first)
    return started & not_ended & ~Q(start_earliest__isnull=True, end_latest__isnull=True)


def _tagged_for(model, tag: str) -> Q:
    models = {**_NODE_MODELS, "other": Faction}
    wanted = Q()
    for end in _ENDS[model]:
        wanted |= Q(**{f"{end}__in": models[end].objects.filter(tags__slug=tag).values("pk")})
    return wanted


def _passages(relation, team: bool) -> list:
    citations = list({use.citation_id: use.citation for use in relation.uses}.values())
    if team:
        return citations
    return [c if c.source.is_public else withheld_reference(c) for c in citations]


def _label(relation, value: str) -> str:
    return str(_LABELS[type(relation)].get(value, value)).lower()


def _edge(relation, nodes: dict[str, Node], team: bool) -> Edge:
    """One drawn relation as an edge between its two nodes (both read already)."""
    earliest, latest = relation.start_earliest, relation.end_latest
    when = span_display(relation.start, relation.end)
    if isinstance(relation, Membership):
        ends = (nodes[f"actor-{relation.actor_id}"], nodes[f"faction-{relation.faction_id}"])
        kind, label = MEMBERSHIP, f"{_label(relation, relation.role)} of"
    elif isinstance(relation, FactionRelation):
        ends = (nodes[f"faction-{relation.faction_id}"], nodes[f"faction-{relation.other_id}"])
        kind, label = relation.kind.replace(" ", "-"), _label(relation, relation.kind)
    else:
        participant = (
            f"actor-{relation.actor_id}" if relation.actor_id else f"faction-{relation.faction_id}"
        )
        ends = (nodes[participant], nodes[f"event-{relation.event_id}"])
        kind, label = PARTICIPATION, f"{_label(relation, relation.role)} in"
        event = ends[1].entry
        if not (relation.start or relation.end):  # dated by its event
            earliest = event.start_earliest
            latest = event.end_latest or event.start_latest
            when = event.when
    key = f"{relation._meta.model_name}-{relation.pk}"
    passages = _passages(relation, team)
    return Edge(key, relation, kind, *ends, label, when, earliest, latest, passages)


def network(user, filters: Filters, *, around=None, limit: int | None = MAX_NODES) -> Network:
    """The network this reader may see with these filters; with `around` (an entry), only its
    neighbourhood: its own ties, and the ties between those it is tied to. At most `limit`
    nodes, the most connected (None: all, for the exports).

    Two passes: every relation asked for is read as keys and dates (one query a type) to rank
    the nodes and apply the cap; then only the relations drawn are read in full, with their
    ends and passages (two queries a type)."""
    asked = _asked(filters)
    ties = _ties(user, asked)
    if filters.year is not None:
        ties = [tie for tie in ties if tie.covers(filters.year)]
    if around is not None:
        centre = f"{around._meta.model_name}-{around.pk}"
        near = {centre} | {key for tie in ties if centre in tie.ends for key in tie.ends}
        ties = [tie for tie in ties if tie.ends[0] in near and tie.ends[1] in near]
    degrees = Counter(key for tie in ties for key in tie.ends)
    kept = {key for key, _ in degrees.most_common(limit)}
    drawn = {tie.model: set() for tie in ties}
    for tie in ties:
        if tie.ends[0] in kept and tie.ends[1] in kept:
            drawn[tie.model].add(tie.pk)
    nodes = _nodes(kept)
    team = is_team(user)
    edges = [
        _edge(relation, nodes, team)
        for model, pks in drawn.items()
        if pks
        for relation in _load(model, pks, user)
    ]
    shown = sorted(nodes.values(), key=lambda n: (n.type, n.entry.title, n.key))
    for node in shown:
        node.degree = degrees[node.key]
    return Network(shown, edges, len(degrees))


def _nodes(keys: set[str]) -> dict[str, Node]:
    """The nodes kept, each entry read once: one query a type."""
    wanted: dict[str, list[int]] = {}
    for key in keys:
        type_, pk = key.split("-")
        wanted.setdefault(type_, []).append(int(pk))
    nodes = {}
    for type_, pks in sorted(wanted.items()):
        shown = _EVENT_SHOWN if type_ == "event" else _ENTRY_SHOWN
        for entry in _NODE_MODELS[type_].objects.filter(pk__in=pks).only(*shown):
            nodes[f"{type_}-{entry.pk}"] = Node(f"{type_}-{entry.pk}", entry, type_)
    return nodes
