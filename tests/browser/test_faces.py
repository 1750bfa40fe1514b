"""One reader's way through the faces of the wiki, in a real browser: the timeline filtered by a
faction, an item's passage read beside it and opened in the source viewer, then the network
panned and zoomed (the vendored svg-pan-zoom, under the Content Security Policy) and a tie's
passages opened from the drawing."""

import re

import pytest
from playwright.sync_api import expect

from tests.wiki.graph import conftest as graph_data
from wiki.models import Claim
from wiki.services import claim_save

pytestmark = pytest.mark.django_db(transaction=True)

world = graph_data.world  # the same small wiki as the network's tests


@pytest.fixture
def dated_world(world):
    """The world, with the battle's day stated by a passage (the timeline shows it)."""
    claim_save(
        claim=Claim(
            subject=world.battle,
            field="start",
            value="1996-09-27",
            evidence=f'[@corpus "{graph_data.PASSAGES["battle"]}"]',
        ),
        user=None,
    )
    return world


def test_a_reader_filters_the_timeline_opens_a_passage_and_pans_the_network(
    page, live_server, dated_world, screenshot
):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/timeline/")
    screenshot(page, "timeline")
    page.get_by_label("Faction").fill("taliban")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/timeline/\?actor=&faction=taliban&"))
    battle = page.get_by_role("link", name="Battle of Kabul, 27 September 1996")
    expect(battle).to_be_visible()
    passage = page.locator(".tl-row", has=battle).locator(".tl-passages")
    expect(passage).to_have_css("clip-path", "inset(50%)")  # kept for screen readers only
    battle.focus()
    expect(passage).to_contain_text(graph_data.PASSAGES["battle"])
    expect(passage).to_have_css("clip-path", "none")  # shown beside the focused item
    screenshot(page, "timeline-filtered-passage")
    page.keyboard.press("Tab")  # on to the passage's link, and into the source viewer
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused.startswith("/sources/corpus/#c")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}{focused}")

    page.get_by_role("link", name="Network", exact=True).click()
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
    tie = page.locator(f'a[href="#tie-membership-{dated_world.leader.pk}"]')
    tie.focus()
    page.keyboard.press("Enter")
    row = page.locator(f"#tie-membership-{dated_world.leader.pk}")
    expect(row).to_contain_text(graph_data.PASSAGES["leader"])
    assert not refused, refused
