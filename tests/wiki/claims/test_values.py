"""The rules of a claim's value (wiki.claims.values): what each field holds, when two values
agree, when a field is disputed and what the entry's own field reads as. Pure: tables."""

from dataclasses import dataclass

import pytest

from wiki.claims import values
from wiki.claims.values import DEPRECATED, NORMAL, PREFERRED

EDTF_EXPECTED = "Use an EDTF date such as 1997"


@dataclass(frozen=True)
class C:
    """A claim as the rules see it: a value and a rank."""

    value: str
    rank: str = NORMAL


# ---------------------------------------------------------------------------------------------
# What each field holds


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("born", "1953", "1953"),
        ("born", "  1953-04 ", "1953-04"),
        ("died", "2001-09-09", "2001-09-09"),
        ("founded", "1992/1994", "1992/1994"),
        ("dissolved", "1997~", "1997~"),
        ("start", "1996?", "1996?"),
        ("end", "1992/..", "1992/.."),
        ("start", "[1992,1996]", "[1992,1996]"),
        ("fatalities", "70", "70"),
        ("fatalities", "2,500", "2,500"),
        ("fatalities", "70-120", "70-120"),
        ("fatalities", "70–120", "70–120"),
        ("fatalities", "70 to 120", "70 to 120"),
        ("fatalities", "at least 40", "at least 40"),
        ("fatalities", "up to 300", "up to 300"),
        ("fatalities", "about 70", "about 70"),
        ("fatalities", "1000+", "1000+"),
        ("place", "  Mazar-i-Sharif ", "Mazar-i-Sharif"),
        ("place", "Kabul,   Afghanistan", "Kabul, Afghanistan"),
    ],
)
def test_clean_keeps_a_valid_value_with_its_white_space_tidied(field, value, stored):
    assert values.clean(field, value) == stored


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        (
            "born",
            "sometime in 1953",
            f"Born: “sometime in 1953” is not a date Attest understands. {EDTF_EXPECTED}",
        ),
        ("died", "2001-13", f"Died: “2001-13” is not a date Attest understands. {EDTF_EXPECTED}"),
        (
            "founded",
            "Y99999",
            "Founded: “Y99999” is not a date Attest understands: its year is out of range.",
        ),
        ("dissolved", "1990s", "Dissolved: “1990s” is not a date Attest understands."),
        ("start", "..", "Start: “..” is not a date Attest understands."),
        ("end", "   ", "End: give a value."),
        ("fatalities", "many", "Fatalities: “many” is not a count. " + values.COUNT_EXPECTED),
        ("fatalities", "2,50", "Fatalities: “2,50” is not a count."),
        ("fatalities", "-5", "Fatalities: “-5” is not a count."),
        ("fatalities", "120-70", "Fatalities: “120-70” runs backwards; put the lower first."),
        ("fatalities", "", "Fatalities: give a value."),
        ("place", "", "Place: give a value."),
        ("place", "x" * 201, "Place: at most 200 characters."),
        ("nickname", "Lion", "“nickname” is not a fact a page states."),
    ],
)
def test_clean_refuses_what_the_field_cannot_hold_saying_what_it_expects(field, value, error):
    with pytest.raises(values.InvalidValue) as refused:
        values.clean(field, value)
    assert str(refused.value).startswith(error)


# ---------------------------------------------------------------------------------------------
# When two values agree


@pytest.mark.parametrize(
    ("field", "first", "second", "agreeing"),
    [
        # Dates agree when the days they can mean overlap.
        ("born", "2006-05", "2006-05-05", True),
        ("born", "2006", "2006-05-05", True),
        ("born", "2006-05", "2006-06-01", False),
        ("born", "1992", "1996", False),
        ("born", "1997", "1998", False),
        ("born", "1997~", "1998", True),  # approximate: a year either way
        ("born", "1997?", "1996", True),
        ("born", "1997~", "1999", False),
        ("founded", "1992/1994", "1993-06", True),
        ("founded", "1992/..", "2020", True),
        ("founded", "../1990", "1991", False),
        # Counts agree when their ranges overlap.
        ("fatalities", "70", "60-80", True),
        ("fatalities", "70", "70", True),
        ("fatalities", "70", "80", False),
        ("fatalities", "70–120", "2,500", False),
        ("fatalities", "at least 40", "1,000", True),
        ("fatalities", "at least 40", "39", False),
        ("fatalities", "up to 300", "300", True),
        ("fatalities", "up to 300", "301", False),
        ("fatalities", "about 70", "77", True),  # rough: a tenth either way
        ("fatalities", "about 70", "78", False),
        ("fatalities", "1000+", "5,000", True),
        # Places agree when they read alike, whatever the case, accents or punctuation.
        ("place", "Kabul", "KABUL", True),
        ("place", "Kābul", "Kabul", True),
        ("place", "Mazar-i-Sharif", "mazar i sharif", True),
        ("place", "Kabul.", "Kabul", True),
        ("place", "Kabul", "Kandahar", False),
    ],
)
def test_agree(field, first, second, agreeing):
    assert values.agree(field, first, second) is agreeing
    assert values.agree(field, second, first) is agreeing
    assert values.disagreeing(field, [first, second]) is not agreeing


def test_one_value_against_the_rest_is_enough_to_disagree():
    assert values.disagreeing("born", ["1953", "1953-04", "1953-04-02"]) is False
    assert values.disagreeing("born", ["1953", "1953-04", "1954"]) is True


# ---------------------------------------------------------------------------------------------
# Disputes: on the leading claims (preferred ones if any, else normal ones)


@pytest.mark.parametrize(
    ("claims", "disputed"),
    [
        ([], False),
        ([C("1953")], False),
        ([C("1953"), C("1953-09-02")], False),
        ([C("1953"), C("1954")], True),
        # A preferred value settles the field, whatever the others say.
        ([C("1953", PREFERRED), C("1954")], False),
        ([C("1953", PREFERRED), C("1954"), C("1955")], False),
        # A deprecated value counts for nothing.
        ([C("1953"), C("1954", DEPRECATED)], False),
        ([C("1953", DEPRECATED), C("1954", DEPRECATED)], False),
        ([C("1953", PREFERRED), C("1954", DEPRECATED)], False),
        # Two preferred values that disagree are still a dispute.
        ([C("1953", PREFERRED), C("1954", PREFERRED)], True),
        ([C("1953", PREFERRED), C("1953-09", PREFERRED), C("1960")], False),
    ],
)
def test_is_disputed_on_the_leading_claims(claims, disputed):
    assert values.is_disputed("born", claims) is disputed


def test_leading_claims_are_the_preferred_else_the_normal_ones():
    preferred, normal, deprecated = C("1953", PREFERRED), C("1954"), C("1955", DEPRECATED)
    assert values.leading([preferred, normal, deprecated]) == [preferred]
    assert values.leading([normal, deprecated]) == [normal]
    assert values.leading([deprecated]) == []


# ---------------------------------------------------------------------------------------------
# What the entry's own field reads as


@pytest.mark.parametrize(
    ("field", "given", "reads"),
    [
        ("born", [], ""),
        ("born", ["1953"], "1953"),
        # Values that agree: the most precise of them.
        ("born", ["2006-05", "2006-05-05"], "2006-05-05"),
        ("born", ["2006", "2006-05-05", "2006-05"], "2006-05-05"),
        ("born", ["1997~", "1998"], "1998"),
        # Dates that disagree: one of a set, in order.
        ("born", ["1996", "1992"], "[1992,1996]"),
        ("born", ["1992", "1996", "1994"], "[1992,1994,1996]"),
        ("born", ["1999", "1997~"], "[1997~,1999]"),
        # Where a set cannot hold them: the interval spanning them, open where one is.
        ("founded", ["1994/..", "1990"], "1990/.."),
        ("founded", ["1990", "1995/.."], "1990/.."),
        ("founded", ["../1990", "1995"], "../1995"),
        ("founded", ["1990/1992", "1995/1997"], "1990/1997"),
        # Counts: the most precise agreeing one, else the range spanning them.
        ("fatalities", ["70", "60-80"], "70"),
        ("fatalities", ["70", "120"], "70-120"),
        ("fatalities", ["2,500", "70"], "70-2,500"),
        ("fatalities", ["70", "at least 200"], "at least 70"),
        ("fatalities", ["up to 30", "70"], "0-70"),
        # Places: one name when they read alike, else the names joined.
        ("place", ["Kabul", "kabul"], "Kabul"),
        ("place", ["Kandahar", "Kabul"], "Kabul / Kandahar"),
    ],
)
def test_combined(field, given, reads):
    assert values.combined(field, given) == reads


@pytest.mark.parametrize(
    ("claims", "reads"),
    [
        ([C("1953", PREFERRED), C("1954")], "1953"),
        ([C("1953"), C("1954", DEPRECATED)], "1953"),
        ([C("1953", DEPRECATED)], ""),
        ([C("1953", PREFERRED), C("1955", PREFERRED), C("1954")], "[1953,1955]"),
        ([C("1953"), C("1955"), C("1954", DEPRECATED)], "[1953,1955]"),
    ],
)
def test_derived_reads_the_leading_claims_only(claims, reads):
    assert values.derived("born", claims) == reads


@pytest.mark.parametrize(
    ("given", "reads"),
    [
        (["1996", "1992"], "[1992,1996]"),
        (["1994/..", "1990"], "1990/.."),
        (["1999", "1997~"], "[1997~,1999]"),
        # Values a set or an interval cannot hold as typed: the days they span.
        (["[1953,1955]", "1960"], "1953-01-01/1960-12-31"),
        (["{1953,1955}", "1960"], "1953-01-01/1960-12-31"),
        (["1950/1951", "[1960,1961]"], "1950-01-01/1961-12-31"),
        (["[1953,1955]", "1960/.."], "1953-01-01/.."),
        # A set too long for the entry's date field: the interval spanning it.
        (
            ["1953-09-02", "1953-10-02", "1953-11-02", "1953-12-02", "1954-01-02", "1954-02-02"],
            "1953-09-02/1954-02-02",
        ),
    ],
)
def test_a_derived_date_is_itself_a_date_the_entry_holds(given, reads):
    assert values.combined("born", given) == reads
    assert values.clean("born", reads) == reads
    assert len(reads) <= values.DATE_MAX_LENGTH


def test_a_date_longer_than_the_entry_holds_is_refused():
    long_set = "[" + ",".join(f"1953-09-{day:02d}" for day in range(1, 7)) + "]"
    with pytest.raises(values.InvalidValue, match="Born: at most 64 characters."):
        values.clean("born", long_set)


def test_joined_places_stay_within_the_length_a_value_may_have():
    joined = values.combined("place", ["a" * 150, "b" * 150])
    assert len(joined) == values.MAX_LENGTH and joined.startswith("a" * 150 + " / b")


# ---------------------------------------------------------------------------------------------
# A value stored before its field was checked never breaks reading


@pytest.mark.parametrize(
    ("field", "stored", "valid"),
    [
        ("born", "sometime in 1953", "1953"),
        ("fatalities", "dozens", "70"),
        ("fatalities", "70 (official)", "at least 40"),
    ],
)
def test_a_value_no_longer_valid_is_compared_without_raising(field, stored, valid):
    assert values.agree(field, stored, valid) is False
    assert values.agree(field, valid, stored) is False
    assert values.disagreeing(field, [valid, stored]) is True
    assert values.is_disputed(field, [C(valid), C(stored)]) is True
    assert values.combined(field, [valid, stored]) == f"{valid} / {stored}"
    assert values.combined(field, [stored]) == stored


def test_invalid_values_that_read_alike_agree_with_each_other():
    assert values.agree("fatalities", "Dozens", "dozens") is True
    assert values.combined("fatalities", ["dozens", "Dozens"]) == "dozens"


def test_a_preferred_valid_value_settles_a_field_with_an_invalid_one():
    claims = [C("1953", PREFERRED), C("sometime in 1953")]
    assert values.is_disputed("born", claims) is False
    assert values.derived("born", claims) == "1953"
