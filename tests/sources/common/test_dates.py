import datetime

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
