"""The network of actors, factions and events, whose edges are cited relations, and the
membership chart of a faction. The views are wiki.views.graph; this room reads, lays out and
writes the exports."""

from wiki.graph.chart import MembershipChart, membership_chart
from wiki.graph.network import KINDS, MAX_NODES, Edge, Filters, Network, Node, network
from wiki.graph.page import GraphForm, drawn

__all__ = [
    "KINDS",
    "MAX_NODES",
    "Edge",
    "Filters",
    "GraphForm",
    "MembershipChart",
    "Network",
    "Node",
    "drawn",
    "membership_chart",
    "network",
]
