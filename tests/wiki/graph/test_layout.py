"""The network's layout (pure): the same network is drawn the same way, inside the drawing,
which grows with the nodes; 300 nodes lay out in one go."""

import pytest

from wiki.graph import layout


def ring(count: int) -> tuple[list[str], list[tuple[str, str]]]:
    keys = [f"n{n}" for n in range(count)]
    return keys, [(keys[n], keys[(n + 1) % count]) for n in range(count)]


@pytest.mark.parametrize(
    ("count", "width", "height"),
    [(0, 640, 422), (1, 640, 422), (30, 640, 422), (100, 1100, 726), (300, 1905, 1257)],
)
def test_the_drawing_grows_with_the_nodes(count, width, height):
    assert layout.frame(count) == layout.Frame(width, height)


def test_no_nodes_no_places():
    assert layout.positions([], [], layout.frame(0)) == {}


def test_one_node_sits_in_the_middle():
    assert layout.positions(["a"], [], layout.Frame(640, 420)) == {"a": (320.0, 210.0)}


@pytest.mark.parametrize("count", [2, 12, 300])
def test_every_node_is_placed_inside_the_margins(count):
    keys, pairs = ring(count)
    drawing = layout.frame(count)
    places = layout.positions(keys, pairs, drawing)
    assert set(places) == set(keys)
    for x, y in places.values():
        assert layout.MARGIN <= x <= drawing.width - layout.MARGIN
        assert layout.MARGIN <= y <= drawing.height - layout.MARGIN


def test_the_same_network_is_drawn_the_same_way():
    keys, pairs = ring(40)
    drawing = layout.frame(40)
    assert layout.positions(keys, pairs, drawing) == layout.positions(keys, pairs, drawing)


def test_tied_nodes_are_drawn_closer_than_strangers():
    keys = ["a", "b", "c", "d", "e", "f"]
    pairs = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d")]
    places = layout.positions(keys, pairs, layout.frame(6))

    def apart(one, other):
        (x1, y1), (x2, y2) = places[one], places[other]
        return ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5

    assert apart("a", "b") < apart("a", "d")
