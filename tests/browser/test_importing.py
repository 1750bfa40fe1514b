"""A PDF from upload to a cited page in a real browser: its metadata proposed and confirmed, its
original kept, and a passage across its page break cited with both pages as locator."""

import re

import pytest
from playwright.sync_api import expect

from sources.models import Source
from tests.factories import ActorFactory, editor
from tests.sources.importing import generated
from wiki.services import page_save

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "The road stayed open."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_uploaded_pdf_is_confirmed_saved_and_cited_across_its_page_break(
    page, live_server, login, tmp_path
):
    pdf = tmp_path / "northern-provinces.pdf"
    pdf.write_bytes(
        generated.make_pdf(title="Report on the Northern Provinces", author="Ahmad Rashid")
    )
    actor = page_save(page=ActorFactory(title="Ismail Khan"), body=BODY, user=None)
    login(page, editor())

    page.goto(f"{live_server.url}/sources/new/")
    page.get_by_label("Upload a file").set_input_files(str(pdf))
    page.get_by_role("button", name="Read the document").click()

    expect(page.get_by_role("status")).to_contain_text("a PDF of 2 pages")
    # Labelled "Title required proposed": found by their ids.
    expect(page.locator("#id_title")).to_have_value("Report on the Northern Provinces")
    expect(page.locator("#id_authors")).to_have_value("Ahmad Rashid")
    # The running header and the page numbers are not part of the text.
    text = page.locator("#id_text").input_value()
    assert generated.HEADER not in text and "Page 1 of 2" not in text
    page.locator("#id_key").fill("northern")
    page.locator("#id_kind").select_option("report")
    page.get_by_role("button", name="Save source").click()

    expect(page).to_have_url(f"{live_server.url}/sources/northern/")
    expect(page.get_by_role("link", name="Original file")).to_be_visible()
    assert Source.objects.get(key="northern").original

    page.get_by_role("link", name="Cite a passage on a page…").click()
    page.get_by_label("Passage", exact=True).fill(generated.ACROSS_THE_BREAK)
    page.get_by_role("radio", name="An existing page").check()
    page.get_by_label("Page title").fill("Ismail Khan")
    page.get_by_role("button", name="Open the page editor").click()

    expect(page).to_have_url(re.compile(rf"/actors/{actor.slug}/edit/\?append="))
    page.get_by_role("button", name="Save changes").click()

    expect(page).to_have_url(f"{live_server.url}/actors/{actor.slug}/")
    references = page.get_by_role("region", name="References")
    expect(references.locator(".ref-locator")).to_have_text("pp. 1–2")
