"""A new source from a URL, its kind asked rather than assumed, and a duplicate caught before
it is saved."""

from datetime import date

import pytest
from django.urls import reverse

from sources.models import Source
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

NEW = reverse("sources:source-create")
TEXT = "The convoy left Sirte at dawn on Monday, escorted by two armed groups."


@pytest.fixture
def allowed(settings):
    settings.ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS = True


def new_source(**overrides):
    """A complete new-source form as the browser posts it."""
    data = {
        "key": "convoy",
        "title": "The convoy",
        "kind": "news",
        "language": "en",
        "text": TEXT,
        "change_reason": "Imported",
    }
    return data | overrides


# ---------------------------------------------------------------------------------------------
# From a URL


def test_a_page_is_fetched_and_proposed_with_its_address_and_day(editor_client, server, allowed):
    response = editor_client.post(NEW, {"read": "1", "url": f"{server}/page"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "held by several armed groups" in form.initial["text"]
    assert form.initial["url"] == f"{server}/page"
    assert form.initial["accessed"] == date.today()
    assert form.initial["publisher"] == "IRIN"
    assert form.evidence["url"] == "the address it was fetched from"
    assert response.context["document"].original.startswith(b"<html")


def test_the_import_page_offers_a_url_field(editor_client):
    content = editor_client.get(NEW).content.decode()
    assert 'name="url"' in content and 'type="url"' in content


def test_a_private_address_is_refused_next_to_the_url_field(editor_client, server, settings):
    settings.ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS = False
    response = editor_client.post(NEW, {"read": "1", "url": f"{server}/page"})
    assert response.status_code == 200
    errors = response.context["form"].errors["url"]
    assert "loopback, private or reserved address" in errors[0]
    assert "loopback, private or reserved address" in response.content.decode()


def test_what_cannot_be_fetched_is_said(editor_client, server, allowed):
    response = editor_client.post(NEW, {"read": "1", "url": f"{server}/image"})
    assert "is image/png, not a document Attest reads" in response.context["form"].errors["url"][0]


def test_a_url_and_pasted_text_together_are_refused(editor_client, server, allowed):
    response = editor_client.post(NEW, {"read": "1", "url": f"{server}/page", "pasted": TEXT})
    assert response.context["form"].non_field_errors() == [
        "Give the document one way: upload it, give its address or paste it."
    ]


# ---------------------------------------------------------------------------------------------
# The kind is asked


def test_pasted_text_is_not_assumed_to_be_a_report(editor_client):
    response = editor_client.post(NEW, {"read": "1", "pasted": TEXT})
    form = response.context["form"]
    assert form.initial["kind"] == ""
    assert form.fields["kind"].choices[0] == ("", "Choose a kind…")


def test_a_new_source_without_a_kind_is_not_saved(editor_client):
    response = editor_client.post(NEW, new_source(kind=""))
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not Source.objects.exists()


# ---------------------------------------------------------------------------------------------
# Duplicates


def test_step_two_names_the_source_a_document_repeats(editor_client):
    existing = SourceFactory(key="convoy-2021", title="Convoy report", text=TEXT)
    response = editor_client.post(NEW, {"read": "1", "pasted": TEXT})
    content = response.content.decode()
    assert "This looks like" in content
    assert f'href="{existing.get_absolute_url()}"' in content
    assert "same text" in content
    assert "Save anyway: this is a different document" in content


def test_a_duplicate_is_not_saved_without_confirmation(editor_client):
    SourceFactory(key="convoy-2021", title="Convoy report", text=TEXT)
    response = editor_client.post(NEW, new_source())
    assert response.status_code == 200
    errors = response.context["form"].errors["not_a_duplicate"]
    assert errors == [
        "This looks like “Convoy report” (convoy-2021): same text. Tick “Save anyway” if it is "
        "a different document."
    ]
    assert not Source.objects.filter(key="convoy").exists()


def test_a_confirmed_duplicate_is_saved(editor_client):
    SourceFactory(key="convoy-2021", title="Convoy report", text=TEXT)
    response = editor_client.post(NEW, new_source(not_a_duplicate="on"))
    assert response.status_code == 302
    assert Source.objects.filter(key="convoy").exists()


def test_the_same_url_is_caught_however_it_is_written(editor_client):
    SourceFactory(key="irin", title="IRIN report", url="https://www.irinnews.org/report/75059")
    data = new_source(url="HTTPS://www.irinnews.org/report/75059/?utm_source=rss", text="Other.")
    response = editor_client.post(NEW, data)
    assert response.status_code == 200
    assert "same URL" in response.context["form"].errors["not_a_duplicate"][0]


def test_a_new_document_is_saved_without_a_question(editor_client):
    SourceFactory(key="other", text="Nothing alike at all in this one.")
    assert editor_client.post(NEW, new_source()).status_code == 302


def test_an_edit_that_keeps_text_and_url_asks_nothing(editor_client):
    source = SourceFactory(key="convoy", text=TEXT, url="https://example.org/a")
    SourceFactory(key="copy", text=TEXT, url="https://example.org/a")
    data = new_source(key="convoy", title="Renamed", url="https://example.org/a/")
    response = editor_client.post(reverse("sources:source-edit", args=[source.key]), data)
    assert response.status_code == 302


def test_an_edit_giving_another_source_s_text_asks_first(editor_client):
    source = SourceFactory(key="convoy", text="A text of its own, nothing like the other.")
    SourceFactory(key="copy", title="The copy", text=TEXT)
    url = reverse("sources:source-edit", args=[source.key])
    response = editor_client.post(url, new_source(key="convoy"))
    assert response.status_code == 200
    assert (
        "This looks like “The copy” (copy): same text"
        in (response.context["form"].errors["not_a_duplicate"][0])
    )
    assert (
        editor_client.post(url, new_source(key="convoy", not_a_duplicate="on")).status_code == 302
    )


def test_the_edit_summary_names_the_address(editor_client, server, allowed):
    response = editor_client.post(NEW, {"read": "1", "url": f"{server}/notes.txt"})
    assert response.context["form"].initial["change_reason"] == f"Imported from {server}/notes.txt"


def test_what_was_fetched_is_kept_as_the_original(
    editor_client, server, allowed, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = editor_client.post(NEW, {"read": "1", "url": f"{server}/notes.txt"})
    initial = response.context["form"].initial
    assert initial["original_token"]
    data = new_source(
        text=initial["text"], url=initial["url"], original_token=initial["original_token"]
    )
    assert editor_client.post(NEW, data).status_code == 302
    source = Source.objects.get(key="convoy")
    with source.original.open("rb") as original:
        assert original.read() == b"title: Field notes\n\nThe convoy left at dawn on Monday."
