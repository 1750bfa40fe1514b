"""EDTF dates (Library of Congress Extended Date/Time Format): validation and sortable bounds."""

import datetime
import functools
import time

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

EXPECTED_FORM = (
    "Use an EDTF date such as 1997, 1992-04, 2021-08-15, 1997~ (approximate), "
    "1997? (uncertain) or 1990/1992 (a range)."
)


class InvalidDate(ValueError):
    """A date string that is not valid EDTF."""


# The EDTF grammar (pyparsing) takes milliseconds a call; the same few dates recur constantly.
@functools.lru_cache(maxsize=4096)
def parse(value: str):
    """Parse an EDTF string, raising InvalidDate with the expected form on failure."""
    try:
        return parse_edtf(value.strip())
    except (EDTFParseException, ValueError, TypeError) as error:
        raise InvalidDate(f"“{value}” is not a date Attest understands. {EXPECTED_FORM}") from error


def _to_date(moment) -> datetime.date | None:
    # Open interval ends come back as infinite floats; years before 1 cannot be a datetime.date.
    if not isinstance(moment, time.struct_time):
        return None
    try:
        return datetime.date(moment.tm_year, moment.tm_mon, moment.tm_mday)
    except ValueError:
        return None


def bounds(value: str) -> tuple[datetime.date | None, datetime.date | None]:
    """Earliest and latest day an EDTF value can mean (approximation widens them); blank -> None."""
    if not value or not value.strip():
        return None, None
    parsed = parse(value)
    return _to_date(parsed.lower_fuzzy()), _to_date(parsed.upper_fuzzy())
