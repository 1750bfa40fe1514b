"""A reader pans and zooms the network in a real browser (the vendored svg-pan-zoom, under the
Content Security Policy), opens a tie's passages from the drawing, and reads a faction's
membership chart."""

import re

import pytest
from playwright.sync_api import expect

from tests.wiki.graph import conftest as graph_data

pytestmark = pytest.mark.django_db(transaction=True)

world = graph_data.world  # the same small wiki as the view's tests


def test_a_reader_pans_and_zooms_the_network_and_opens_a_ties_passages(
    page, live_server, world, screenshot
):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/graph/")
    viewport = page.locator(".g-viewport")
    expect(page.locator(".g-controls")).to_be_visible()  # the script ran
    expect(viewport).to_have_attribute("transform", re.compile(r"matrix"))
    before = viewport.get_attribute("transform")
    page.get_by_role("button", name="Zoom in").click()
    expect(viewport).not_to_have_attribute("transform", before)
    zoomed = viewport.get_attribute("transform")
    box = page.locator(".g-svg").bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 140, box["y"] + 90, steps=5)
    page.mouse.up()
    expect(viewport).not_to_have_attribute("transform", zoomed)  # panned
    screenshot(page, "graph")
    page.get_by_role("button", name="Fit").click()
    tie = page.locator(f'a[href="#tie-membership-{world.leader.pk}"]')
    tie.focus()
    page.keyboard.press("Enter")
    row = page.locator(f"#tie-membership-{world.leader.pk}")
    expect(row).to_contain_text(graph_data.PASSAGES["leader"])
    assert not refused, refused


def test_a_faction_page_charts_its_members(page, live_server, world, screenshot):
    page.goto(f"{live_server.url}/factions/jamiat/")
    chart = page.locator(".mc")
    expect(chart.locator(".mc-row")).to_have_count(2)
    expect(chart.locator(".mc-seg--open-after")).to_have_count(1)
    screenshot(page, "membership-chart")
