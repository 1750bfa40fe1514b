"""The formats Attest reads, found by a file's extension or a content type, and reading an upload.

Each format is a module beside this one that describes itself as a Format (text.py, markdown.py,
html.py, pdf.py, docx.py); FORMATS lists them in the order they are named to people. A new format
is a new module and one more entry here. Text formats are decoded here; binary ones (PDF, DOCX)
read the file's bytes themselves, within their own limits.

Text must be UTF-8 (or say otherwise: a UTF-16 byte-order mark, an HTML <meta charset>): guessing
an encoding would silently corrupt the passages people cite.
"""

import codecs
from dataclasses import replace
from pathlib import PurePath

import filetype
from django.template.defaultfilters import filesizeformat

from sources.importing.documents import Format, ImportedDocument, ImportRefused, normalise_newlines
from sources.importing.docx import FORMAT as DOCX
from sources.importing.html import FORMAT as HTML
from sources.importing.markdown import FORMAT as MARKDOWN
from sources.importing.pdf import FORMAT as PDF
from sources.importing.text import FORMAT as TEXT

FORMATS: tuple[Format, ...] = (TEXT, MARKDOWN, HTML, PDF, DOCX)


def accepted() -> str:
    """The files Attest reads, as people are told: ".txt, .md, .html, .pdf or .docx"."""
    names = [fmt.extensions[0] for fmt in FORMATS]
    return " or ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


def file_format(name: str) -> Format:
    """The format its name's extension says (.txt, .md, .html, .pdf, .docx), else ImportRefused."""
    suffix = PurePath(name).suffix.lower()
    fmt = next((fmt for fmt in FORMATS if suffix in fmt.extensions), None)
    if fmt is None:
        raise ImportRefused(f"“{name}” is not a file Attest can read: upload a {accepted()} file.")
    return fmt


def content_type_format(content_type: str) -> Format | None:
    """The format a content type names ("text/html; charset=utf-8" is html), or None."""
    media_type = content_type.partition(";")[0].strip().lower()
    return next((fmt for fmt in FORMATS if media_type in fmt.content_types), None)


def read_upload(name: str, data: bytes, *, max_bytes: int) -> ImportedDocument:
    """Read an uploaded file; ImportRefused says why a file cannot be read."""
    fmt = file_format(name)
    if len(data) > max_bytes:
        raise ImportRefused(too_large(name, len(data), max_bytes))
    if fmt.read_bytes is not None:
        document = fmt.read_bytes(data, name=f"“{name}”")
    else:
        text = decode(name, data, fmt)
        if not text.strip():
            raise ImportRefused(f"“{name}” holds no text.")
        document = fmt.read(text, name=f"“{name}”")
    if not document.text.strip():
        raise ImportRefused(f"No readable text was found in “{name}”.")
    return replace(document, filename=name)


def too_large(name: str, size: int, max_bytes: int) -> str:
    """Why a file of this size is refused, in the words the person reads."""
    return (
        f"“{name}” is {filesizeformat(size)}; "
        f"the largest file Attest accepts is {filesizeformat(max_bytes)}."
    )


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"))
_BOMS += ((codecs.BOM_UTF16_BE, "utf-16"),)
_SAVE_AS_UTF8 = (
    "Save it as UTF-8 (in most editors: Save as… → Encoding: UTF-8) and upload it again."
)


def decode(name: str, data: bytes, fmt: Format) -> str:
    """The file's text: UTF-8 unless a byte-order mark or the format's own declaration says not."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        _refuse_binary(name, data)
        declared = fmt.declared_charset(data) if fmt.declared_charset else None
        encoding = declared or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        byte = data[error.start : error.start + 1].hex().upper()
        raise ImportRefused(
            f"“{name}” is not {_encoding_name(encoding)} text: byte 0x{byte} at position "
            f"{error.start} cannot be read (is it Latin-1 or Windows-1252?). {_SAVE_AS_UTF8}"
        ) from error
    if "\x00" in text:
        raise ImportRefused(f"“{name}” holds binary data, not text. Upload a {accepted()} file.")
    return normalise_newlines(text)


def _refuse_binary(name: str, data: bytes) -> None:
    kind = filetype.guess(data[:8192])
    if kind is not None:
        raise ImportRefused(
            f"“{name}” is {_a(kind.extension)} {kind.extension.upper()} file ({kind.mime}), "
            f"not text. Upload a {accepted()} file."
        )
    if b"\x00" in data[:8192]:
        raise ImportRefused(f"“{name}” holds binary data, not text. Upload a {accepted()} file.")


def _encoding_name(encoding: str) -> str:
    return "UTF-8" if encoding.startswith("utf-8") else encoding


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
