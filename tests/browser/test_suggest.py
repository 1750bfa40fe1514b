"""Go straight to a page from the header's search box; be asked before making a duplicate."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ActorFactory, EventFactory, FactionFactory, editor
from wiki.models import Actor
from wiki.services import page_save

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wiki():
    for factory, title, slug, aliases in [
        (ActorFactory, "Ahmad Shah Massoud", "ahmad-shah-massoud", "Mas'ud"),
        (ActorFactory, "Massoud Khalili", "massoud-khalili", ""),
        (FactionFactory, "Northern Alliance", "northern-alliance", "United Front"),
    ]:
        page_save(page=factory(title=title, slug=slug, aliases=aliases), body="", user=None)
    page_save(
        page=EventFactory(title="Assassination of Massoud", slug="assassination", is_public=False),
        body="",
        user=None,
    )


@pytest.fixture
def csp_errors(page):
    """Messages of scripts the Content Security Policy refused: there must be none."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security" in message.text else None
        ),
    )
    return refused


def search_box(page):
    return page.get_by_role("combobox", name="Search Attest")


def test_arrow_and_enter_open_a_suggested_page(page, live_server, wiki, csp_errors, screenshot):
    page.goto(f"{live_server.url}/actors/")
    box = search_box(page)
    box.press_sequentially("mass", delay=40)

    suggestions = page.get_by_role("listbox", name="Pages")
    expect(suggestions).to_be_visible()
    options = suggestions.get_by_role("option")
    # Visitors are not offered the unpublished event.
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Massoud Khalili")
    expect(options.nth(1)).to_contain_text("Ahmad Shah Massoud")
    expect(box).to_have_attribute("aria-expanded", "true")
    screenshot(page, "search-suggestions")

    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    box.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/actors/ahmad-shah-massoud/")
    assert csp_errors == []


def test_an_alias_is_named_and_a_click_opens_its_page(page, live_server, wiki):
    page.goto(f"{live_server.url}/sources/")
    search_box(page).press_sequentially("united", delay=40)
    option = page.get_by_role("option", name=re.compile("Northern Alliance"))
    expect(option).to_contain_text("also “United Front”")
    option.click()
    expect(page).to_have_url(f"{live_server.url}/factions/northern-alliance/")


def test_escape_closes_the_list_and_enter_then_searches(page, live_server, wiki):
    page.goto(f"{live_server.url}/actors/")
    box = search_box(page)
    box.press_sequentially("mass", delay=40)
    expect(page.get_by_role("listbox", name="Pages")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox", name="Pages")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("mass")
    box.press("Enter")  # no suggestion chosen: the plain search form
    expect(page).to_have_url(re.compile(r"/search/\?q=mass$"))


def test_the_team_sees_drafts_marked(page, live_server, login, wiki):
    login(page, editor())
    page.goto(f"{live_server.url}/actors/")
    search_box(page).press_sequentially("assass", delay=40)
    expect(page.get_by_role("option").first).to_contain_text("draft")


def test_without_javascript_the_box_searches(browser, live_server, wiki):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/actors/")
    box = page.get_by_role("searchbox", name="Search Attest")
    box.fill("massoud")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=massoud$"))
    context.close()


def test_a_new_page_with_a_close_name_asks_then_creates_on_confirmation(
    page, live_server, login, wiki, screenshot
):
    login(page, editor())
    page.goto(f"{live_server.url}/actors/new/")
    page.get_by_label("Title", exact=True).fill("Ahmed Shah Masoud")
    page.get_by_role("button", name="Create page").click()

    warning = page.locator("#duplicate-warning")
    expect(warning).to_contain_text("Did you mean Ahmad Shah Massoud?")
    expect(warning.get_by_role("link", name="Ahmad Shah Massoud")).to_have_attribute(
        "href", "/actors/ahmad-shah-massoud/"
    )
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    screenshot(page, "duplicate-warning")
    assert not Actor.objects.filter(title="Ahmed Shah Masoud").exists()

    page.get_by_label("This is a different person: create it anyway").check()
    page.get_by_role("button", name="Create page").click()
    expect(page).to_have_url(f"{live_server.url}/actors/ahmed-shah-masoud/")
    expect(page.get_by_role("status")).to_contain_text("Created the actor “Ahmed Shah Masoud”")
