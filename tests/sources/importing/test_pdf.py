"""PDFs: text in reading order without running headers, footers and page numbers, words broken
at a line's end joined again, where each page begins, the metadata the file states, and what is
refused (tables over documents the tests make)."""

from datetime import datetime

import pytest

from sources.citations.anchoring import find_quote
from sources.citations.pages import page_locator
from sources.importing import ImportRefused, read_upload
from sources.importing.pdf import join_pages, pdf_date_to_edtf, strip_running_lines
from tests.sources.importing import generated

MAX = 5 * 1024 * 1024


def read(data: bytes, name="report.pdf"):
    return read_upload(name, data, max_bytes=MAX)


def test_a_two_page_report_reads_as_its_reader_sees_it():
    document = read(generated.make_pdf())
    assert document.format == "pdf"
    assert document.text == (
        "The council met in Kabul in March.\n"
        "The decision was recognised by the Jamiat-e Islami leaders at once.\n"
        "The commanders agreed that the\n"
        "road to Bamiyan would stay open all winter.\n"
        "Nothing else was decided that day."
    )
    assert document.page_starts == (0, document.text.index("road to Bamiyan"))


def test_a_sentence_across_the_page_break_is_found_and_spans_both_pages():
    document = read(generated.make_pdf())
    anchor = find_quote(document.text, generated.ACROSS_THE_BREAK)
    assert anchor is not None
    assert page_locator(document.page_starts, anchor.start, anchor.end) == "pp. 1–2"


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        # A header repeated on every page, a page number at the bottom: both go.
        (
            [["Report 2001", "One.", "1"], ["Report 2001", "Two.", "2"]],
            [["One."], ["Two."]],
        ),
        # Repeated with a different number on each page ("Report — 3"), "Page N of M", "- 4 -".
        (
            [["Annex 1", "One.", "Page 1 of 3"], ["Annex 2", "Two.", "- 2 -"], ["Annex 3", "3."]],
            [["One."], ["Two."], ["3."]],
        ),
        # A line on one page only is text, even at the top.
        ([["Introduction", "One."], ["Two."]], [["Introduction", "One."], ["Two."]]),
        # One page: nothing repeats; a bare number at its foot is still a page number.
        ([["Title", "Text.", "", "7"]], [["Title", "Text."]]),
        # Roman page numbers in front matter.
        ([["Preface.", "iv"], ["More.", "v"]], [["Preface."], ["More."]]),
        # A word of roman letters is not a page number.
        ([["Text.", "Did"]], [["Text.", "Did"]]),
        # A number inside the text stays.
        ([["One.", "1999", "Two."]], [["One.", "1999", "Two."]]),
    ],
)
def test_strip_running_lines(pages, expected):
    assert strip_running_lines(pages) == expected


@pytest.mark.parametrize(
    ("pages", "text", "starts"),
    [
        ([["recog-", "nised here."]], "recognised here.", (0,)),
        # A capital before the hyphen: part of a name.
        ([["Jamiat-", "e Islami"]], "Jamiat-e Islami", (0,)),
        # Written with its hyphen elsewhere in the document: kept.
        (
            [["a well-known man,", "a well-", "known place"]],
            "a well-known man,\na well-known place",
            (0,),
        ),
        # A dash before a capital, or a hyphen after a number, is not a broken word.
        ([["1999-", "2001 war", "the-", "Taliban"]], "1999-\n2001 war\nthe-\nTaliban", (0,)),
        # Pages joined by one newline; a word broken across the page break is joined too.
        ([["one", "two"], ["three"]], "one\ntwo\nthree", (0, 8)),
        ([["It was recog-"], ["nised."]], "It was recognised.", (0, 12)),
        # An empty page begins where the next does.
        ([["one"], [], ["two"]], "one\ntwo", (0, 3, 4)),
        # Runs of blank lines are one.
        ([["one", "", "", "two"]], "one\n\ntwo", (0,)),
    ],
)
def test_join_pages(pages, text, starts):
    assert join_pages(pages) == (text, starts)


@pytest.mark.parametrize(
    ("value", "edtf"),
    [
        ("D:20210815103000+02'00'", "2021-08-15"),
        ("D:199912", "1999-12"),
        ("D:2001", "2001"),
        ("20010314", "2001-03-14"),
        ("", ""),
        ("garbage", ""),
    ],
)
def test_pdf_date_to_edtf(value, edtf):
    assert pdf_date_to_edtf(value) == edtf


def test_metadata_from_the_document_info():
    data = generated.make_pdf(
        title="Report on the Northern Provinces",
        author="Ahmad Rashid",
        created=datetime(2001, 3, 14),
    )
    proposal = read(data).proposal
    assert (proposal.title, proposal.authors, proposal.published) == (
        "Report on the Northern Provinces",
        "Ahmad Rashid",
        "2001-03-14",
    )
    assert proposal.evidence["title"] == "the PDF’s document info (Title)"
    assert proposal.evidence["published"] == "the PDF’s document info (CreationDate)"


def test_the_subject_is_proposed_for_the_notes_naming_where_it_was_read():
    proposal = read(generated.make_pdf(subject="Armed groups in the north")).proposal
    assert proposal.subject == "Armed groups in the north"
    assert proposal.values()["notes"] == "Subject: Armed groups in the north"
    assert proposal.field_evidence()["notes"] == "the PDF’s document info (Subject)"


def test_xmp_metadata_is_preferred_and_named():
    data = generated.with_xmp(
        generated.make_pdf(title="Microsoft Word - draft.doc"),
        title="Background on the Northern Alliance",
        creator="Resource Information Center",
        date="1999-12-14",
    )
    proposal = read(data).proposal
    assert proposal.title == "Background on the Northern Alliance"
    assert proposal.authors == "Resource Information Center"
    assert proposal.published == "1999-12-14"
    assert proposal.evidence["title"] == "the PDF’s XMP metadata (dc:title)"


def test_a_junk_title_is_not_proposed():
    proposal = read(generated.make_pdf(title="Microsoft Word - draft.doc")).proposal
    assert proposal.evidence.get("title") != "the PDF’s document info (Title)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (generated.scanned_pdf(), "has no text layer"),
        (generated.scanned_pdf(), "ocrmypdf"),
        (generated.encrypted(generated.make_pdf()), "is encrypted (protected by a password)"),
        (generated.flate_bomb_pdf(), "refused as a possible decompression bomb"),
        (b"%PDF-1.4\n%%EOF", "could not be read as a PDF"),
        (b"Not a PDF at all", "is not a PDF file"),
    ],
)
def test_refused_with_a_reason(data, message):
    with pytest.raises(ImportRefused) as refusal:
        read(data)
    assert message in str(refusal.value)
    assert "“report.pdf”" in str(refusal.value)


def test_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr("sources.importing.pdf.MAX_PAGES", 1)
    with pytest.raises(ImportRefused, match="has 2 pages; Attest reads PDFs of up to 1"):
        read(generated.make_pdf())


def test_the_time_budget_is_checked_between_pages(monkeypatch):
    monkeypatch.setattr("sources.importing.pdf.TIME_BUDGET_SECONDS", -1)
    with pytest.raises(ImportRefused, match="took longer than"):
        read(generated.make_pdf())


def test_too_much_text_is_refused(monkeypatch):
    monkeypatch.setattr("sources.importing.pdf.MAX_CHARACTERS", 50)
    with pytest.raises(ImportRefused, match="holds more than 50 characters"):
        read(generated.make_pdf())
