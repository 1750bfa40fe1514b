"""Where things go on a time axis: the zoom, the axis' frame and ticks, each item's bar.

Pure: dates in, numbers and labels out (percentages of the axis' width), no database and no
Django, tested as tables. The selector (wiki.timeline.items) gives each item its earliest and
latest day; this module says whether the date is a point, a span (an event with an end) or a
range (an uncertain date: "1997~", "1990/1992", a disputed "[1992,1996]"), and where it lies.
"""

import calendar
import datetime
import math
import re
from dataclasses import dataclass

DECADE, YEAR, MONTH = "decade", "year", "month"
ZOOMS = (DECADE, YEAR, MONTH)
# The most units one screen shows at each zoom; a longer stretch is paged (earlier / later).
MAX_UNITS = {DECADE: 1000, YEAR: 40, MONTH: 24}
MAX_LABELS = 14  # tick labels beyond this are thinned, so that they never overlap

POINT, SPAN, RANGE = "point", "span", "range"

# What makes an EDTF date uncertain rather than merely coarse: a qualifier (~ ? %), an interval
# (/), a set ([…] one of, {…} all of), or unspecified digits (199X).
_UNCERTAIN = re.compile(r"[~?%/\[\]{}Xu]")


def is_uncertain(value: str) -> bool:
    """Whether an EDTF value leaves its date open: "1997~", "1990/1992", "[1992,1996]", "199X"."""
    return bool(_UNCERTAIN.search(value or ""))


def shape(start: str, end: str = "") -> str:
    """How a date is drawn: a range when uncertain, a span with a certain end, else a point."""
    if is_uncertain(start) or is_uncertain(end):
        return RANGE
    return SPAN if end and end != start else POINT


def choose_zoom(first: datetime.date, last: datetime.date) -> str:
    """The zoom that shows the whole stretch: months within two years, years within forty."""
    years = last.year - first.year
    if years < 2:
        return MONTH
    return YEAR if years < MAX_UNITS[YEAR] else DECADE


def _floor(day: datetime.date, zoom: str) -> datetime.date:
    if zoom == DECADE:
        return datetime.date(max(1, day.year - day.year % 10), 1, 1)
    if zoom == YEAR:
        return datetime.date(day.year, 1, 1)
    return datetime.date(day.year, day.month, 1)


def _step(day: datetime.date, zoom: str, units: int = 1) -> datetime.date:
    """The first day of the unit `units` after the one that starts on `day`."""
    if zoom == MONTH:
        months = day.year * 12 + day.month - 1 + units
        year, month = divmod(months, 12)
    else:
        year, month = day.year + units * (10 if zoom == DECADE else 1), 0
    year = min(year, datetime.MAXYEAR)
    return datetime.date(year, month + 1, 1)


def _units(start: datetime.date, stop: datetime.date, zoom: str) -> int:
    if zoom == MONTH:
        return (stop.year - start.year) * 12 + stop.month - start.month
    return (stop.year - start.year) // (10 if zoom == DECADE else 1)


@dataclass(frozen=True)
class Frame:
    """The stretch of time an axis shows: from `start` to the day before `stop`."""

    start: datetime.date
    stop: datetime.date
    zoom: str
    earlier: bool = False  # it starts at a year the reader chose: earlier years may hold more
    later: bool = False  # it was cut short at MAX_UNITS: what was asked goes on after it

    @property
    def last(self) -> datetime.date:
        return self.stop - datetime.timedelta(days=1)

    @property
    def days(self) -> int:
        return max(1, (self.stop - self.start).days)

    def x(self, day: datetime.date) -> float:
        """A day's place on the axis, in percent of its width, held to 0–100."""
        return min(100.0, max(0.0, (day - self.start).days * 100 / self.days))

    def overlaps(self, earliest: datetime.date, latest: datetime.date) -> bool:
        return earliest < self.stop and latest >= self.start


def frame(
    first: datetime.date,
    last: datetime.date,
    zoom: str,
    *,
    from_year: int | None = None,
    to_year: int | None = None,
) -> Frame:
    """The axis for items from `first` to `last` (or the years asked), whole units of the zoom,
    at most MAX_UNITS of them from its start: what lies beyond is paged to."""
    wanted_start = datetime.date(from_year, 1, 1) if from_year else first
    wanted_last = datetime.date(to_year, 12, 31) if to_year else last
    wanted_last = max(wanted_last, wanted_start)
    start = _floor(wanted_start, zoom)
    stop = _step(_floor(wanted_last, zoom), zoom)
    later = _units(start, stop, zoom) > MAX_UNITS[zoom]
    if later:
        stop = _step(start, zoom, MAX_UNITS[zoom])
    return Frame(start, stop, zoom, earlier=bool(from_year) and zoom != DECADE, later=later)


@dataclass(frozen=True)
class Tick:
    """A unit's start on the axis: its place, its label (blank where thinned), its years."""

    x: float
    label: str
    from_year: int
    to_year: int


def _label(day: datetime.date, zoom: str, first: bool) -> str:
    if zoom == DECADE:
        return f"{day.year}s"
    if zoom == YEAR:
        return str(day.year)
    name = calendar.month_abbr[day.month]
    return f"{name} {day.year}" if first or day.month == 1 else name


def ticks(axis: Frame) -> list[Tick]:
    """One tick at the start of each unit of the frame, labels thinned to MAX_LABELS at most."""
    count = _units(axis.start, axis.stop, axis.zoom)
    every = max(1, math.ceil(count / MAX_LABELS))
    result = []
    for n in range(count):
        day = _step(axis.start, axis.zoom, n)
        label = _label(day, axis.zoom, first=n == 0) if n % every == 0 else ""
        last_year = day.year + 9 if axis.zoom == DECADE else day.year
        result.append(Tick(round(axis.x(day), 3), label, day.year, last_year))
    return result


@dataclass(frozen=True)
class Bar:
    """An item drawn on the axis: from x, this wide (percent); its middle for a point; whether it
    runs on past either edge of the frame."""

    x: float
    width: float
    shape: str
    cut_before: bool = False
    cut_after: bool = False

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 3)

    @property
    def end(self) -> float:
        return round(self.x + self.width, 3)


def bar(axis: Frame, earliest: datetime.date, latest: datetime.date, drawn: str) -> Bar:
    """Where an item from `earliest` to `latest` (both days included) lies on the axis."""
    left = axis.x(earliest)
    right = axis.x(latest + datetime.timedelta(days=1)) if latest < datetime.date.max else 100.0
    return Bar(
        round(left, 3),
        round(max(0.0, right - left), 3),
        drawn,
        cut_before=earliest < axis.start,
        cut_after=latest >= axis.stop,
    )


def pages(axis: Frame, to_year: int | None = None) -> dict[str, tuple[int, int | None]]:
    """The years an "earlier" and a "later" link ask for (from, to), where the frame has them:
    later when the frame was cut short, earlier when it starts at a year the reader chose."""
    span = max(1, axis.stop.year - axis.start.year)
    links = {}
    if axis.earlier:
        links["earlier"] = (axis.start.year - span, axis.start.year - 1)
    if axis.later:
        links["later"] = (axis.stop.year, to_year)
    return links
