"""A page's history in a real browser: compare two revisions, read an old one, revert to it."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ActorFactory, editor
from wiki.models import Actor
from wiki.services import page_save

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "Massoud led the Jamiat-e Islami party."
SECOND = "Massoud led the Jamiat-e Islami party from the Panjshir valley."
THIRD = "Massoud commanded the Jamiat-e Islami party from the Panjshir valley."


def revision_row(page, summary):
    return page.get_by_role("row").filter(has_text=summary)


def test_history_compares_shows_and_reverts_revisions(page, live_server, login):
    user = editor()
    actor = ActorFactory(title="Ahmad Shah Massoud")
    for body, summary in [(FIRST, "First draft"), (SECOND, "Add where"), (THIRD, "Reword")]:
        actor = page_save(page=actor, body=body, user=user, change_reason=summary)
    login(page, user)
    page.goto(f"{live_server.url}/actors/{actor.slug}/")
    page.get_by_role("navigation", name="Page tools").get_by_role("link", name="History").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("History of Ahmad Shah Massoud")
    revision_row(page, "First draft").get_by_role("radio", name=re.compile("^Compare from")).check()
    revision_row(page, "Reword").get_by_role("radio", name=re.compile("^Compare to")).check()
    page.get_by_role("button", name="Compare selected revisions").click()

    expect(page).to_have_url(re.compile(r"/history/\?diff=\d+\.\.\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Changes to Ahmad Shah Massoud")
    diff = page.locator(".diff-body")
    expect(diff.locator("del")).to_contain_text(["led"])
    expect(diff.locator("ins")).to_contain_text(["commanded", "from the Panjshir valley"])

    page.get_by_role("link", name="All revisions").click()
    revision_row(page, "First draft").get_by_role("link").first.click()
    expect(page.get_by_role("note")).to_contain_text("This is an old revision")
    expect(page.locator(".prose")).to_contain_text(FIRST)
    expect(page.locator(".prose")).not_to_contain_text("Panjshir")

    revert = page.get_by_role("region", name="Revert")
    revert.get_by_label("Edit summary").fill("Back to the first draft: the rest is unsourced")
    revert.get_by_role("button", name="Revert to this revision").click()

    expect(page).to_have_url(f"{live_server.url}/actors/{actor.slug}/")
    expect(page.get_by_role("status")).to_contain_text("now reads as it did in that revision")
    expect(page.locator(".prose")).to_contain_text(FIRST)
    expect(page.locator(".prose")).not_to_contain_text("Panjshir")
    assert Actor.objects.get(pk=actor.pk).body == FIRST

    page.get_by_role("navigation", name="Page tools").get_by_role("link", name="History").click()
    newest = page.get_by_role("row").nth(1)  # the header row comes first
    expect(newest).to_contain_text("Back to the first draft: the rest is unsourced")
    expect(newest).to_contain_text(user.username)
