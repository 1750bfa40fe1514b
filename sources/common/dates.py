"""EDTF dates (Library of Congress Extended Date/Time Format): validation and sortable bounds."""

import calendar
import datetime
import functools
import re
import time

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

EXPECTED_FORM = (
    "Use an EDTF date such as 1997, 1992-04, 2021-08-15, 1997~ (approximate), "
    "1997? (uncertain) or 1990/1992 (a range)."
)


# The years a date may name. EDTF itself reaches further ("Y170000002", "Y17E7"), but no
# calendar date beyond them can be sorted, and an exponent such as "Y9E999999" alone takes
# seconds to expand: such years are refused before the grammar sees them.
MIN_YEAR, MAX_YEAR = -9999, 9999
_LONG_NUMBER = re.compile(r"\d{5,}")
_EXPONENT = re.compile(r"(\d+)E(\d+)", re.IGNORECASE)


class InvalidDate(ValueError):
    """A date string that is not valid EDTF."""


# The EDTF grammar (pyparsing) takes milliseconds a call; the same few dates recur constantly.
@functools.lru_cache(maxsize=4096)
def parse(value: str):
    """Parse an EDTF string, raising InvalidDate with the expected form on failure."""
    if _year_out_of_range(value):
        raise InvalidDate(
            f"“{value}” is not a date Attest understands: its year is out of range. Years run "
            f"from {MIN_YEAR} to {MAX_YEAR}."
        )
    try:
        return parse_edtf(value.strip())
    except (EDTFParseException, ValueError, TypeError) as error:
        raise InvalidDate(f"“{value}” is not a date Attest understands. {EXPECTED_FORM}") from error


def _year_out_of_range(value: str) -> bool:
    # A year of five digits or more, or one whose exponent makes it so ("Y17E7" is 170,000,000).
    if _LONG_NUMBER.search(value):
        return True
    for digits, exponent in _EXPONENT.findall(value):
        if digits.strip("0") and len(digits.lstrip("0")) + int(exponent) > len(str(MAX_YEAR)):
            return True
    return False


def _to_date(moment) -> datetime.date | None:
    # Open interval ends come back as infinite floats; years before 1 cannot be a datetime.date.
    if not isinstance(moment, time.struct_time):
        return None
    try:
        return datetime.date(moment.tm_year, moment.tm_mon, moment.tm_mday)
    except (ValueError, OverflowError):
        return None


def bounds(value: str) -> tuple[datetime.date | None, datetime.date | None]:
    """Earliest and latest day an EDTF value can mean (approximation widens them); blank -> None."""
    if not value or not value.strip():
        return None, None
    parsed = parse(value)
    return _to_date(parsed.lower_fuzzy()), _to_date(parsed.upper_fuzzy())


# Dates as a reader says them.

_EDTF_DAY = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?([~?%]?)$")


def _one_date(value: str) -> str:
    match = _EDTF_DAY.match(value)
    if not match:
        return value
    year, month, day, qualifier = match.groups()
    if month and not 1 <= int(month) <= 12:  # seasons (1997-21) and the like stay as typed
        return value
    text = str(int(year))
    if month:
        text = f"{calendar.month_name[int(month)]} {text}"
    if day:
        text = f"{int(day)} {text}"
    if qualifier in ("~", "%"):
        text = f"c. {text}"
    if qualifier in ("?", "%"):
        text = f"{text}?"
    return text


def date_display(value: str) -> str:
    """An EDTF date as a reader says it: 1999-12-14 → 14 December 1999, 1997~ → c. 1997.

    Forms it does not know are shown as typed.
    """
    value = (value or "").strip()
    if value.startswith("[") and value.endswith("]") and "," in value:  # EDTF "one of a set"
        return " or ".join(date_display(part) for part in value[1:-1].split(","))
    if "/" in value:
        start, _, end = value.partition("/")
        start, end = (_one_date(part) if part not in ("", "..") else "…" for part in (start, end))
        return f"{start} – {end}"
    return _one_date(value)


def span_display(start: str, end: str, *, since: str = "from", until: str = "until") -> str:
    """Two EDTF dates as one span: "1992 – 2001", "from 1992", "until 2001" or ""."""
    start, end = date_display(start), date_display(end)
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"{since} {start}"
    return f"{until} {end}" if end else ""
