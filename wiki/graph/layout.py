"""Where each node of the network goes: a force-directed layout computed on the server.

Pure: node keys and edge pairs in, coordinates out (in the drawing's own units), no database
and no Django. networkx's spring layout (Fruchterman–Reingold) with a fixed seed, so that the
same network is always drawn the same way and a cached page stays the same; its iterations are
capped (40) so that 300 nodes lay out in under 200 ms.
"""

import math
from dataclasses import dataclass

import networkx as nx

SEED = 7
MARGIN = 60  # room for the labels at the edges of the drawing
ITERATIONS = 40


@dataclass(frozen=True)
class Frame:
    """The drawing's size: its viewBox is 0 0 width height."""

    width: int
    height: int


def frame(count: int) -> Frame:
    """A drawing that grows with the nodes, so that labels keep their room: about 110 units of
    width per square root of a node, at least 640 by 420."""
    width = max(640, round(math.sqrt(max(count, 1)) * 110))
    return Frame(width, max(420, round(width * 0.66)))


def positions(
    keys: list[str], pairs: list[tuple[str, str]], drawing: Frame
) -> dict[str, tuple[float, float]]:
    """Each node's place in the drawing, inside its margins; the same input gives the same
    places every time."""
    if not keys:
        return {}
    if len(keys) == 1:
        return {keys[0]: (drawing.width / 2, drawing.height / 2)}
    graph = nx.Graph()
    graph.add_nodes_from(keys)
    graph.add_edges_from(pairs)
    # k, the ideal distance, a little wider than networkx's 1/sqrt(n): labels need room.
    k = 1.6 / math.sqrt(len(keys))
    placed = nx.spring_layout(graph, k=k, iterations=ITERATIONS, seed=SEED)
    return _fit(placed, drawing)


def _fit(placed: dict, drawing: Frame) -> dict[str, tuple[float, float]]:
    """Stretch the layout's own coordinates to fill the drawing inside its margins."""
    xs = [float(x) for x, _ in placed.values()]
    ys = [float(y) for _, y in placed.values()]
    low_x, low_y = min(xs), min(ys)
    span_x, span_y = (max(xs) - low_x) or 1.0, (max(ys) - low_y) or 1.0
    inner_w, inner_h = drawing.width - 2 * MARGIN, drawing.height - 2 * MARGIN
    return {
        key: (
            round(MARGIN + (float(x) - low_x) / span_x * inner_w, 1),
            round(MARGIN + (float(y) - low_y) / span_y * inner_h, 1),
        )
        for key, (x, y) in placed.items()
    }
