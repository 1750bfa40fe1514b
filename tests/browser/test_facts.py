"""An editor gives a fact a second value from another source, in a real browser, and the page
shows the two side by side as a dispute, each with the passage that states it."""

import pytest
from playwright.sync_api import expect

from tests.factories import FactionFactory, SourceFactory, editor
from wiki.claims.saving import ClaimEdit
from wiki.models import Claim
from wiki.services import page_save

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "In 1992, the Northern Alliance was established"
SECOND = "the Northern Alliance formed in 1996 against the Taliban"


def test_a_second_disagreeing_value_with_its_passage_makes_the_fact_disputed(
    page, live_server, login, screenshot
):
    SourceFactory(key="ric", title="Background report", text=f"{FIRST} in opposition.")
    SourceFactory(key="news", title="A later article", text=f"Some say {SECOND}.")
    alliance = FactionFactory(title="Northern Alliance", slug="northern-alliance")
    founded = Claim(field="founded", value="1992", evidence=f'[@ric "{FIRST}"]')
    page_save(page=alliance, body="", user=None, claims=[ClaimEdit(founded)])

    login(page, editor())
    page.goto(f"{live_server.url}/factions/northern-alliance/edit/")
    facts = page.get_by_role("group", name="Facts")
    facts.get_by_text("+ another founded value").click()
    facts.get_by_label("Founded (value 2) (optional)", exact=True).fill("1996")
    facts.get_by_label("Source for founded (value 2) (optional)", exact=True).fill(
        f'[@news "{SECOND}"]'
    )
    page.get_by_label("Edit summary").fill("The article dates it to 1996")
    page.get_by_role("button", name="Save changes").click()

    expect(page).to_have_url(f"{live_server.url}/factions/northern-alliance/")
    box = page.get_by_role("complementary", name="Facts")
    disputed = box.locator("dd.disputed")
    expect(box.locator("dt.disputed")).to_contain_text("Founded")
    expect(box.locator("dt.disputed")).to_contain_text("sources disagree")
    expect(disputed.locator("li.claim")).to_have_count(2)
    expect(disputed).to_contain_text("1992")
    expect(disputed).to_contain_text("1996")
    # Each value with the passage that states it, side by side, and its footnote.
    expect(disputed.locator(".claim__passages")).to_contain_text([FIRST, SECOND])
    expect(disputed.locator("sup.footnote-ref")).to_have_count(2)
    references = page.get_by_role("region", name="References")
    expect(references).to_contain_text(SECOND)
    alliance.refresh_from_db()
    assert alliance.founded == "[1992,1996]"
    screenshot(page, "disputed-fact")


def test_a_facts_wrong_quote_offers_the_closest_passage_to_use(page, live_server, login):
    SourceFactory(key="ric", title="Background report", text=f"{FIRST} in opposition.")
    FactionFactory(title="Northern Alliance", slug="northern-alliance")
    login(page, editor())
    page.goto(f"{live_server.url}/factions/northern-alliance/edit/")
    facts = page.get_by_role("group", name="Facts")
    facts.get_by_label("Founded (optional)", exact=True).fill("1992")
    source = facts.get_by_label("Source for founded (optional)", exact=True)
    source.fill('[@ric "In 1992 the Northern Alliance was founded"]')
    page.get_by_role("button", name="Save changes").click()

    expect(facts.locator(".field__error")).to_contain_text("Closest passage")
    facts.get_by_role("button", name="Use this passage").click()
    expect(source).to_have_value(f'[@ric "{FIRST}"]')
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(f"{live_server.url}/factions/northern-alliance/")
    expect(page.get_by_role("complementary", name="Facts")).to_contain_text("1992")
