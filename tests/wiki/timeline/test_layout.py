"""The timeline's layout as tables: shapes, zooms, frames, ticks, bars and paging."""

from datetime import date

import pytest

from wiki.timeline.layout import (
    DECADE,
    MONTH,
    POINT,
    RANGE,
    SPAN,
    YEAR,
    Frame,
    bar,
    choose_zoom,
    frame,
    is_uncertain,
    pages,
    shape,
    ticks,
)


@pytest.mark.parametrize(
    ("value", "uncertain"),
    [
        ("1996", False),
        ("1996-09-27", False),
        ("1997~", True),
        ("1997?", True),
        ("1997%", True),
        ("1990/1992", True),
        ("[1992,1996]", True),
        ("199X", True),
        ("", False),
    ],
)
def test_is_uncertain(value, uncertain):
    assert is_uncertain(value) is uncertain


@pytest.mark.parametrize(
    ("start", "end", "drawn"),
    [
        ("1996-09-27", "", POINT),
        ("1996", "1996", POINT),
        ("1996-09", "1998-03", SPAN),
        ("1997~", "", RANGE),
        ("1990/1992", "", RANGE),
        ("[1992,1996]", "", RANGE),
        ("1996", "2001?", RANGE),
    ],
)
def test_shape(start, end, drawn):
    assert shape(start, end) == drawn


@pytest.mark.parametrize(
    ("first", "last", "zoom"),
    [
        (date(1996, 1, 1), date(1996, 12, 31), MONTH),
        (date(1996, 1, 1), date(1997, 12, 31), MONTH),
        (date(1996, 1, 1), date(1998, 1, 1), YEAR),
        (date(1950, 1, 1), date(1989, 12, 31), YEAR),
        (date(1950, 1, 1), date(1990, 1, 1), DECADE),
        (date(1800, 1, 1), date(2001, 1, 1), DECADE),
    ],
)
def test_choose_zoom_fits_the_stretch(first, last, zoom):
    assert choose_zoom(first, last) == zoom


@pytest.mark.parametrize(
    ("first", "last", "zoom", "years", "expected"),
    [
        # Whole units around the items.
        (date(1953, 9, 2), date(2001, 9, 9), DECADE, (None, None),
         Frame(date(1950, 1, 1), date(2010, 1, 1), DECADE)),
        (date(1992, 4, 28), date(1996, 9, 27), YEAR, (None, None),
         Frame(date(1992, 1, 1), date(1997, 1, 1), YEAR)),
        (date(1996, 9, 27), date(1997, 2, 1), MONTH, (None, None),
         Frame(date(1996, 9, 1), date(1997, 3, 1), MONTH)),
        # The years asked win over the items'.
        (date(1992, 4, 28), date(1996, 9, 27), YEAR, (1990, 2000),
         Frame(date(1990, 1, 1), date(2001, 1, 1), YEAR, earlier=True)),
        # Too long for the zoom: cut at its most units, the rest paged to.
        (date(1900, 1, 1), date(2001, 1, 1), YEAR, (None, None),
         Frame(date(1900, 1, 1), date(1940, 1, 1), YEAR, later=True)),
        (date(1990, 3, 1), date(1999, 1, 1), MONTH, (None, None),
         Frame(date(1990, 3, 1), date(1992, 3, 1), MONTH, later=True)),
        (date(1996, 1, 1), date(1996, 1, 1), MONTH, (1996, 1996),
         Frame(date(1996, 1, 1), date(1997, 1, 1), MONTH, earlier=True)),
    ],
)  # fmt: skip
def test_frame(first, last, zoom, years, expected):
    assert frame(first, last, zoom, from_year=years[0], to_year=years[1]) == expected


def labels(axis):
    return [(tick.x, tick.label) for tick in ticks(axis)]


@pytest.mark.parametrize(
    ("axis", "expected"),
    [
        (Frame(date(1950, 1, 1), date(1980, 1, 1), DECADE),
         [(0.0, "1950s"), (33.33, "1960s"), (66.67, "1970s")]),
        (Frame(date(1996, 1, 1), date(1998, 1, 1), YEAR), [(0.0, "1996"), (50.068, "1997")]),
        (Frame(date(1996, 11, 1), date(1997, 3, 1), MONTH),
         [(0.0, "Nov 1996"), (25.0, "Dec"), (50.833, "Jan 1997"), (76.667, "Feb")]),
    ],
)  # fmt: skip
def test_ticks(axis, expected):
    assert labels(axis) == expected


def test_ticks_thin_their_labels_but_keep_every_tick():
    axis = Frame(date(1900, 1, 1), date(1940, 1, 1), YEAR)
    shown = [tick.label for tick in ticks(axis)]
    assert len(shown) == 40 and shown[:4] == ["1900", "", "", "1903"]
    assert len([label for label in shown if label]) <= 14


def test_a_decade_tick_spans_its_ten_years():
    tick = ticks(Frame(date(1990, 1, 1), date(2000, 1, 1), DECADE))[0]
    assert (tick.from_year, tick.to_year) == (1990, 1999)


NINETIES = Frame(date(1990, 1, 1), date(2000, 1, 1), DECADE)


@pytest.mark.parametrize(
    ("earliest", "latest", "x", "width", "cut"),
    [
        (date(1990, 1, 1), date(1999, 12, 31), 0.0, 100.0, (False, False)),
        (date(1995, 1, 1), date(1995, 12, 31), 50.0, 9.995, (False, False)),
        (date(1996, 9, 27), date(1996, 9, 27), 67.388, 0.027, (False, False)),
        (date(1985, 1, 1), date(1991, 12, 31), 0.0, 19.989, (True, False)),
        (date(1998, 1, 1), date(2004, 12, 31), 80.011, 19.989, (False, True)),
    ],
)
def test_bar(earliest, latest, x, width, cut):
    drawn = bar(NINETIES, earliest, latest, RANGE)
    assert (drawn.x, drawn.width, (drawn.cut_before, drawn.cut_after)) == (x, width, cut)


@pytest.mark.parametrize(
    ("axis", "to_year", "expected"),
    [
        (NINETIES, None, {}),
        (Frame(date(1900, 1, 1), date(1940, 1, 1), YEAR, later=True), None,
         {"later": (1940, None)}),
        (Frame(date(1900, 1, 1), date(1940, 1, 1), YEAR, later=True), 2001,
         {"later": (1940, 2001)}),
        (Frame(date(1996, 1, 1), date(1997, 1, 1), MONTH, earlier=True), None,
         {"earlier": (1995, 1995)}),
        (Frame(date(1996, 1, 1), date(1998, 1, 1), MONTH, earlier=True, later=True), None,
         {"earlier": (1994, 1995), "later": (1998, None)}),
    ],
)  # fmt: skip
def test_pages(axis, to_year, expected):
    assert pages(axis, to_year) == expected
