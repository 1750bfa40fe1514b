"""PDF files through pypdf: the text page by page, where each page begins, and the metadata the
file states (its document information and XMP).

Why pypdf: it is pure Python (no C library to build or to crash a worker), well kept, reads a
file page by page, and bounds what a stream may decompress to (its Configuration), which is what
keeps a crafted file from tying up a web worker. Its plain extraction gives lines in reading
order, which is what a passage is cited from.

What a reader of the printed page skips is not woven into the sentences: a line repeated at the
top or bottom of most pages (a running header or footer) and a page number ("3", "- 3 -",
"Page 3 of 10") are dropped, and a word hyphenated at a line's end is joined again ("recog-" /
"nised" is "recognised"; "Jamiat-" / "e Islami" keeps its hyphen). Lines are joined by "\\n",
pages too, so that a sentence running across a page break reads, and is quoted, continuously;
`page_starts` says where each page begins in the text.
"""

import io
import re
import time
from collections import Counter
from datetime import datetime

from sources.importing.documents import Format, ImportedDocument, ImportRefused
from sources.importing.metadata import Proposal, clean, date_to_edtf, propose_from_text

# A worker gives a PDF at most this long; a 5 MB file of text takes a few seconds.
TIME_BUDGET_SECONDS = 20.0
MAX_PAGES = 3000
MAX_CHARACTERS = 5_000_000
# What one stream may decompress to, and the decoding work it may cost: a page's text is a few
# kilobytes compressed to a few hundred bytes, so these are generous for text and small for a bomb.
STREAM_LIMIT = 20_000_000
_PYPDF_LIMITS = {
    "zlib_maximum_output_length": STREAM_LIMIT,
    "lzw_maximum_output_length": STREAM_LIMIT,
    "run_length_maximum_output_length": STREAM_LIMIT,
    "brotli_maximum_output_length": STREAM_LIMIT,
    "jbig2_maximum_output_length": STREAM_LIMIT,
    "array_based_stream_maximum_output_length": STREAM_LIMIT,
    "maximum_declared_stream_length": STREAM_LIMIT,
    "image_maximum_buffer_size": STREAM_LIMIT,
    "stream_decoding_work_maximum_length": 4 * STREAM_LIMIT,
    "xmp_maximum_input_length": 1_000_000,
}
# Lines looked at for a running header or footer at each end of a page, and the share of pages
# that must repeat one.
EDGE_LINES = 2
REPEATED_SHARE = 0.5
# A page number in roman numerals, as front matter has them ("iv"), and not a word ("did").
_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    r"(?:page|p\.|pg\.?)?\s*[-–—(\[]?\s*(?:\d{1,5}|" + _ROMAN + r")\s*[-–—)\]]?"
    r"(?:\s*(?:of|/)\s*\d{1,5})?",
    re.I,
)
_DIGITS = re.compile(r"\d+")
# A word broken at a line's end: lower-case letters before the hyphen, lower case after it.
_BROKEN = re.compile(r"(\w+)-$")
_CONTINUED = re.compile(r"^([a-z]\w*)")
_SCAN = (
    "{name} has no text layer: it is a scan or a picture of pages, and Attest keeps text that "
    "can be quoted. Run it through OCR first (for example `ocrmypdf --language eng in.pdf "
    "out.pdf`) and upload the result, or paste its text."
)


def read_pdf(data: bytes, *, name: str = "") -> ImportedDocument:
    """A PDF's text without running headers, footers and page numbers, where each page begins,
    and the metadata it states. ImportRefused for a scan, an encrypted file, a damaged one, or
    one too large to read in the time a worker has."""
    import pypdf

    name = name or "The PDF"
    with pypdf.apply_configuration(**_PYPDF_LIMITS):
        try:
            reader = _open(pypdf, data, name)
            pages = _page_lines(reader, name)
            declared = _declared_metadata(reader)
        except ImportRefused:
            raise
        except pypdf.errors.LimitReachedError as error:
            raise ImportRefused(
                f"{name} holds a compressed stream that unpacks to more than Attest reads "
                f"({STREAM_LIMIT // 1_000_000} MB): it was refused as a possible "
                "decompression bomb. Upload its text as a .txt file instead, or paste it."
            ) from error
        except Exception as error:  # pypdf raises many kinds on a damaged file
            raise ImportRefused(f"{name} could not be read as a PDF ({error}).") from error
    text, page_starts = join_pages(strip_running_lines(pages))
    if not text.strip():
        raise ImportRefused(_SCAN.format(name=name))
    proposal = declared.fill(propose_from_text(text))
    return ImportedDocument(text=text, proposal=proposal, format="pdf", page_starts=page_starts)


def _open(pypdf, data: bytes, name: str):
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ImportRefused(f"{name} is not a PDF file (it does not begin with “%PDF”).")
    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Only a password protects what Attest could quote; it is not asked for.
        raise ImportRefused(
            f"{name} is encrypted (protected by a password). Save an unprotected copy (in most "
            "readers: Print → Save as PDF, or `qpdf --decrypt in.pdf out.pdf`) and upload that."
        )
    if len(reader.pages) > MAX_PAGES:
        raise ImportRefused(
            f"{name} has {len(reader.pages):,} pages; Attest reads PDFs of up to {MAX_PAGES:,}."
        )
    return reader


def _page_lines(reader, name: str) -> list[list[str]]:
    """Each page's lines, the time and length budgets checked between pages."""
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    pages, length = [], 0
    for number, page in enumerate(reader.pages, start=1):
        if time.monotonic() > deadline:
            raise ImportRefused(
                f"{name} took longer than {TIME_BUDGET_SECONDS:.0f} seconds to read (stopped at "
                f"page {number} of {len(reader.pages)}). Split it, or upload its text."
            )
        _decode_contents(page)
        lines = [line.strip() for line in (page.extract_text() or "").splitlines()]
        length += sum(len(line) + 1 for line in lines)
        if length > MAX_CHARACTERS:
            raise ImportRefused(
                f"{name} holds more than {MAX_CHARACTERS:,} characters of text (at page "
                f"{number}); Attest keeps sources of up to that. Split it and upload the parts."
            )
        pages.append(lines)
    return pages


def _decode_contents(page) -> None:
    """Decode the page's content streams, so that one past the limits raises LimitReachedError:
    extract_text() would swallow it and say the page is empty. pypdf keeps the decoded data, so
    extraction does not decode them again."""
    contents = page.get("/Contents")
    if contents is None:
        return
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    for stream in streams:
        stream.get_object().get_data()


# ---------------------------------------------------------------------------------------------
# Pure text handling: tested as tables over lists of lines.


def strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """The pages without blank edges, page numbers, and lines repeated at the top or bottom of
    most pages (digits aside: "Report 2021 — 3" repeats as "Report # — #")."""
    pages = [_trim(lines) for lines in pages]
    repeated = _repeated_edges(pages)
    result = []
    for lines in pages:
        top = _edge_count(lines, repeated, reversed_=False)
        bottom = _edge_count(lines[top:], repeated, reversed_=True)
        result.append(_trim(lines[top : len(lines) - bottom]))
    return result


def _trim(lines: list[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    end = next((i for i in range(len(lines), 0, -1) if lines[i - 1]), start)
    return lines[start:end]


def _shape(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.lower().split()))


def _repeated_edges(pages: list[list[str]]) -> set[str]:
    """The shapes of lines that open or close more than half the pages (two pages at least)."""
    text_pages = [lines for lines in pages if lines]
    if len(text_pages) < 2:
        return set()
    counts = Counter()
    for lines in text_pages:
        edges = {_shape(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]}
        counts.update(edges)
    least = max(2, REPEATED_SHARE * len(text_pages))
    return {shape for shape, count in counts.items() if count >= least}


def _edge_count(lines: list[str], repeated: set[str], *, reversed_: bool) -> int:
    """How many lines at one end of a page are running lines or page numbers."""
    ordered = list(reversed(lines)) if reversed_ else lines
    count = 0
    for line in ordered[:EDGE_LINES]:
        if line and (_PAGE_NUMBER.fullmatch(line) or _shape(line) in repeated):
            count += 1
        elif line:
            break
        else:
            count += 1
    return count


def join_pages(pages: list[list[str]]) -> tuple[str, tuple[int, ...]]:
    """The text of the pages, lines and pages joined by "\\n" (a run of blank lines kept as one)
    and broken words joined again, and the offset where each page begins."""
    words = _hyphenated_words(pages)
    parts, length, starts, previous = [], 0, [], None
    for lines in pages:
        page_start = None
        for line in lines:
            if previous == "" and line == "":
                continue
            joiner = "\n" if parts else ""
            if previous and _BROKEN.search(previous) and _CONTINUED.match(line):
                joiner = ""
                if not _keeps(previous, line, words):
                    parts[-1] = parts[-1][:-1]  # the hyphen that broke the word goes
                    length -= 1
            length += len(joiner)
            if page_start is None:
                page_start = length
            parts.append(joiner + line)
            length += len(line)
            previous = line
        starts.append(length if page_start is None else page_start)
    return "".join(parts), tuple(starts)


def _keeps(previous: str, line: str, words: set[str]) -> bool:
    """Whether a hyphen at a line's end belongs to the word: after a capital ("Jamiat-" / "e"),
    or when the document writes the word with it elsewhere ("well-known")."""
    before = _BROKEN.search(previous)[1]
    after = _CONTINUED.match(line)[1]
    return not before.islower() or f"{before}-{after}".lower() in words


def _hyphenated_words(pages: list[list[str]]) -> set[str]:
    found = set()
    for lines in pages:
        for line in lines:
            if "-" in line[:-1]:
                found.update(w.lower() for w in re.findall(r"\w+-\w+", line))
    return found


# ---------------------------------------------------------------------------------------------
# Metadata: XMP first (it is what current tools write with care), the document information after.

_JUNK_TITLE = re.compile(r"^(?:microsoft (?:word|powerpoint) - |untitled\b)", re.I)


def _declared_metadata(reader) -> Proposal:
    xmp = _xmp_values(reader)
    info = _info_values(reader)
    found, evidence = {}, {}
    for name in ("title", "authors", "published", "subject"):
        for values, where in ((xmp, "the PDF’s XMP metadata"), (info, "the PDF’s document info")):
            if values.get(name) and name not in found:
                value, field_name = values[name]
                found[name] = value
                evidence[name] = f"{where} ({field_name})"
    return Proposal(**found, evidence=evidence)


def _info_values(reader) -> dict:
    info = reader.metadata or {}
    values = {}
    title = clean(str(info.get("/Title") or ""), "title")
    if title and not _JUNK_TITLE.match(title):
        values["title"] = (title, "Title")
    if author := clean(str(info.get("/Author") or ""), "authors"):
        values["authors"] = (author, "Author")
    if subject := " ".join(str(info.get("/Subject") or "").split())[:300]:
        values["subject"] = (subject, "Subject")
    for key, label in (("/CreationDate", "CreationDate"), ("/ModDate", "ModDate")):
        if edtf := pdf_date_to_edtf(str(info.get(key) or "")):
            values["published"] = (edtf, label)
            break
    return values


def _xmp_values(reader) -> dict:
    xmp = reader.xmp_metadata
    if xmp is None:
        return {}
    values = {}
    titles = xmp.dc_title or {}
    title = clean(titles.get("x-default") or next(iter(titles.values()), ""), "title")
    if title and not _JUNK_TITLE.match(title):
        values["title"] = (title, "dc:title")
    if creators := clean(", ".join(xmp.dc_creator or []), "authors"):
        values["authors"] = (creators, "dc:creator")
    descriptions = xmp.dc_description or {}
    described = descriptions.get("x-default") or next(iter(descriptions.values()), "")
    if subject := " ".join(str(described or "").split())[:300]:
        values["subject"] = (subject, "dc:description")
    dates = [(d, "dc:date") for d in xmp.dc_date or []]
    dates += [(xmp.xmp_create_date, "xmp:CreateDate"), (xmp.xmp_modify_date, "xmp:ModifyDate")]
    for value, label in dates:
        if isinstance(value, datetime) and (edtf := date_to_edtf(value.date().isoformat())):
            values["published"] = (edtf, label)
            break
    return values


_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?")


def pdf_date_to_edtf(value: str) -> str:
    """A PDF date ("D:20210815103000+02'00'") as EDTF at the precision it states: "2021-08-15"."""
    match = _PDF_DATE.match(value.strip())
    if not match:
        return ""
    parts = [part for part in match.groups() if part]
    return date_to_edtf("-".join(parts)) if len(parts) == 3 else "-".join(parts)


FORMAT = Format(
    "pdf",
    (".pdf",),
    ("application/pdf",),
    read=None,
    read_bytes=read_pdf,
)
