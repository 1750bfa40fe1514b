"""A faction's membership chart: bars on one axis, solid where the membership held, lighter
between an end's earliest and latest day, fading where an end is open; each bar links to its
passage; the public sees the members and passages the table shows it."""

import datetime
import re

import pytest

from tests.factories import editor
from wiki.graph import chart
from wiki.models import Membership
from wiki.timeline import layout

D = datetime.date
AXIS = layout.frame(D(1970, 1, 1), D(2009, 12, 31), layout.YEAR)


def membership(s_e=None, s_l=None, e_e=None, e_l=None) -> Membership:
    return Membership(start_earliest=s_e, start_latest=s_l, end_earliest=e_e, end_latest=e_l)


@pytest.mark.parametrize(
    ("bounds", "kinds"),
    [
        # "1978~ / 2001-09-09": a lighter start, then solid to the day it ended.
        ((D(1977, 1, 1), D(1979, 12, 31), D(2001, 9, 9), D(2001, 9, 9)), ["approximate", "solid"]),
        # "1972/..": open, fading out to the axis' end.
        ((D(1972, 1, 1), D(1972, 12, 31), None, None), ["approximate", "open-after"]),
        # "1980-05-01/..": a day's start is certain: no lighter part.
        ((D(1980, 5, 1), D(1980, 5, 1), None, None), ["open-after"]),
        # "../1990": no start, fading in from the axis' start.
        ((None, None, D(1990, 1, 1), D(1990, 12, 31)), ["open-before", "approximate"]),
        # "1990 / 1995": both ends known to the year.
        (
            (D(1990, 1, 1), D(1990, 12, 31), D(1995, 1, 1), D(1995, 12, 31)),
            ["approximate", "solid", "approximate"],
        ),
        # "1990 / 1990": nothing of it is certain.
        ((D(1990, 1, 1), D(1990, 12, 31), D(1990, 1, 1), D(1990, 12, 31)), ["approximate"]),
        ((D(1990, 3, 1), D(1990, 3, 1), D(1990, 3, 1), D(1990, 3, 1)), ["solid"]),
    ],
)
def test_segments_say_how_sure_each_stretch_is(bounds, kinds):
    segments = chart._segments(AXIS, membership(*bounds))
    assert [segment.kind for segment in segments] == kinds
    assert all(0 <= s.x <= 100 and s.width >= 0 for s in segments)


def test_an_open_membership_runs_to_the_axis_end():
    (_, fading) = chart._segments(AXIS, membership(D(1972, 1, 1), D(1972, 12, 31)))
    assert fading.x + fading.width == pytest.approx(100, abs=0.01)


def section_of(html: str) -> str:
    return re.search(r'<section class="mc".*?</section>', html, re.DOTALL)[0]


@pytest.mark.django_db
def test_a_faction_page_charts_its_members(client, world):
    html = section_of(client.get("/factions/jamiat/").content.decode())
    assert "Ahmad Shah Massoud" in html and "Burhanuddin Rabbani" in html
    assert "Hidden Man" not in html  # a draft: the public does not see it
    rows = re.findall(r'<li class="mc-row.*?</li>', html, re.DOTALL)
    massoud, rabbani = (row for name in ("Massoud", "Rabbani") for row in rows if name in row)
    assert "mc-seg--approximate" in massoud and "mc-seg--solid" in massoud
    assert "mc-seg--open-after" in rabbani and 'fill="url(#mc-fade-after)"' in rabbani
    assert re.search(r'<a class="mc-bar" href="/sources/corpus/#c\d+"><title>', massoud)
    assert "Massoud led the Jamiat forces in the north" in massoud


@pytest.mark.django_db
def test_the_team_sees_draft_members_and_their_passages(client, world):
    client.force_login(editor())
    html = section_of(client.get("/factions/jamiat/").content.decode())
    assert "Hidden Man" in html and "The unpublished notes say he joined early" in html


@pytest.mark.django_db
def test_only_factions_have_a_chart(client, world):
    assert 'class="mc"' not in client.get("/actors/massoud/").content.decode()
    assert 'class="mc"' not in client.get("/factions/hezb/").content.decode()


@pytest.mark.django_db
def test_a_faction_whose_members_are_all_undated_has_no_chart(client, world):
    Membership.objects.update(start="", start_earliest=None, start_latest=None)
    Membership.objects.update(end="", end_earliest=None, end_latest=None)
    html = client.get("/factions/jamiat/").content.decode()
    assert 'class="mc"' not in html and "Ahmad Shah Massoud" in html
