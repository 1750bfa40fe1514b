"""A person reads and logs in, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.factories import ActorFactory, SourceFactory, editor
from wiki.services import page_save

pytestmark = pytest.mark.django_db(transaction=True)


def test_log_in_and_out(page, live_server, login):
    user = editor()
    login(page, user)
    expect(page.get_by_text(user.username)).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_a_footnote_leads_to_the_highlighted_passage(page, live_server, screenshot):
    SourceFactory(key="ric", title="Background on the Northern Alliance")
    actor = page_save(
        page=ActorFactory(title="Ahmad Shah Massoud"),
        body='He led the Jamiat-e Islami party. [@ric "head of the Jamiat-e Islami Party"]',
        user=None,
    )
    page.goto(live_server.url + actor.get_absolute_url())
    screenshot(page, "entry-detail")
    page.locator("sup.footnote-ref a").first.click()
    with page.expect_navigation():
        page.locator("#fn-1 a.ref-passage").click()
    mark = page.locator("mark:target")
    expect(mark).to_have_text("head of the Jamiat-e Islami Party")
    screenshot(page, "source-viewer")
