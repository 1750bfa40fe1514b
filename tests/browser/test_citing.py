"""From a source's text to a citation on a page, in a real browser, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ActorFactory, SourceFactory, editor
from wiki.models import Actor
from wiki.services import page_save

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "Massoud came from the Panjshir valley."


def select_with_mouse(page, container, passage):
    """Drag the mouse over the words of passage, as a reader selects them in the text."""
    container.scroll_into_view_if_needed()
    ends = container.evaluate(
        """(element, passage) => {
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(passage);
                if (at === -1) continue;
                const box = (start) => {
                    const range = document.createRange();
                    range.setStart(node, start);
                    range.setEnd(node, start + 1);
                    return range.getBoundingClientRect();
                };
                const first = box(at), last = box(at + passage.length - 1);
                // Inside the first character's left half and the last one's right half.
                return {
                    x1: first.left + 1, y1: first.top + first.height / 2,
                    x2: last.right - 1, y2: last.top + last.height / 2,
                };
            }
            return null;
        }""",
        passage,
    )
    assert ends, f"{passage!r} is not in the text"
    page.mouse.move(ends["x1"], ends["y1"])
    page.mouse.down()
    page.mouse.move(ends["x2"], ends["y2"], steps=8)
    page.mouse.up()


def tab_to(page, target, limit=40):
    """Press Tab until target has the focus, as a keyboard user reaches it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_a_selected_passage_is_cited_on_an_existing_page(page, live_server, login):
    SourceFactory(key="ric", title="Background on the Northern Alliance")
    actor = page_save(page=ActorFactory(title="Ahmad Shah Massoud"), body=BODY, user=None)
    login(page, editor())
    page.goto(f"{live_server.url}/sources/ric/")

    passage = "head of the Jamiat-e Islami Party"
    select_with_mouse(page, page.locator(".stored-text"), passage)
    button = page.get_by_role("button", name="Cite selected passage on…")
    expect(button).to_have_attribute("aria-disabled", "false")
    expect(page.get_by_text(f"Selected: “{passage}”.")).to_be_visible()

    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/sources/ric/cite/\?passage="))
    expect(page.get_by_label("Passage", exact=True)).to_have_value(passage)
    expect(page.get_by_role("radio", name="An existing page")).to_be_checked()
    title = page.get_by_label("Page title")
    expect(title).to_be_focused()
    title.fill("Ahmad Shah Massoud")
    page.get_by_role("button", name="Open the page editor").click()

    expect(page).to_have_url(re.compile(rf"/actors/{actor.slug}/edit/\?append="))
    markup = f'[@ric "{passage}"]'
    body = page.get_by_label("Text", exact=True)
    expect(body).to_have_value(f"{BODY}\n\n{markup}")
    # The caret waits before the citation, where the statement it supports goes.
    expect(body).to_be_focused()
    page.keyboard.type("He was head of the Jamiat-e Islami. ")
    page.get_by_role("button", name="Save changes").click()

    expect(page).to_have_url(f"{live_server.url}/actors/{actor.slug}/")
    expect(page.locator("sup.footnote-ref").get_by_role("link", name="[1]")).to_be_visible()
    expect(page.get_by_role("region", name="References")).to_contain_text(passage)
    actor.refresh_from_db()
    assert actor.body == f"{BODY}\n\nHe was head of the Jamiat-e Islami. {markup}"


def test_a_pasted_passage_is_cited_on_a_page_without_javascript(new_context, live_server, login):
    SourceFactory(key="ric", title="Background on the Northern Alliance")
    actor = page_save(page=ActorFactory(title="Ahmad Shah Massoud"), body=BODY, user=None)
    page = new_context(java_script_enabled=False).new_page()
    login(page, editor())
    page.goto(f"{live_server.url}/sources/ric/")
    expect(page.get_by_role("button", name="Cite selected passage on…")).to_be_hidden()
    page.get_by_role("link", name="Cite a passage on a page…").click()

    expect(page).to_have_url(f"{live_server.url}/sources/ric/cite/")
    # Pasted with a straight apostrophe; the citation takes the source's own (curly) one.
    page.get_by_label("Passage", exact=True).fill(
        "Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party"
    )
    page.get_by_role("radio", name="An existing page").check()
    page.get_by_label("Page title").fill("Ahmad Shah Massoud")
    page.get_by_role("button", name="Open the page editor").click()

    expect(page).to_have_url(re.compile(rf"/actors/{actor.slug}/edit/\?append="))
    markup = '[@ric "Ahmad Shah Mas’ud, head of the Jamiat-e Islami Party"]'
    expect(page.get_by_label("Text", exact=True)).to_have_value(f"{BODY}\n\n{markup}")
    page.get_by_role("button", name="Save changes").click()

    expect(page).to_have_url(f"{live_server.url}/actors/{actor.slug}/")
    expect(page.locator("sup.footnote-ref").get_by_role("link", name="[1]")).to_be_visible()
    assert Actor.objects.get(pk=actor.pk).body == f"{BODY}\n\n{markup}"
