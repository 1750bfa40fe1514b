import datetime
import time

import pytest

from sources.common import dates

D = datetime.date


@pytest.mark.parametrize(
    ("value", "earliest", "latest"),
    [
        ("1997", D(1997, 1, 1), D(1997, 12, 31)),
        ("1992-04", D(1992, 4, 1), D(1992, 4, 30)),
        ("2021-08-15", D(2021, 8, 15), D(2021, 8, 15)),
        ("1997~", D(1996, 1, 1), D(1998, 12, 31)),  # approximate widens both ends
        ("1990/1992", D(1990, 1, 1), D(1992, 12, 31)),
        ("1990/..", D(1990, 1, 1), None),  # open end: no upper bound
        ("", None, None),
        ("  ", None, None),
    ],
)
def test_bounds_of_valid_edtf(value, earliest, latest):
    assert dates.bounds(value) == (earliest, latest)


@pytest.mark.parametrize("value", ["Aug 1998", "1997-02-30", "early 1997", "14/12/1999"])
def test_invalid_dates_name_the_expected_form(value):
    with pytest.raises(dates.InvalidDate) as raised:
        dates.parse(value)
    assert value in str(raised.value)
    assert "1992-04" in str(raised.value)  # the message shows the form expected


@pytest.mark.parametrize(
    "value",
    [
        "99999999",
        "-99999999",
        "10000",
        "Y170000002",
        "Y-170000002",
        "Y17E7",  # 170,000,000
        "Y17E700",  # a datetime.date cannot hold it
        "Y9E999999",  # seconds to expand, were it expanded
        "Y99999999999999999999999",
        "1990/Y170000002",
    ],
)
def test_years_beyond_four_digits_are_refused_quickly_naming_the_range(value):
    started = time.perf_counter()
    with pytest.raises(dates.InvalidDate) as raised:
        dates.bounds(value)
    assert time.perf_counter() - started < 0.05
    assert f"“{value}” is not a date Attest understands: its year is out of range." in str(
        raised.value
    )
    assert "Years run from -9999 to 9999." in str(raised.value)


@pytest.mark.parametrize(
    ("value", "earliest"),
    [("Y17E2", D(1700, 1, 1)), ("9999", D(9999, 1, 1)), ("-9999", None), ("0000", None)],
)
def test_years_within_the_range_are_dates(value, earliest):
    assert dates.bounds(value)[0] == earliest
