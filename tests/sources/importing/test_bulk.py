"""Bulk import (sources.importing.bulk): folders, Zotero exports with their files, duplicates,
and running it twice; and reading the exports (sources.importing.zotero), as tables."""

import datetime
import http.server
import io
import json
import threading
from pathlib import Path

import pytest

from sources.importing import bulk
from sources.importing.bibtex import (
    bibtex_authors,
    bibtex_date,
    bibtex_files,
    latex_text,
    read_bibtex,
)
from sources.importing.bulk import FAILED, IMPORTED, SKIPPED, import_sources
from sources.importing.duplicates import reset_index
from sources.importing.formats import read_upload
from sources.importing.metadata import propose_key
from sources.importing.zotero import csl_date, language_code
from sources.models import Source
from tests.factories import SourceFactory

REPORT = """Publisher Human Rights Watch
Publication Date 14 December 1999

Afghanistan: The Crisis of Impunity

The commanders of the northern coalition met in Taloqan in the autumn and agreed on little.
Their quarrels over the customs posts at Hairatan outlasted the winter.
"""
NOTES = """# Field notes from Mazar

The road from Mazar to Kabul was closed for three weeks after the Salang tunnel flooded.
Traders waited at the bazaar, and prices of flour doubled before the snow melted.
"""
PAGE = """<html lang="en"><head><title>Bamiyan after the siege</title></head><body><article>
<h1>Bamiyan after the siege</h1>
<p>The valley was blockaded for most of a year, and the villages of the Hazarajat ran short of
grain long before the passes closed. Relief convoys were turned back at Doshi.</p>
<p>By spring the council of elders had sent three delegations to Kabul without an answer.</p>
</article></body></html>"""
LETTER = """A letter from Kunduz

The ferry at Sher Khan Bandar carried more cotton that summer than in any year since the war.
Merchants from Tajikistan paid in roubles and in tea.
"""
ENTRY_TEXT = """The arms depots of Pul-e Khumri changed hands four times between 1997 and 1999.
Each garrison left behind ammunition that the next one could not use.
"""
CSL_TEXT = """The governor of Herat received the envoys in the old citadel.
He promised grain for the western provinces and asked for nothing in return that winter.
"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path_factory):
    """Originals go to a folder of the test's own; the near-duplicate index starts empty."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    reset_index()
    yield
    reset_index()


def write(folder, files: dict) -> None:
    """Write files (text or bytes) under folder, making the folders they name."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_pdf(pages) -> bytes:
    """A PDF with a page per item of pages, each a few lines of text."""
    from fpdf import FPDF

    pdf = FPDF()
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_docx(title: str, paragraphs) -> bytes:
    """A Word document whose core properties name its title."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF_PAGES = [
    ["The garrison at Kunduz surrendered in November.", "Its commanders were taken north."],
    ["The prisoners were held at Qala-i Jangi.", "A revolt there lasted three days."],
]

ENTRY_PDF_PAGES = [
    ["The fort of Qala-i Jangi lies west of Mazar-e Sharif.", "It held several hundred men."],
    ["The uprising began on the morning of the 25th.", "Air strikes followed that evening."],
]


def folder_of_documents(folder) -> None:
    """A folder of every kind of document, one of them nested, and a file Attest cannot read."""
    write(
        folder,
        {
            "report.txt": REPORT,
            "notes.md": NOTES,
            "page.html": PAGE,
            "nested/deeper/letter.txt": LETTER,
            "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
            "kunduz.pdf": make_pdf(PDF_PAGES),
            "herat.docx": make_docx(
                "Herat in winter",
                ["The bazaar of Herat stayed open through the cold months of 1998."],
            ),
        },
    )


BIBTEX = r"""
@techreport{hrw1999,
  title = {Afghanistan: {The} {Crisis} of {Impunity} \& the {Arms} of {Pul}-e {Khumri}},
  author = {{Human Rights Watch} and Rubin, Barnett R.},
  institution = {Human Rights Watch},
  year = {1999},
  month = jul,
  number = {C1103},
  urldate = {2016-05-29},
  langid = {english},
  url = {https://www.hrw.org/reports/1999/afghanistan},
  file = {Full Text:files/12/Pul-e Khumri.txt:text/plain;Snapshot:files/13/snap.jpg:image/jpeg}
}
@report{unama2001,
  title = {The Prisoners of Qala-i Jangi},
  institution = {UNAMA},
  date = {2001-12},
  file = {Full Text PDF:files/14/qala-i-jangi.pdf:application/pdf}
}
@article{nofile2001,
  title = {A Review Without Its Text},
  author = {Doe, Jane},
  journal = {Journal of Central Asian Studies},
  year = {2001}
}
@misc{moved2002,
  title = {An Attachment That Was Moved},
  year = {2002},
  file = {Full Text:files/99/gone.txt:text/plain}
}
"""
LEAKY_BIBTEX = """
@misc{up, title = {Up}, file = {Full Text:../secret.txt:text/plain}}
@misc{absolute, title = {Absolute}, file = {SECRET}}
"""
CSL_JSON = [
    {
        "id": "http://zotero.org/users/local/AbCdEf/items/4G3PMW5F",
        "type": "article-newspaper",
        "title": "Herat receives the envoys",
        "container-title": "The Kabul Times",
        "author": [{"family": "Karimi", "given": "Ahmad"}, {"literal": "Staff reporter"}],
        "issued": {"date-parts": [[1996, 3, 2]]},
        "URL": "https://example.org/herat-envoys",
        "language": "en",
    },
    {
        "id": "http://zotero.org/users/local/AbCdEf/items/ZZZZ9999",
        "type": "book",
        "title": "A Book Nobody Scanned",
        "issued": {"date-parts": [[1988]]},
    },
]


def zotero_exports(folder) -> None:
    """A BibTeX and a CSL-JSON export, each with its files/ folder as Zotero writes it."""
    write(
        folder / "bibtex",
        {
            "Exported Items.bib": BIBTEX,
            "files/12/Pul-e Khumri.txt": ENTRY_TEXT,
            "files/13/snap.jpg": b"\xff\xd8\xff\xe0",
            "files/14/qala-i-jangi.pdf": make_pdf(ENTRY_PDF_PAGES),
        },
    )
    write(
        folder / "csl",
        {
            "Exported Items.json": json.dumps(CSL_JSON),
            "files/4G3PMW5F/envoys.txt": CSL_TEXT,
        },
    )


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


# ---------------------------------------------------------------------------------------------
# Reading exports (tables)


@pytest.mark.parametrize(
    ("value", "edtf"),
    [
        ({"date-parts": [[1999, 12, 14]]}, "1999-12-14"),
        ({"date-parts": [["2015", "7"]]}, "2015-07"),
        ({"date-parts": [[1990], [1992]]}, "1990/1992"),
        ({"date-parts": [[1997]], "circa": True}, "1997~"),
        ({"date-parts": [[2001, 14]]}, "2001"),  # a season is no month
        ({"date-parts": [[2001, 2, 30]]}, "2001-02"),
        ({"raw": "14 December 1999"}, "1999-12-14"),
        ({"literal": "sometime"}, ""),
        (None, ""),
    ],
)
def test_csl_date(value, edtf):
    assert csl_date(value) == edtf


@pytest.mark.parametrize(
    ("date", "year", "month", "day", "edtf"),
    [
        ("1999-12-14", "", "", "", "1999-12-14"),
        ("1990/1992", "", "", "", "1990/1992"),
        ("December 1999", "", "", "", "1999-12"),
        ("", "1999", "dec", "", "1999-12"),
        ("", "1999", "December", "14", "1999-12-14"),
        ("", "1999", "12", "", "1999-12"),
        ("", "1999", "", "", "1999"),
        ("", "", "", "", ""),
    ],
)
def test_bibtex_date(date, year, month, day, edtf):
    assert bibtex_date(date, year, month, day) == edtf


@pytest.mark.parametrize(
    ("value", "paths"),
    [
        ("Full Text PDF:files/12/a.pdf:application/pdf", ["files/12/a.pdf"]),
        (
            "A:files/1/a.pdf:application/pdf;B:files/2/b.html:text/html",
            ["files/1/a.pdf", "files/2/b.html"],
        ),
        (r"Full Text:files/3/Doe\: a\; b.pdf:application/pdf", ["files/3/Doe: a; b.pdf"]),
        (r"Full:C\:\\Users\\doe\\a.pdf:application/pdf", [r"C:\Users\doe\a.pdf"]),
        ("/home/doe/a.pdf", ["/home/doe/a.pdf"]),
        ("", []),
    ],
)
def test_bibtex_files(value, paths):
    assert bibtex_files(value) == paths


def test_an_article_s_number_is_its_issue_and_its_doi_names_it():
    text = "@article{a, title={T}, journal={J}, number={3}, doi={10.1000/xyz}}"
    (entry,) = read_bibtex(text, folder=Path("."))
    assert (entry.proposal.document_symbol, entry.proposal.url, entry.proposal.kind) == (
        "10.1000/xyz",
        "https://doi.org/10.1000/xyz",
        "article",
    )


@pytest.mark.parametrize(
    ("value", "authors"),
    [
        ("Doe, Jane and Roe, John", "Jane Doe, John Roe"),
        ("{World Health Organization}", "World Health Organization"),
        ("van der Berg, Jan and Mas{\\'u}d, Ahmad Shah", "Jan van der Berg, Ahmad Shah Masúd"),
        ("", ""),
    ],
)
def test_bibtex_authors(value, authors):
    assert bibtex_authors(value) == authors


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("{Northern} {Alliance}", "Northern Alliance"),
        ("Jamiat-e Islami \\& Hezb-e Wahdat", "Jamiat-e Islami & Hezb-e Wahdat"),
        ('50\\% of the {\\"O}l', "50% of the Öl"),
        ("plain words", "plain words"),
    ],
)
def test_latex_text(value, text):
    assert latex_text(value) == text


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("en", "en"),
        ("en-US", "en-US"),
        ("English", "en"),
        ("french", "fr"),
        ("", ""),
        ("Klingon", ""),
    ],
)
def test_language_code(value, code):
    assert language_code(value) == code
