"""An uploaded PDF becomes a source that keeps its original file and its pages: the file is served
to the team only, as a download; a cited passage gets its page; a correction moves the pages."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sources.importing import originals
from sources.models import Source
from sources.services import source_save
from tests.factories import ActorFactory, SourceFactory, UserFactory
from tests.sources.importing import generated
from wiki.services import page_save

pytestmark = pytest.mark.django_db

NEW = reverse("sources:source-create")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def read_step(client, data=None, name="report.pdf"):
    data = data or generated.make_pdf(title="Northern Provinces", author="Ahmad Rashid")
    return client.post(NEW, {"read": "1", "file": SimpleUploadedFile(name, data)})


def confirm(client, response, **changes):
    form = response.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(kind="report", language="en", **changes)
    return client.post(NEW, data)


def test_an_uploaded_pdf_is_proposed_then_saved_with_its_pages_and_original(team, media):
    response = read_step(team)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "Northern Provinces"
    assert form.evidence["title"] == "the PDF’s document info (Title)"
    assert form.initial["original_token"]
    assert "a PDF of 2 pages" in response.content.decode()

    response = confirm(team, response, key="northern")
    assert response.status_code == 302
    source = Source.objects.get(key="northern")
    assert source.page_starts == [0, source.text.index("road to Bamiyan")]
    assert source.original.name.startswith("sources/report")
    assert source.original.read().startswith(b"%PDF")
    assert not list((media / "pending").iterdir())  # nothing left waiting


def test_text_edited_before_saving_moves_the_pages(team):
    response = read_step(team)
    text = response.context["form"].initial["text"]
    confirm(team, response, key="northern", text="Preface.\n" + text)
    source = Source.objects.get(key="northern")
    assert source.page_starts == [0, source.text.index("road to Bamiyan")]


def _signed_elsewhere() -> str:
    # Signed, but naming another file: no token names anything outside pending/<random>.
    return originals.signing.dumps("../sources/other", salt=originals._SALT)


# Made when the test runs: a signed token carries its time, and parallel workers must collect
# the same tests.
@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda: "", id="empty"),
        pytest.param(lambda: "forged", id="forged"),
        pytest.param(lambda: "pending/../../config/settings.py", id="a-path"),
        pytest.param(_signed_elsewhere, id="signed-elsewhere"),
    ],
)
def test_a_bad_token_keeps_no_file(team, make_token):
    token = make_token()
    response = read_step(team)
    confirm(team, response, key="northern", original_token=token)
    source = Source.objects.get(key="northern")
    assert not source.original
    assert source.page_starts == []


def test_pasted_text_has_no_original_and_no_pages(team):
    response = team.post(NEW, {"read": "1", "pasted": "Some words to cite."})
    assert response.context["form"].initial["original_token"] == ""


def test_a_citation_across_the_page_break_gets_both_pages_and_a_typed_locator_wins(team):
    confirm(team, read_step(team), key="northern")
    body = (
        f'Open all winter. [@northern "{generated.ACROSS_THE_BREAK}"] '
        '[@northern "Nothing else was decided"] [@northern, para. 4 "The council met in Kabul"]'
    )
    page = page_save(page=ActorFactory(), body=body, user=None)
    html = team.get(page.get_absolute_url()).content.decode()
    assert "pp. 1–2" in html
    assert re.search(r"ref-locator\">p\. 2<", html)
    assert "para. 4" in html


def test_a_correction_shifts_the_pages_with_the_text(team):
    confirm(team, read_step(team), key="northern")
    source = Source.objects.get(key="northern")
    source.text = source.text.replace("The council met", "In March 2001 the council met")
    source_save(source=source, user=None, fields=["text"])
    source.refresh_from_db()
    assert source.page_starts == [0, source.text.index("road to Bamiyan")]


# ---------------------------------------------------------------------------------------------
# Serving the original


@pytest.fixture
def with_original():
    source = SourceFactory(key="northern", is_public=True)
    source.original.save("report.pdf", ContentFile(b"%PDF-1.4 <script>alert(1)</script>"))
    return source


def test_the_team_downloads_the_original_never_inline(team, with_original):
    response = team.get(reverse("sources:source-original", args=["northern"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"]


def test_the_viewer_links_the_original_for_the_team_only(team, client, with_original):
    url = reverse("sources:source-original", args=["northern"])
    assert "Original file" in team.get(with_original.get_absolute_url()).content.decode()
    public_page = client.get(with_original.get_absolute_url()).content.decode()
    assert url not in public_page


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_outside_the_team_the_original_does_not_exist(with_original, who):
    browser = Client()
    if who == "outsider":
        browser.force_login(UserFactory())
    response = browser.get(reverse("sources:source-original", args=["northern"]))
    assert response.status_code == 404


def test_a_source_without_an_original_has_none_to_serve(team):
    SourceFactory(key="bare")
    assert team.get(reverse("sources:source-original", args=["bare"])).status_code == 404


def test_an_original_missing_from_storage_is_not_found(team, with_original, media):
    (media / with_original.original.name).unlink()
    assert team.get(reverse("sources:source-original", args=["northern"])).status_code == 404
