"""A faction's membership chart: who belonged to it or led it, and when, as bars on one axis.

It is drawn from the rows of the faction's "Members" table (wiki.selectors.entry_relations), so
it costs no query of its own and shows exactly what the table shows, passages withheld alike.
A bar is solid where the membership certainly held, lighter between an end's earliest and
latest day (a date known to the year, "1992~", "1990/1992"), and fades out to the axis' end
where it has no end (or in from its start where it has no start). The axis is the timeline's
(wiki.timeline.layout).
"""

import datetime
from dataclasses import dataclass, field

from wiki.models import Faction, Membership
from wiki.timeline import layout

SOLID, APPROXIMATE, OPEN_AFTER, OPEN_BEFORE = "solid", "approximate", "open-after", "open-before"


@dataclass(frozen=True)
class Segment:
    """A stretch of a bar: where it lies (percent of the axis) and how sure it is."""

    x: float
    width: float
    kind: str


@dataclass
class ChartBar:
    """One membership on the axis, with where its bar links (its first passage one may open)."""

    row: object  # a wiki.selectors.RelationRow
    segments: list[Segment]
    url: str
    uncertain: bool

    @property
    def title(self) -> str:
        """What the bar's tooltip says: "Ahmad Shah Massoud, leader, 1992 – 2001"."""
        words = f"{self.row.other.title}, {self.row.role.lower()}, {self.row.when}"
        quotes = [c.quote for c in self.row.citations if getattr(c, "quote", "")]
        return f"{words}: “{quotes[0]}”" if quotes else words


@dataclass
class MembershipChart:
    """The dated memberships as bars on one axis; the undated ones listed after them."""

    bars: list[ChartBar]
    undated: list = field(default_factory=list)
    axis: layout.Frame | None = None
    ticks: list[layout.Tick] = field(default_factory=list)


def _url(row) -> str:
    for citation in row.citations:
        if not getattr(citation, "protected", False) and citation.get_absolute_url():
            return citation.get_absolute_url()
    return row.other.get_absolute_url()


def _segment(axis, earliest, latest, kind) -> Segment | None:
    if earliest is None or latest is None or latest < earliest:
        return None
    drawn = layout.bar(axis, earliest, latest, kind)
    return Segment(drawn.x, drawn.width, kind)


def _segments(axis: layout.Frame, m: Membership) -> list[Segment]:
    """Solid where the membership certainly held; lighter where an end is only bounded; fading
    where an end is open."""
    s_e, s_l, e_e, e_l = m.start_earliest, m.start_latest, m.end_earliest, m.end_latest
    one_day = datetime.timedelta(days=1)
    if s_e is None:  # only its end is known
        parts = [(axis.start, e_e - one_day, OPEN_BEFORE), (e_e, e_l, APPROXIMATE)]
    elif e_e is None:  # open: still a member, or its end is unknown
        parts = [(s_e, s_l, APPROXIMATE), (s_l + one_day, axis.last, OPEN_AFTER)]
    elif s_l >= e_e:  # the ends' ranges meet: nothing of it is certain
        return [_segment(axis, s_e, e_l, SOLID if s_e == e_l else APPROXIMATE)]
    else:
        parts = [(s_e, s_l, APPROXIMATE), (s_l + one_day, e_e - one_day, SOLID)]
        parts.append((e_e, e_l, APPROXIMATE))
    parts = [(a, b, kind) for a, b, kind in parts if not (kind == APPROXIMATE and a == b)]
    return [s for a, b, kind in parts if (s := _segment(axis, a, b, kind)) is not None]


def _axis(faction: Faction, dated: list) -> layout.Frame:
    first = min(m.start_earliest or m.end_earliest for m in dated)
    lasts = [m.end_latest or m.start_latest for m in dated]
    if faction.dissolved_latest and any(m.end_earliest is None for m in dated):
        lasts.append(faction.dissolved_latest)  # an open membership runs on to the dissolution
    last = max(lasts)
    return layout.frame(first, last, layout.choose_zoom(first, last))


def membership_chart(entry, sections) -> MembershipChart | None:
    """The chart of a faction's members from its page's relation tables; None for an actor or
    an event, or a faction without dated members."""
    if not isinstance(entry, Faction):
        return None
    rows = [
        row for section in sections for row in section.rows if isinstance(row.relation, Membership)
    ]
    if not rows:
        return None
    dated = [r for r in rows if r.relation.start_earliest or r.relation.end_earliest]
    undated = [r for r in rows if r not in dated]
    if not dated:  # nothing to draw: the members table says it all
        return None
    axis = _axis(entry, [r.relation for r in dated])
    bars = []
    for row in dated:
        segments = _segments(axis, row.relation)
        uncertain = any(s.kind != SOLID for s in segments)
        bars.append(ChartBar(row, segments, _url(row), uncertain))
    return MembershipChart(bars, undated, axis, layout.ticks(axis))
