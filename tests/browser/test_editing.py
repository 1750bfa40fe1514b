"""Editors write pages in a real browser: citations, their errors, preview, conflicts, locks."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ActorFactory, SourceFactory, curator, editor
from wiki.models import Actor
from wiki.services import page_save

pytestmark = pytest.mark.django_db(transaction=True)

# The source has a curly apostrophe (Mas’ud); editors type a straight one.
TYPED_QUOTE = "Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party"
SOURCE_PASSAGE = "Ahmad Shah Mas’ud, head of the Jamiat-e Islami Party"

THREE_PARAGRAPHS = (
    "Massoud came from the Panjshir valley.\n\n"
    "He led the Jamiat-e Islami party.\n\n"
    "He was killed in 2001."
)


def body_field(page):
    return page.get_by_label("Text", exact=True)


def an_actor(body=THREE_PARAGRAPHS, **fields):
    return page_save(page=ActorFactory(**fields), body=body, user=None)


def edit_url(live_server, actor):
    return f"{live_server.url}/actors/{actor.slug}/edit/"


def test_a_new_actor_cites_a_passage_that_the_reader_can_follow(page, live_server, login):
    SourceFactory(key="ric", title="Background on the Northern Alliance")
    login(page, editor())
    page.goto(f"{live_server.url}/actors/new/")
    page.get_by_label("Title", exact=True).fill("Ahmad Shah Massoud")
    body_field(page).fill(f'He led the Jamiat-e Islami party. [@ric "{TYPED_QUOTE}"]')
    page.get_by_role("button", name="Create page").click()

    expect(page).to_have_url(f"{live_server.url}/actors/ahmad-shah-massoud/")
    expect(page.get_by_role("status")).to_contain_text("Created the actor “Ahmad Shah Massoud”")
    marker = page.locator("sup.footnote-ref").get_by_role("link", name="[1]")
    expect(marker).to_be_visible()
    references = page.get_by_role("region", name="References")
    expect(references.get_by_role("listitem")).to_have_count(1)
    # The reference quotes the source's own words, curly apostrophe and all.
    expect(references).to_contain_text(SOURCE_PASSAGE)
    expect(references).to_contain_text("Background on the Northern Alliance")

    marker.click()
    expect(page).to_have_url(re.compile(r"#fn-1$"))
    with page.expect_navigation():
        references.get_by_role("link", name=SOURCE_PASSAGE).click()
    expect(page).to_have_url(re.compile(r"/sources/ric/#c\d+$"))
    expect(page.locator("mark:target")).to_have_text(SOURCE_PASSAGE)
    expect(page.locator("mark:target")).to_be_in_viewport()


def test_a_quote_not_in_the_source_is_refused_with_the_closest_passage(page, live_server, login):
    SourceFactory(key="ric", title="Background on the Northern Alliance")
    login(page, editor())
    page.goto(f"{live_server.url}/actors/new/")
    page.get_by_label("Title", exact=True).fill("Northern Alliance founders")
    wrong = "the Northern Alliance was founded in opposition"
    body_field(page).fill(f'The alliance was formed in 1992. [@ric "{wrong}"]')
    page.get_by_role("button", name="Create page").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    field = page.locator("#field-body")  # the body's label, help, errors and textarea
    error = field.locator(".field__error")
    expect(error).to_contain_text(f"The quote “{wrong}” is not in source “ric”")
    closest = "the Northern Alliance was established in opposition"
    expect(error).to_contain_text(f"Closest passage: “{closest}”")
    assert not Actor.objects.exists()

    field.get_by_role("button", name="Use this passage").click()
    expect(body_field(page)).to_have_value(f'The alliance was formed in 1992. [@ric "{closest}"]')
    expect(field.get_by_role("button", name="Passage used")).to_be_disabled()
    page.get_by_role("button", name="Create page").click()

    expect(page).to_have_url(f"{live_server.url}/actors/northern-alliance-founders/")
    references = page.get_by_role("region", name="References")
    expect(references).to_contain_text(closest)


def test_preview_shows_gaps_and_red_links_without_saving(page, live_server, login):
    actor = an_actor(title="Ahmad Shah Massoud")
    revisions = actor.history.count()
    login(page, editor())
    page.goto(edit_url(live_server, actor))
    typed = "Massoud fought in the [[Panjshir Campaign]]. Nobody has sourced this yet."
    body_field(page).fill(typed)
    page.get_by_role("button", name="Preview").click()

    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_contain_text("It is not saved yet.")
    expect(preview.get_by_role("link", name="citation needed")).to_have_count(2)
    red_link = preview.get_by_role("link", name="Panjshir Campaign")
    expect(red_link).to_have_class(re.compile(r"\bnew\b"))
    expect(red_link).to_have_attribute("title", re.compile(r"page does not exist"))
    expect(preview).to_contain_text("0 % of statements sourced")
    expect(body_field(page)).to_have_value(typed)

    # Nothing was saved: the page reads as before, in another tab and in the database.
    other_tab = page.context.new_page()
    other_tab.goto(f"{live_server.url}/actors/{actor.slug}/")
    expect(other_tab.locator(".prose")).to_contain_text("He led the Jamiat-e Islami party.")
    expect(other_tab.locator(".prose")).not_to_contain_text("Panjshir Campaign")
    actor.refresh_from_db()
    assert actor.body == THREE_PARAGRAPHS
    assert actor.history.count() == revisions


def test_a_conflicting_edit_keeps_both_texts_and_can_be_resolved(
    page, other_page, live_server, login
):
    actor = an_actor(title="Ahmad Shah Massoud")
    alice, bob = page, other_page
    login(alice, editor("alice"))
    login(bob, editor("bob"))
    alice.goto(edit_url(live_server, actor))
    bob.goto(edit_url(live_server, actor))

    alices = THREE_PARAGRAPHS.replace("He led", "From 1979 he led")
    body_field(alice).fill(alices)
    alice.get_by_role("button", name="Save changes").click()
    expect(alice.get_by_role("status")).to_contain_text("Saved “Ahmad Shah Massoud”.")

    bobs = THREE_PARAGRAPHS.replace("He led", "He headed")
    body_field(bob).fill(bobs)
    with bob.expect_response(lambda response: response.request.method == "POST") as saving:
        bob.get_by_role("button", name="Save changes").click()

    assert saving.value.status == 409
    expect(bob.get_by_role("heading", name="Edit conflict")).to_be_visible()
    expect(bob.get_by_role("status")).to_contain_text("Nothing was saved")
    expect(bob.get_by_label("Their version (saved)")).to_have_value(alices)
    expect(bob.get_by_label("Your version (not saved)")).to_have_value(bobs)
    expect(body_field(bob)).to_have_value(bobs)
    actor.refresh_from_db()
    assert actor.body == alices

    resolved = THREE_PARAGRAPHS.replace("He led", "From 1979 he headed")
    body_field(bob).fill(resolved)
    bob.get_by_role("button", name="Save changes").click()

    expect(bob).to_have_url(f"{live_server.url}/actors/{actor.slug}/")
    expect(bob.get_by_role("status")).to_contain_text("Saved “Ahmad Shah Massoud”.")
    expect(bob.locator(".prose")).to_contain_text("From 1979 he headed the Jamiat-e Islami party.")
    actor.refresh_from_db()
    assert actor.body == resolved


def test_edits_to_different_paragraphs_merge(page, other_page, live_server, login):
    actor = an_actor(title="Ahmad Shah Massoud")
    alice, bob = page, other_page
    login(alice, editor("alice"))
    login(bob, editor("bob"))
    alice.goto(edit_url(live_server, actor))
    bob.goto(edit_url(live_server, actor))

    body_field(alice).fill(THREE_PARAGRAPHS.replace("Massoud came", "Ahmad Shah Massoud came"))
    alice.get_by_role("button", name="Save changes").click()
    expect(alice.get_by_role("status")).to_contain_text("Saved")

    body_field(bob).fill(THREE_PARAGRAPHS.replace("in 2001", "on 9 September 2001"))
    bob.get_by_role("button", name="Save changes").click()

    expect(bob).to_have_url(f"{live_server.url}/actors/{actor.slug}/")
    expect(bob.get_by_role("status").filter(has_text="merged")).to_contain_text(
        "your changes were merged with theirs"
    )
    prose = bob.locator(".prose")
    expect(prose).to_contain_text("Ahmad Shah Massoud came from the Panjshir valley.")
    expect(prose).to_contain_text("He was killed on 9 September 2001.")
    actor.refresh_from_db()
    assert actor.body == (
        "Ahmad Shah Massoud came from the Panjshir valley.\n\n"
        "He led the Jamiat-e Islami party.\n\n"
        "He was killed on 9 September 2001."
    )


def test_a_locked_page_is_read_only_for_editors(page, other_page, live_server, login):
    actor = an_actor(title="Ahmad Shah Massoud")
    login(page, curator())
    page.goto(f"{live_server.url}/actors/{actor.slug}/")
    page.get_by_text("Lock…", exact=True).click()
    reason = "Disputed dates: wait for the second source"
    page.get_by_label("Why? Editors will see this.").fill(reason)
    page.get_by_role("button", name="Lock the page").click()
    expect(page.get_by_role("status")).to_contain_text("Locked “Ahmad Shah Massoud”.")

    reader = other_page
    login(reader, editor())
    reader.goto(f"{live_server.url}/actors/{actor.slug}/")
    expect(reader.get_by_role("note")).to_contain_text(f"Locked by the curators: {reason}")
    expect(reader.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    reader.get_by_role("link", name="View text").click()

    expect(reader).to_have_url(edit_url(live_server, actor))
    expect(reader.get_by_role("note")).to_contain_text(
        f"This page is locked by the curators: {reason}"
    )
    expect(body_field(reader)).to_have_value(THREE_PARAGRAPHS)
    expect(body_field(reader)).not_to_be_editable()
    expect(reader.get_by_role("button", name="Save changes")).to_have_count(0)
    expect(reader.get_by_role("button", name="Preview")).to_have_count(0)
