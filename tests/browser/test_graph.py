"""A reader reads a faction's membership chart in a real browser (the network's pan and zoom:
test_faces)."""

import pytest
from playwright.sync_api import expect

from tests.wiki.graph import conftest as graph_data

pytestmark = pytest.mark.django_db(transaction=True)

world = graph_data.world  # the same small wiki as the view's tests


def test_a_faction_page_charts_its_members(page, live_server, world, screenshot):
    page.goto(f"{live_server.url}/factions/jamiat/")
    chart = page.locator(".mc")
    expect(chart.locator(".mc-row")).to_have_count(2)
    expect(chart.locator(".mc-seg--open-after")).to_have_count(1)
    screenshot(page, "membership-chart")
