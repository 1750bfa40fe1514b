"""A reader filters the timeline by an actor, in a real browser without a script, moves to an
item with the keyboard and reads the passage that dates it; an uncertain date is a range."""

import pytest
from playwright.sync_api import expect

from tests.wiki.views import test_timeline as timeline_data

pytestmark = pytest.mark.django_db(transaction=True)

wiki = timeline_data.wiki  # the same small wiki as the view's tests


def test_a_reader_filters_the_timeline_and_reads_an_items_passage(
    page, live_server, wiki, screenshot
):
    page.goto(f"{live_server.url}/timeline/")
    screenshot(page, "timeline")
    expect(page.locator(".tl-row--range")).to_have_count(2)  # c. 1997; born 1953 or 1956
    page.get_by_label("Actor").fill("massoud")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(
        f"{live_server.url}/timeline/?actor=massoud&faction=&tag=&from=&to=&zoom="
    )  # noqa: E501
    battle = page.get_by_role("link", name="Battle of Kabul, 27 September 1996")
    expect(battle).to_be_visible()
    expect(page.get_by_role("link", name="Siege of Taloqan, c. 1997")).to_have_count(0)
    passage = page.locator(".tl-row", has=battle).locator(".tl-passages")
    expect(passage).to_have_css("clip-path", "inset(50%)")  # kept for screen readers only
    battle.focus()
    expect(passage).to_contain_text(timeline_data.PASSAGES[0])
    expect(passage).to_have_css("clip-path", "none")  # shown beside the focused item
    screenshot(page, "timeline-actor-passage")
    page.keyboard.press("Tab")  # on to the passage's link, and into the source viewer
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused.startswith("/sources/corpus/#c")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}{focused}")
