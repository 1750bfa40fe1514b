"""A reader filters the timeline by an actor in a real browser; an uncertain date is a range.
(Reading an item's passage from the keyboard: test_faces.)"""

import pytest
from playwright.sync_api import expect

from tests.wiki.views import test_timeline as timeline_data

pytestmark = pytest.mark.django_db(transaction=True)

wiki = timeline_data.wiki  # the same small wiki as the view's tests


def test_a_reader_filters_the_timeline_by_an_actor(page, live_server, wiki, screenshot):
    page.goto(f"{live_server.url}/timeline/")
    screenshot(page, "timeline")
    expect(page.locator(".tl-row--range")).to_have_count(2)  # c. 1997; born 1953 or 1956
    page.get_by_label("Actor").fill("massoud")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(
        f"{live_server.url}/timeline/?actor=massoud&faction=&tag=&from=&to=&zoom="
    )
    expect(page.get_by_role("link", name="Battle of Kabul, 27 September 1996")).to_be_visible()
    expect(page.get_by_role("link", name="Siege of Taloqan, c. 1997")).to_have_count(0)
