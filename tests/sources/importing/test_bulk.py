"""Bulk import (sources.importing.bulk): folders, Zotero exports with their files, duplicates,
URLs, and running it twice."""

import datetime
import http.server
import threading

import pytest

from sources.importing import bulk
from sources.importing.bulk import FAILED, IMPORTED, SKIPPED, import_sources
from sources.importing.formats import read_upload
from sources.importing.metadata import propose_key
from sources.models import Source
from tests.factories import SourceFactory
from tests.sources.importing.bulk_files import (
    CSL_TEXT,
    ENTRY_TEXT,
    LEAKY_BIBTEX,
    LETTER,
    NOTES,
    REPORT,
    folder_of_documents,
    write,
    zotero_exports,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path_factory):
    """Originals go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


def by_status(report) -> dict[str, dict[str, str]]:
    """{status: {name: detail or key}} of a report."""
    found = {IMPORTED: {}, SKIPPED: {}, FAILED: {}}
    for outcome in report.outcomes:
        found[outcome.status][outcome.name] = (
            outcome.key if outcome.status == IMPORTED else outcome.detail
        )
    return found


def proposed_key(name: str, text: str) -> str:
    """The key metadata.py proposes for a file (another engineer is refining it)."""
    return propose_key(read_upload(name, text.encode(), max_bytes=1 << 20).proposal)


pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# Folders


def test_a_folder_is_imported_with_its_subfolders_and_what_is_not_a_document_is_skipped(
    tmp_path,
):
    folder_of_documents(tmp_path / "docs")
    report = import_sources([tmp_path / "docs"])
    found = by_status(report)
    assert set(found[IMPORTED]) == {
        "herat.docx",
        "kunduz.pdf",
        "nested/deeper/letter.txt",
        "notes.md",
        "page.html",
        "report.txt",
    }
    assert found[SKIPPED] == {"photo.jpg": "not a file Attest reads (.jpg)"}
    assert found[FAILED] == {}
    assert Source.objects.count() == 6
    assert not Source.objects.filter(is_public=True).exists()


def test_each_source_is_recorded_as_imported_from_its_file_and_keeps_the_original(tmp_path):
    folder_of_documents(tmp_path / "docs")
    report = import_sources([tmp_path / "docs"])
    key = by_status(report)[IMPORTED]["nested/deeper/letter.txt"]
    source = Source.objects.get(key=key)
    (revision,) = source.history.all()
    assert revision.history_change_reason == "Imported from nested/deeper/letter.txt"
    assert source.original.read().decode() == LETTER
    reasons = Source.history.values_list("history_change_reason", flat=True)
    assert not any(str(tmp_path) in reason for reason in reasons)


def test_metadata_is_read_from_the_documents_and_the_key_proposed_from_it(tmp_path):
    folder_of_documents(tmp_path / "docs")
    found = by_status(import_sources([tmp_path / "docs"]))[IMPORTED]
    report = Source.objects.get(key=found["report.txt"])
    assert (report.publisher, report.published) == ("Human Rights Watch", "1999-12-14")
    assert report.key == proposed_key("report.txt", REPORT)
    assert Source.objects.get(key=found["page.html"]).title == "Bamiyan after the siege"
    assert Source.objects.get(key=found["notes.md"]).kind == "other"  # not stated, not assumed
    assert Source.objects.get(key=found["herat.docx"]).title == "Herat in winter"


def test_a_pdf_keeps_where_each_page_begins(tmp_path):
    folder_of_documents(tmp_path / "docs")
    found = by_status(import_sources([tmp_path / "docs"]))[IMPORTED]
    source = Source.objects.get(key=found["kunduz.pdf"])
    assert len(source.page_starts) == 2
    second = source.text[source.page_starts[1] :]
    assert "Qala-i Jangi" in second and "Qala-i Jangi" not in source.text[: source.page_starts[1]]


def test_keys_are_made_distinct_from_those_already_taken(tmp_path):
    write(tmp_path, {"report.txt": REPORT})
    taken = proposed_key("report.txt", REPORT)
    SourceFactory(key=taken, text="Other words.")
    (outcome,) = import_sources([tmp_path / "report.txt"]).outcomes
    assert outcome.key == f"{taken}-2"


def test_a_file_named_on_its_own_that_attest_cannot_read_fails_and_so_does_a_missing_one(
    tmp_path,
):
    write(tmp_path, {"scan.tiff": b"II*\x00"})
    found = by_status(import_sources([tmp_path / "scan.tiff", tmp_path / "absent.txt"]))
    assert found[FAILED]["scan.tiff"].startswith("not a file Attest reads: give a .txt")
    assert found[FAILED][str(tmp_path / "absent.txt")] == "there is no such file or folder"


def test_an_unreadable_document_fails_with_its_reason(tmp_path):
    write(tmp_path, {"empty.txt": "   \n", "latin.txt": "Caf\xe9".encode("latin-1")})
    found = by_status(import_sources([tmp_path]))
    assert found[FAILED]["empty.txt"] == "“empty.txt” holds no text."
    assert "is not UTF-8 text" in found[FAILED]["latin.txt"]


def test_a_document_that_breaks_its_reader_fails_alone(tmp_path, monkeypatch, caplog):
    write(tmp_path, {"a.txt": REPORT, "b.md": NOTES})

    def read_upload_breaking_on_a(name, data, **kwargs):
        if name == "a.txt":
            raise RuntimeError("the reader broke")
        return read_upload(name, data, **kwargs)

    monkeypatch.setattr(bulk, "read_upload", read_upload_breaking_on_a)
    found = by_status(import_sources([tmp_path]))
    assert found[FAILED] == {"a.txt": "could not be read (RuntimeError: the reader broke)"}
    assert list(found[IMPORTED]) == ["b.md"]
    assert "Importing a.txt failed" in caplog.text


# ---------------------------------------------------------------------------------------------
# Duplicates and running it twice


def test_a_document_the_archive_holds_is_skipped_and_names_the_source(tmp_path):
    SourceFactory(key="letter-kunduz", text=LETTER.replace("'", "’").replace("\n", "  \n"))
    write(tmp_path, {"letter.txt": LETTER, "copy/letter again.txt": LETTER})
    found = by_status(import_sources([tmp_path]))
    assert found[SKIPPED] == {
        "copy/letter again.txt": "same text as letter-kunduz",
        "letter.txt": "same text as letter-kunduz",
    }
    assert Source.objects.count() == 1


def test_a_document_repeated_in_one_import_is_imported_once(tmp_path):
    write(tmp_path, {"a/notes.md": NOTES, "b/notes.md": NOTES})
    found = by_status(import_sources([tmp_path]))
    assert list(found[IMPORTED]) == ["a/notes.md"]
    assert found[SKIPPED] == {"b/notes.md": f"same text as {found[IMPORTED]['a/notes.md']}"}


def test_importing_twice_changes_nothing(tmp_path):
    folder_of_documents(tmp_path / "docs")
    zotero_exports(tmp_path / "zotero")
    first = import_sources([tmp_path / "docs", tmp_path / "zotero"])
    counts = (Source.objects.count(), Source.history.count())
    second = import_sources([tmp_path / "docs", tmp_path / "zotero"])
    assert (Source.objects.count(), Source.history.count()) == counts
    assert not by_status(second)[IMPORTED]
    assert set(by_status(second)[SKIPPED]) == set(by_status(first)[IMPORTED]) | {"photo.jpg"}
    assert by_status(second)[FAILED] == by_status(first)[FAILED]


# ---------------------------------------------------------------------------------------------
# Zotero exports


def test_a_bibtex_export_brings_its_metadata_and_the_text_of_its_attached_file(tmp_path):
    zotero_exports(tmp_path)
    found = by_status(import_sources([tmp_path / "bibtex"]))
    source = Source.objects.get(key=found[IMPORTED]["Exported Items.bib › hrw1999"])
    assert source.title == ("Afghanistan: The Crisis of Impunity & the Arms of Pul-e Khumri")
    assert source.authors == "Human Rights Watch, Barnett R. Rubin"
    assert (source.publisher, source.published, source.kind) == (
        "Human Rights Watch",
        "1999-07",
        "report",
    )
    assert (source.document_symbol, source.url) == (
        "C1103",
        "https://www.hrw.org/reports/1999/afghanistan",
    )
    assert (source.accessed, source.language) == (datetime.date(2016, 5, 29), "en")
    assert source.text == ENTRY_TEXT.strip("\n")
    assert (
        source.history.get().history_change_reason == "Imported from Exported Items.bib (hrw1999)"
    )


def test_an_entry_s_pdf_keeps_its_pages(tmp_path):
    zotero_exports(tmp_path)
    found = by_status(import_sources([tmp_path / "bibtex"]))
    source = Source.objects.get(key=found[IMPORTED]["Exported Items.bib › unama2001"])
    assert (source.title, source.publisher, source.published, source.kind) == (
        "The Prisoners of Qala-i Jangi",
        "UNAMA",
        "2001-12",
        "report",
    )
    assert len(source.page_starts) == 2 and source.original.name.endswith(".pdf")


def test_an_entry_without_its_file_fails_and_is_not_imported_empty(tmp_path):
    zotero_exports(tmp_path)
    found = by_status(import_sources([tmp_path / "bibtex"]))
    assert found[FAILED] == {
        "Exported Items.bib › nofile2001": "no attached file",
        "Exported Items.bib › moved2002": "attached file not found: gone.txt",
    }
    assert Source.objects.count() == 2  # the files/ folder is the export's, not documents


def test_a_csl_json_export_finds_each_item_s_file_in_the_files_folder(tmp_path):
    zotero_exports(tmp_path)
    found = by_status(import_sources([tmp_path / "csl" / "Exported Items.json"]))
    source = Source.objects.get(key=found[IMPORTED]["Exported Items.json › 4G3PMW5F"])
    assert (source.title, source.kind, source.published) == (
        "Herat receives the envoys",
        "news",
        "1996-03-02",
    )
    assert (source.authors, source.publisher) == ("Ahmad Karimi, Staff reporter", "The Kabul Times")
    assert source.url == "https://example.org/herat-envoys"
    assert found[FAILED] == {"Exported Items.json › ZZZZ9999": "no attached file"}


def test_an_entry_whose_file_the_archive_holds_is_skipped(tmp_path):
    zotero_exports(tmp_path)
    SourceFactory(key="envoys", text=CSL_TEXT)
    found = by_status(import_sources([tmp_path / "csl"]))
    assert found[SKIPPED] == {"Exported Items.json › 4G3PMW5F": "same text as envoys"}


def test_a_json_file_that_is_no_export_fails(tmp_path):
    write(tmp_path, {"settings.json": '{"theme": "dark"}', "broken.bib": "@article{x, title="})
    found = by_status(import_sources([tmp_path]))
    assert found[FAILED]["settings.json"].startswith("is not a CSL-JSON export")
    assert found[FAILED]["broken.bib"].startswith("is not BibTeX that can be read")


def test_an_entry_that_cannot_be_read_fails_and_the_others_are_imported(tmp_path):
    zotero_exports(tmp_path)
    bib = tmp_path / "bibtex" / "Exported Items.bib"
    bib.write_text(bib.read_text() + "\n@article{broken2003, title = {Unclosed\n")
    found = by_status(import_sources([bib]))
    assert found[FAILED]["Exported Items.bib › broken2003"].startswith("cannot be read as BibTeX")
    assert list(found[IMPORTED]) == [
        "Exported Items.bib › hrw1999",
        "Exported Items.bib › unama2001",
    ]


def test_an_export_never_reads_a_file_outside_its_folder(tmp_path):
    bib = LEAKY_BIBTEX.replace("SECRET", str(tmp_path / "secret.txt"))
    write(tmp_path, {"secret.txt": LETTER, "export/library.bib": bib})
    found = by_status(import_sources([tmp_path / "export"]))
    assert found[FAILED] == {
        "library.bib › up": "attached file not found: secret.txt",
        "library.bib › absolute": "attached file not found: secret.txt",
    }
    assert not Source.objects.exists()


# ---------------------------------------------------------------------------------------------
# URLs


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = LETTER.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_a_url_is_fetched_once_and_then_known(server, settings):
    settings.ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS = True
    (first,) = import_sources([], urls=[f"{server}/letter.txt"]).outcomes
    assert first.status == IMPORTED
    source = Source.objects.get(key=first.key)
    assert (source.url, source.original.read()) == (f"{server}/letter.txt", LETTER.encode())
    (second,) = import_sources([], urls=[f"{server}/letter.txt"]).outcomes
    assert (second.status, second.detail) == (SKIPPED, f"same URL as {first.key}")


def test_a_url_on_a_private_address_is_refused(server, settings):
    settings.ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS = False
    (outcome,) = import_sources([], urls=[f"{server}/letter.txt"]).outcomes
    assert outcome.status == FAILED
    assert "a loopback, private or reserved address" in outcome.detail
    assert not Source.objects.exists()
