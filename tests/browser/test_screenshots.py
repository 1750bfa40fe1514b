"""Full-page screenshots of the main pages with the demo corpus, for a person to look at.

They land in test-artifacts/screenshots/ (not committed). Each page is checked to be the one
meant before it is photographed, so a screenshot never shows an error page by mistake.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.factories import curator, editor
from wiki.demo.loader import demo_load
from wiki.models import Actor
from wiki.services import page_save

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "abdul-rashid-dostum"
# A full-page capture leaves sticky things (the save bar, the source actions, the scrolling
# "Cited by" column) wherever the viewport was, over other content: put them back in the flow.
IN_FLOW = """
.save-bar, .source-actions, .sidebar {
  position: static !important; max-height: none !important; overflow: visible !important;
}
"""


@pytest.fixture
def browser_context_args(browser_context_args):
    # The style above is injected into each page, which the Content Security Policy forbids.
    return {**browser_context_args, "bypass_csp": True}


def test_screenshots_of_the_main_pages(page, other_page, live_server, login, screenshot):
    demo_load()
    writer, reviewer = editor(), curator()
    dostum = Actor.objects.get(slug=SLUG)
    for old, new, who, summary in [
        ("had headed", "once headed", reviewer, "Tense"),
        ("seek refuge in Turkey", "take refuge in Turkey", writer, "Wording, as the source has it"),
        ("with his rival Noor", "with his rival [[Mohammad Atta Noor|Noor]]", writer, "Link Noor"),
    ]:
        dostum = page_save(
            page=dostum, body=dostum.body.replace(old, new, 1), user=who, change_reason=summary
        )
    login(page, writer)
    site = live_server.url
    # Leaving a form with unsaved text asks first (editor.js): these leave on purpose.
    page.on("dialog", lambda dialog: dialog.accept())

    def shoot(name, on=page):
        on.add_style_tag(content=IN_FLOW)
        return screenshot(on, name)

    page.goto(f"{site}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot("home")

    page.goto(f"{site}/actors/")
    expect(page.get_by_role("link", name="Ahmad Shah Massoud")).to_be_visible()
    shoot("actors-list")

    page.goto(f"{site}/actors/ahmad-shah-massoud/")
    expect(page.get_by_role("region", name="References")).to_be_visible()
    expect(page.locator("table.relation-table").first).to_be_visible()
    shoot("actor")

    with page.expect_navigation():
        page.locator("#fn-3 a.ref-passage").click()
    expect(page.locator("mark:target")).to_be_in_viewport()
    # What the reader sees on arriving, sticky actions and all; then the whole page.
    page.screenshot(path=str(ARTIFACTS / "source-viewer-cited-passage-in-view.png"))
    page.evaluate("window.scrollTo(0, 0)")
    shoot("source-viewer-cited-passage")

    page.goto(f"{site}/search/?q=Masood")
    expect(page.get_by_role("link", name="Ahmad Shah Massoud").first).to_be_visible()
    shoot("search")

    page.goto(f"{site}/actors/{SLUG}/edit/")
    body = page.get_by_label("Text", exact=True)
    body.fill(
        body.input_value() + "\n\nHe was born in [[Jowzjan Province]]. He became a marshal in 2020."
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("region", name="Preview")).to_be_visible()
    shoot("edit-preview")

    page.goto(f"{site}/actors/{SLUG}/edit/")
    body = page.get_by_label("Text", exact=True)
    body.fill(body.input_value().replace("announced a new alliance", "announced a new pact"))
    # Meanwhile the curator saves another wording of the same sentence.
    dostum = Actor.objects.get(slug=SLUG)
    theirs = dostum.body.replace("announced a new alliance", "announced an alliance")
    page_save(page=dostum, body=theirs, user=reviewer, change_reason="Shorter")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Edit conflict")).to_be_visible()
    shoot("edit-conflict")

    page.goto(f"{site}/actors/{SLUG}/edit/")
    body = page.get_by_label("Text", exact=True)
    body.fill(body.input_value().replace("released 200 Taliban prisoners, calling", "freed 200"))
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#field-body .field__error")).to_be_visible()
    shoot("edit-citation-error")

    page.goto(f"{site}/actors/{SLUG}/history/")
    expect(page.get_by_role("row")).to_have_count(6)  # the header and five revisions
    shoot("history")

    page.get_by_role("row").last.get_by_role("radio", name=re.compile("^Compare from")).check()
    page.get_by_role("row").nth(1).get_by_role("radio", name=re.compile("^Compare to")).check()
    page.get_by_role("button", name="Compare selected revisions").click()
    expect(page.locator(".diff-body ins").first).to_be_visible()
    shoot("diff")

    page.get_by_role("link", name="All revisions").click()
    page.get_by_role("row").nth(3).get_by_role("link").first.click()
    expect(page.get_by_role("region", name="Revert")).to_be_visible()
    shoot("revision")

    page.goto(f"{site}/changes/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot("recent-changes")

    page.goto(
        f"{site}/sources/uscis-ric-1999-afg00001/cite/?passage=membership+is+constantly+fluid"
    )
    expect(page.get_by_label("Page title")).to_be_focused()
    shoot("cite-on")

    login(other_page, reviewer)
    other_page.goto(f"{site}/actors/{SLUG}/")
    other_page.get_by_text("Lock…", exact=True).click()
    other_page.get_by_label("Why? Editors will see this.").fill("Dates under review")
    shoot("actor-curator-tools", on=other_page)
    other_page.get_by_role("button", name="Lock the page").click()
    expect(other_page.get_by_role("status")).to_contain_text("Locked")

    page.goto(f"{site}/actors/{SLUG}/edit/")
    expect(page.get_by_role("note")).to_contain_text("Dates under review")
    shoot("edit-locked")
