"""What a claim's value may be, when two values agree, and what an entry's field reads as.

Pure: no database, no Django models. Dates are EDTF; a place is text; fatalities are a number or
a range as reported ("70", "2,500", "70-120", "at least 40"). Two values agree when they can
mean the same thing: dates whose spans overlap ("2006-05" and "2006-05-05"), counts whose ranges
overlap ("70" and "60-80"), places that read alike whatever the case, accents or punctuation.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sources.common import dates
from sources.common.folding import name_form

DATE = "date"
COUNT = "count"
TEXT = "text"

# The facts an entry states beside its body, by field: (label, kind). Each entry type names
# which of them it has (wiki.models: Entry.claim_fields).
FIELDS = {
    "born": ("Born", DATE),
    "died": ("Died", DATE),
    "founded": ("Founded", DATE),
    "dissolved": ("Dissolved", DATE),
    "start": ("Start", DATE),
    "end": ("End", DATE),
    "place": ("Place", TEXT),
    "fatalities": ("Fatalities", COUNT),
}

MAX_LENGTH = 200
# What an entry's date field holds (sources.common.models.EDTFField): a date claim, and the
# entry's field derived from several, must fit in it.
DATE_MAX_LENGTH = 64
COUNT_EXPECTED = 'Give a number or a range as reported, e.g. 70, 2,500, 70-120 or "at least 40".'

_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
# "at least 40", "more than 1,000": a lower bound only; "up to 300": an upper bound only.
_AT_LEAST = r"at least|more than|over|some|about|around|approximately|c\.|~"
_AT_MOST = r"up to|at most|fewer than|less than|under"
_COUNT = re.compile(
    rf"^(?:(?P<above>{_AT_LEAST})\s*)?(?:(?P<below>{_AT_MOST})\s*)?"
    rf"(?P<low>{_NUMBER})(?:\s*(?:-|–|—|to)\s*(?P<high>{_NUMBER}))?\+?$",
    re.IGNORECASE,
)
# Words that widen a count without making it a bound ("about 70" may be 60 or 80).
_ROUGH = {"about", "around", "approximately", "c.", "~", "some"}


class InvalidValue(ValueError):
    """A value its field cannot hold; the message says what the field expects."""


@dataclass(frozen=True)
class Span:
    """What a value can mean, as a closed range; None is open (no bound on that side)."""

    low: object = None
    high: object = None

    def overlaps(self, other: "Span") -> bool:
        # A value read as text (stored before its field was checked) and a date or count
        # cannot mean the same thing, and their bounds cannot be compared.
        kinds = {type(bound) for bound in (self.low, self.high, other.low, other.high)}
        if len(kinds - {type(None)}) > 1:
            return False
        return (self.low is None or other.high is None or self.low <= other.high) and (
            other.low is None or self.high is None or other.low <= self.high
        )

    @property
    def width(self) -> float:
        """How much the value leaves open: a day is narrower than a month, 70 than 60-80."""
        if self.low is None or self.high is None:
            return float("inf")
        if isinstance(self.low, str):  # a place: one name, however long
            return 0 if self.low == self.high else float("inf")
        if isinstance(self.low, date):
            return (self.high - self.low).days
        return self.high - self.low


def kind_of(field: str) -> str:
    try:
        return FIELDS[field][1]
    except KeyError:
        raise InvalidValue(f"“{field}” is not a fact a page states.") from None


def label_of(field: str) -> str:
    return FIELDS[field][0] if field in FIELDS else field


def clean(field: str, value: str) -> str:
    """The value as stored: white space tidied, checked against what the field holds."""
    value = " ".join((value or "").split())
    if not value:
        raise InvalidValue(f"{label_of(field)}: give a value.")
    longest = DATE_MAX_LENGTH if kind_of(field) == DATE else MAX_LENGTH
    if len(value) > longest:
        raise InvalidValue(f"{label_of(field)}: at most {longest} characters.")
    span(field, value)  # raises when the field cannot hold it
    return value


def span(field: str, value: str) -> Span:
    """What the value can mean, for comparing it with others. InvalidValue if it cannot be one."""
    kind = kind_of(field)
    if kind == DATE:
        try:
            low, high = dates.bounds(value)
        except dates.InvalidDate as error:
            raise InvalidValue(f"{label_of(field)}: {error}") from None
        return Span(low, high)
    if kind == COUNT:
        return _count_span(field, value)
    return Span(name_form(value), name_form(value))


def _count_span(field: str, value: str) -> Span:
    match = _COUNT.match(value.strip())
    if match is None:
        raise InvalidValue(f"{label_of(field)}: “{value}” is not a count. {COUNT_EXPECTED}")
    low = int(match["low"].replace(",", ""))
    high = int(match["high"].replace(",", "")) if match["high"] else low
    if high < low:
        raise InvalidValue(f"{label_of(field)}: “{value}” runs backwards; put the lower first.")
    above, below = (match["above"] or "").lower(), (match["below"] or "").lower()
    if above in _ROUGH:  # a rough count: a tenth either way
        return Span(low - low // 10, high + high // 10)
    if above or value.rstrip().endswith("+"):
        return Span(low, None)
    if below:
        return Span(0, high)
    return Span(low, high)


def comparable(field: str, value: str) -> Span:
    """span(), or the value as text where it is not one the field holds (a value saved before
    its field was checked): reading never fails on what was stored."""
    try:
        return span(field, value)
    except InvalidValue:
        return Span(name_form(value), name_form(value))


def agree(field: str, first: str, second: str) -> bool:
    """Whether two values of one field can both be true."""
    return comparable(field, first).overlaps(comparable(field, second))


def disagreeing(field: str, values: Sequence[str]) -> bool:
    """Whether any two of these values cannot both be true."""
    spans = [comparable(field, value) for value in dict.fromkeys(values)]
    return any(
        not first.overlaps(second) for i, first in enumerate(spans) for second in spans[i + 1 :]
    )


def combined(field: str, values: Sequence[str]) -> str:
    """What an entry's field reads as, given the values its leading claims give.

    One value, or values that agree: the most precise of them. Values that disagree: for a date,
    an EDTF "one of" set of them ("[1992,1996]"), or the interval spanning them where a set
    cannot hold them; for a count, the range spanning them; for a place, the names joined.
    """
    values = list(dict.fromkeys(values))
    if not values:
        return ""
    if not disagreeing(field, values):
        return min(values, key=lambda value: comparable(field, value).width)
    kind = kind_of(field)
    try:
        ordered = sorted(values, key=lambda value: _sort_key(span(field, value)))
    except InvalidValue:  # a value stored before its field was checked: keep them as typed
        return " / ".join(values)[:MAX_LENGTH]
    if kind == DATE:
        return _one_of(field, ordered)
    if kind == COUNT:
        spans = [span(field, value) for value in ordered]
        low = min(s.low for s in spans)
        high = None if any(s.high is None for s in spans) else max(s.high for s in spans)
        return f"{low:,}-{high:,}" if high is not None else f"at least {low:,}"
    return " / ".join(ordered)[:MAX_LENGTH]


def _sort_key(value_span: Span):
    # Open starts first; within one field every bound is of one type.
    return (value_span.low is not None, value_span.low if value_span.low is not None else 0)


def _one_of(field: str, ordered: list[str]) -> str:
    one_of = f"[{','.join(ordered)}]"
    if _fits(one_of):
        return one_of
    # An interval from the earliest value's start to the latest value's end, each as typed; an
    # open end ("1994/..") leaves the span open on that side.
    spans = {value: span(field, value) for value in ordered}
    earliest = min((s.low for s in spans.values() if s.low is not None), default=None)
    latest = max((s.high for s in spans.values() if s.high is not None), default=None)
    low = high = ".."
    if all(s.low is not None for s in spans.values()):
        low = _end_as_typed(min(spans, key=lambda value: spans[value].low), 0)
    if all(s.high is not None for s in spans.values()):
        high = _end_as_typed(max(spans, key=lambda value: spans[value].high), 1)
    if _fits(f"{low}/{high}"):
        return f"{low}/{high}"
    # An end that cannot stand in an interval as typed (a set, a time of day): its day.
    low = earliest.isoformat() if low != ".." else low
    high = latest.isoformat() if high != ".." else high
    return f"{low}/{high}"


def _fits(value: str) -> bool:
    """Whether a derived date is one the entry's field holds: valid EDTF, short enough."""
    if len(value) > DATE_MAX_LENGTH:
        return False
    try:
        dates.parse(value)
    except dates.InvalidDate:
        return False
    return True


def _end_as_typed(value: str, side: int) -> str:
    """One end of a value as typed: the value itself, or that end of an interval."""
    return (value.split("/")[side] or "..") if "/" in value else value


# Ranks, as in Wikidata: a preferred claim settles its field; a deprecated one is shown, struck,
# with the reason, and counts for nothing else.
PREFERRED, NORMAL, DEPRECATED = "preferred", "normal", "deprecated"


def leading(claims: Sequence) -> list:
    """The claims that decide a field (anything with `value` and `rank`): the preferred ones,
    else every claim that is not deprecated."""
    preferred = [claim for claim in claims if claim.rank == PREFERRED]
    return preferred or [claim for claim in claims if claim.rank == NORMAL]


def is_disputed(field: str, claims: Sequence) -> bool:
    """Whether the claims that decide a field disagree: sources at odds, until a curator ranks
    them (a preferred claim, or deprecating the values that are wrong, settles it)."""
    return disagreeing(field, [claim.value for claim in leading(claims)])


def derived(field: str, claims: Sequence) -> str:
    """What the entry's own field reads as: see combined()."""
    return combined(field, [claim.value for claim in leading(claims)])
