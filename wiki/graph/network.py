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

from django.db.models import Prefetch, Q

from sources.common.dates import span_display
from sources.common.permissions import is_team
from sources.models import CitationUse
from wiki.markup.rendering import withheld_reference
from wiki.models import Actor, Event, Faction, FactionRelation, Membership, Participation, Rank

MAX_NODES = 400  # beyond this the most connected are drawn, and the reader asked to narrow it
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
        """Whether the relation stood in this year; an open end runs on (or back) without end."""
        if not self.dated:
            return False
        after_start = self.earliest is None or self.earliest.year <= year
        return after_start and (self.latest is None or self.latest.year >= year)


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


def _load(queryset, user, ends: dict, public: Q):
    """Relations with their ends (titles only) and passages: two queries."""
    shown = ["rank", "rank_reason", "start", "end", "start_earliest", "start_latest"]
    shown += ["end_earliest", "end_latest", *ends, *_OWN[queryset.model]]
    for end, columns in ends.items():
        shown += [f"{end}__{column}" for column in ("id", *columns)]
    queryset = queryset.select_related(*ends).only(*shown)
    if not is_team(user):
        queryset = queryset.filter(public)
    return queryset.prefetch_related(
        Prefetch("citation_uses", queryset=_uses(user), to_attr="uses")
    ).order_by("pk")


def _relations(user, filters: Filters) -> list:
    """The relations of the kinds asked, with their ends and passages: two queries a type."""
    found = []
    published = Q(actor__is_public=True, faction__is_public=True)
    both = Q(faction__is_public=True, other__is_public=True)
    taking_part = Q(event__is_public=True) & (Q(actor__is_public=True) | Q(faction__is_public=True))
    kinds = [k.replace("-", " ") for k in filters.kinds if k not in (MEMBERSHIP, PARTICIPATION)]
    asked = [
        (MEMBERSHIP, Membership, {"actor": _ENTRY_SHOWN, "faction": _ENTRY_SHOWN}, published),
        (None, FactionRelation, {"faction": _ENTRY_SHOWN, "other": _ENTRY_SHOWN}, both),
        (
            PARTICIPATION,
            Participation,
            {"event": _EVENT_SHOWN, "actor": _ENTRY_SHOWN, "faction": _ENTRY_SHOWN},
            taking_part,
        ),
    ]
    for kind, model, ends, public in asked:
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
        found += _load(queryset, user, ends, public)
    return found


def _standing_in(year: int) -> Q:
    """Relations whose own dates cover the year (Edge.covers, in the database); a participation
    may be dated by its event instead, so it is left to Edge.covers."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    started = Q(start_earliest__isnull=True) | Q(start_earliest__lte=last)
    not_ended = Q(end_latest__isnull=True) | Q(end_latest__gte=first)
    return started & not_ended & ~Q(start_earliest__isnull=True, end_latest__isnull=True)


def _tagged_for(model, tag: str) -> Q:
    ends = {Membership: ("actor", "faction"), FactionRelation: ("faction", "other")}
    ends = ends.get(model, ("event", "actor", "faction"))
    models = {"actor": Actor, "faction": Faction, "other": Faction, "event": Event}
    wanted = Q()
    for end in ends:
        wanted |= Q(**{f"{end}__in": models[end].objects.filter(tags__slug=tag).values("pk")})
    return wanted


def _passages(relation, team: bool) -> list:
    citations = list({use.citation_id: use.citation for use in relation.uses}.values())
    if team:
        return citations
    return [c if c.source.is_public else withheld_reference(c) for c in citations]


def _edge(relation, nodes: dict, team: bool) -> Edge:
    def node(entry, type_):
        key = f"{type_}-{entry.pk}"
        if key not in nodes:
            nodes[key] = Node(key, entry, type_)
        return nodes[key]

    earliest, latest = relation.start_earliest, relation.end_latest
    when = span_display(relation.start, relation.end)
    if isinstance(relation, Membership):
        ends = (node(relation.actor, "actor"), node(relation.faction, "faction"))
        kind, label = MEMBERSHIP, f"{relation.get_role_display().lower()} of"
    elif isinstance(relation, FactionRelation):
        ends = (node(relation.faction, "faction"), node(relation.other, "faction"))
        kind, label = relation.kind.replace(" ", "-"), relation.get_kind_display().lower()
    else:
        participant = relation.participant
        ends = (node(participant, participant._meta.model_name), node(relation.event, "event"))
        kind, label = PARTICIPATION, f"{relation.get_role_display().lower()} in"
        event = relation.event
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
    nodes, the most connected (None: all, for the exports)."""
    nodes: dict[str, Node] = {}
    team = is_team(user)
    edges = [_edge(relation, nodes, team) for relation in _relations(user, filters)]
    if filters.year is not None:
        edges = [edge for edge in edges if edge.covers(filters.year)]
    if around is not None:
        centre = f"{around._meta.model_name}-{around.pk}"
        near = {centre}
        for edge in edges:
            if centre in (edge.source.key, edge.target.key):
                near |= {edge.source.key, edge.target.key}
        edges = [e for e in edges if e.source.key in near and e.target.key in near]
    degrees = Counter(key for edge in edges for key in (edge.source.key, edge.target.key))
    total = len(degrees)
    kept = {key for key, _ in degrees.most_common(limit)}
    edges = [e for e in edges if e.source.key in kept and e.target.key in kept]
    shown = sorted((nodes[key] for key in kept), key=lambda n: (n.type, n.entry.title, n.key))
    for node in shown:
        node.degree = degrees[node.key]
    return Network(shown, edges, total)
