"""The timeline: events and the dated facts of actors and factions on one axis, each traced to
the passages that state its date. The view is wiki.views.timeline; this room reads and lays out."""

from wiki.timeline.filters import TimelineForm
from wiki.timeline.items import CAP, Filters, Item
from wiki.timeline.page import Lane, Timeline, timeline

__all__ = ["CAP", "Filters", "Item", "Lane", "Timeline", "TimelineForm", "timeline"]
