"""Word documents: paragraphs, headings, lists and tables as text, footnotes at the end, core
properties as proposed metadata, and zip bombs refused before they are unpacked."""

from datetime import datetime

import pytest

from sources.importing import ImportRefused, read_upload
from tests.sources.importing import generated

MAX = 5 * 1024 * 1024


def read(data: bytes, name="report.docx"):
    return read_upload(name, data, max_bytes=MAX)


def test_headings_paragraphs_lists_and_tables_read_as_text():
    document = read(generated.make_docx())
    assert document.format == "docx"
    assert document.page_starts == ()
    assert document.text == (
        "The Northern Alliance\n\n"
        "The council met in Kabul in March.\n\n"
        "- Jamiat-e Islami\n"
        "- Junbish-e Milli\n\n"
        "Faction | Leader\n"
        "Jamiat | Rabbani\n\n"
        "Nothing else was decided that day."
    )


def test_footnotes_are_kept_at_the_end():
    document = read(generated.make_docx(footnote="Interview with a commander, Kabul, 2001."))
    assert document.text.endswith(
        "Nothing else was decided that day.\n\n"
        "Footnotes\n[1] Interview with a commander, Kabul, 2001."
    )


def test_the_subject_is_proposed_for_the_notes():
    proposal = read(generated.make_docx(title="Report")).proposal
    assert proposal.values()["notes"] == "Subject: Afghanistan"
    assert proposal.field_evidence()["notes"] == "the document’s properties (Subject)"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"title": "Report", "author": "Ahmad Rashid", "created": datetime(2001, 3, 14)},
            {"title": "Report", "authors": "Ahmad Rashid", "published": "2001-03-14"},
        ),
        # python-docx's own template names itself as author: not proposed.
        ({"title": "Report", "author": "python-docx"}, {"title": "Report"}),
    ],
)
def test_core_properties_are_proposed(fields, expected):
    proposal = read(generated.make_docx(**fields)).proposal
    assert {name: getattr(proposal, name) for name in expected} == expected
    assert proposal.evidence["title"] == "the document’s properties (Title)"
    if "authors" not in expected:
        assert proposal.evidence.get("authors") != "the document’s properties (Author)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda: generated.zip_bomb(120_000_000), "refused as a possible zip bomb"),
        (lambda: generated.zip_bomb(20_000_000), "unpacks to 1,014 times its size"),
        (lambda: b"PK\x03\x04 broken", "is not a Word (.docx) document"),
        (generated.make_pdf, "is not a Word (.docx) document"),
    ],
)
def test_refused_with_a_reason(data, message):
    with pytest.raises(ImportRefused) as refusal:
        read(data())
    assert message in str(refusal.value)


def test_a_zip_that_is_not_a_word_document_is_refused():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("hello.txt", "hello")
    with pytest.raises(ImportRefused, match="could not be read as a Word"):
        read(out.getvalue())
