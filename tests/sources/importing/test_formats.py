"""Files: which format reads them, what is read, and what is refused (tables)."""

import codecs

import pytest

from sources.importing import ImportRefused, content_type_format, read_upload

MAX = 1024 * 1024

LATIN1_HTML = (
    '<html><head><meta charset="iso-8859-1"></head><body><p>Café au lait.</p></body></html>'
)


@pytest.mark.parametrize(
    ("name", "data", "text"),
    [
        ("a.txt", b"Line one\r\nLine two\r\n", "Line one\nLine two"),
        ("a.TXT", codecs.BOM_UTF8 + "Mas’ud".encode(), "Mas’ud"),
        ("a.txt", codecs.BOM_UTF16_LE + "Mas’ud".encode("utf-16-le"), "Mas’ud"),
        ("a.md", b"# Heading\n\nSome *text*.", "Heading\n\nSome text."),
        (
            "a.html",
            LATIN1_HTML.encode("latin-1"),
            "Café au lait.",
        ),
    ],
)
def test_read_upload_keeps_the_text(name, data, text):
    assert read_upload(name, data, max_bytes=MAX).text == text


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "notes.txt",
            "Café".encode("latin-1"),
            "“notes.txt” is not UTF-8 text: byte 0xE9 at position 3",
        ),
        ("notes.txt", PNG, "“notes.txt” is a PNG file (image/png), not text"),
        ("notes.txt", b"text\x00\x01\x02 more", "“notes.txt” holds binary data"),
        ("report.doc", b"\xd0\xcf\x11\xe0", "“report.doc” is not a file Attest can read"),
        ("report.pdf", b"%PDF-1.4", "“report.pdf” could not be read as a PDF"),
        ("report.pdf", b"plain text", "“report.pdf” is not a PDF file"),
        ("report.docx", b"plain text", "“report.docx” is not a Word (.docx) document"),
        (
            "noext",
            b"plain",
            "is not a file Attest can read: upload a .txt, .md, .html, .pdf or .docx file",
        ),
        (
            "big.txt",
            b"x" * (MAX + 1),
            "“big.txt” is 1.0\xa0MB; the largest file Attest accepts is 1.0\xa0MB",
        ),
        ("empty.txt", b"  \n", "“empty.txt” holds no text"),
        ("page.html", b"<html><body><script>x()</script></body></html>", "No readable text"),
    ],
)
def test_read_upload_refuses_with_a_reason(name, data, message):
    with pytest.raises(ImportRefused) as refusal:
        read_upload(name, data, max_bytes=MAX)
    assert message in str(refusal.value)


@pytest.mark.parametrize(
    ("content_type", "name"),
    [
        ("text/plain", "text"),
        ("text/markdown; charset=UTF-8", "markdown"),
        ("Text/HTML; charset=utf-8", "html"),
        ("application/xhtml+xml", "html"),
        ("application/pdf", "pdf"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("application/msword", None),
        ("", None),
    ],
)
def test_content_type_format(content_type, name):
    fmt = content_type_format(content_type)
    assert (fmt.name if fmt else None) == name
