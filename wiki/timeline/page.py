"""The timeline as a page shows it: the items in their lanes, placed on one axis."""

from dataclasses import dataclass, field

from wiki.timeline import layout
from wiki.timeline.items import EVENTS, FACTS, Filters, Item, timeline_items

LANES = (
    (EVENTS, "Events"),
    (FACTS, "Births, deaths, foundings and dissolutions"),
)


@dataclass(frozen=True)
class Lane:
    """One row of the timeline: events, or the dated facts of actors and factions."""

    name: str
    title: str
    items: list[Item]


@dataclass(frozen=True)
class Timeline:
    """The lanes on their axis; `more` when the cap cut the items, `outside` how many matched
    but lie beyond the frame (paged to by the earlier and later links)."""

    zoom: str
    lanes: list[Lane] = field(default_factory=list)
    axis: layout.Frame | None = None
    ticks: list[layout.Tick] = field(default_factory=list)
    more: bool = False
    outside: int = 0

    @property
    def count(self) -> int:
        return sum(len(lane.items) for lane in self.lanes)


def timeline(user, filters: Filters, zoom: str = "") -> Timeline:
    """What this reader sees of the timeline with these filters, at this zoom (else the zoom
    that shows the whole stretch)."""
    found = timeline_items(user, filters)
    if not found.items:
        empty = [Lane(name, title, []) for name, title in LANES]
        return Timeline(zoom if zoom in layout.ZOOMS else layout.YEAR, empty)
    first = min(item.earliest for item in found.items)
    last = max(item.latest for item in found.items)
    zoom = zoom if zoom in layout.ZOOMS else layout.choose_zoom(first, last)
    axis = layout.frame(first, last, zoom, from_year=filters.from_year, to_year=filters.to_year)
    shown = [
        item
        for item in found.items
        if axis.overlaps(item.earliest, axis.last if item.open_end else item.latest)
    ]
    for item in shown:
        latest = max(item.latest, axis.last) if item.open_end else item.latest
        item.bar = layout.bar(axis, item.earliest, latest, item.shape)
    lanes = [
        Lane(name, title, [item for item in shown if item.lane == name]) for name, title in LANES
    ]
    return Timeline(
        zoom, lanes, axis, layout.ticks(axis), found.more, len(found.items) - len(shown)
    )
