"""Read a document into Attest: its text, and the metadata it states about itself.

Pure: a file's name and bytes (or pasted text) in, dataclasses out; no database. The text is what
citations anchor into, so it is kept as a reader reads it:

- .txt is kept as is (line endings become "\\n", a byte-order mark is dropped);
- .md becomes plain text: markdown-it-py parses it and only the words a reader sees are kept, not
  the asterisks, link targets or HTML tags, so that a passage copied from the rendered document
  is found in the stored text;
- .html goes through trafilatura, which keeps the main text without navigation, adverts and
  footers, and reads the metadata the page declares (title, author, date, site, canonical URL).

Text must be UTF-8 (or say otherwise: a UTF-16 byte-order mark, an HTML <meta charset>): guessing
an encoding would silently corrupt the passages people cite. Metadata is only ever *proposed*,
with the line of the document it came from; the person confirms it before anything is saved.
"""

import codecs
import functools
import re
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import PurePath

import filetype
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from markdown_it import MarkdownIt

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
FORMATS |= {".html": "html", ".htm": "html"}
ACCEPTED = ".txt, .md or .html"
# Longest lines and values worth reading as metadata; longer ones are prose.
HEADER_LINES = 40
HEADER_LINE_LENGTH = 300
# Limits of the Source model's fields, so that a proposal always fits.
FIELD_LENGTHS = {
    "title": 500,
    "authors": 500,
    "publisher": 300,
    "url": 1000,
    "document_symbol": 100,
    "language": 35,
}


class ImportRefused(ValueError):
    """A file Attest will not read; the message tells the person why and what to do."""


@dataclass(frozen=True)
class Proposal:
    """Metadata a document states about itself; evidence names where each field was read."""

    title: str = ""
    authors: str = ""
    publisher: str = ""
    published: str = ""  # EDTF
    url: str = ""
    document_symbol: str = ""
    accessed: date | None = None
    language: str = ""
    kind: str = ""
    evidence: dict[str, str] = field(default_factory=dict, compare=False)

    def values(self) -> dict:
        """The proposed fields that have a value, by model field name."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "evidence" and getattr(self, f.name)
        }

    def fill(self, other: "Proposal") -> "Proposal":
        """This proposal with its gaps filled from other (what this one says wins)."""
        gaps = {name: value for name, value in other.values().items() if not getattr(self, name)}
        evidence = {name: other.evidence[name] for name in gaps if name in other.evidence}
        return replace(self, **gaps, evidence={**self.evidence, **evidence})


@dataclass(frozen=True)
class ImportedDocument:
    """The text to store and the metadata proposed for it."""

    text: str
    proposal: Proposal
    format: str  # "text", "markdown" or "html"
    filename: str = ""


# ---------------------------------------------------------------------------------------------
# Files and pasted text


def read_upload(name: str, data: bytes, *, max_bytes: int) -> ImportedDocument:
    """Read an uploaded file; ImportRefused says why a file cannot be read."""
    fmt = file_format(name)
    if len(data) > max_bytes:
        raise ImportRefused(
            f"“{name}” is {filesizeformat(len(data))}; "
            f"the largest file Attest accepts is {filesizeformat(max_bytes)}."
        )
    text = decode(name, data, fmt)
    if not text.strip():
        raise ImportRefused(f"“{name}” holds no text.")
    if fmt == "html":
        document = read_html(text)
    elif fmt == "markdown":
        document = read_markdown(text)
    else:
        document = read_text(text)
    if not document.text.strip():
        raise ImportRefused(f"No readable text was found in “{name}”.")
    return replace(document, filename=name)


def read_text(text: str) -> ImportedDocument:
    """Plain text, pasted or uploaded: kept as is, metadata read from its header lines."""
    text = normalise_newlines(text).strip("\n")
    return ImportedDocument(text=text, proposal=propose_from_text(text), format="text")


def file_format(name: str) -> str:
    """The kind of file its name's extension says (text, markdown, html), else ImportRefused."""
    fmt = FORMATS.get(PurePath(name).suffix.lower())
    if fmt is None:
        raise ImportRefused(f"“{name}” is not a file Attest can read: upload a {ACCEPTED} file.")
    return fmt


def normalise_newlines(text: str) -> str:
    """Line endings as "\\n" (browsers send "\\r\\n" from every text area)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"))
_BOMS += ((codecs.BOM_UTF16_BE, "utf-16"),)
_SAVE_AS_UTF8 = (
    "Save it as UTF-8 (in most editors: Save as… → Encoding: UTF-8) and upload it again."
)


def decode(name: str, data: bytes, fmt: str) -> str:
    """The file's text: UTF-8 unless a byte-order mark or an HTML <meta charset> says otherwise."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        _refuse_binary(name, data)
        encoding = (_declared_charset(data) if fmt == "html" else None) or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        byte = data[error.start : error.start + 1].hex().upper()
        raise ImportRefused(
            f"“{name}” is not {_encoding_name(encoding)} text: byte 0x{byte} at position "
            f"{error.start} cannot be read (is it Latin-1 or Windows-1252?). {_SAVE_AS_UTF8}"
        ) from error
    if "\x00" in text:
        raise ImportRefused(f"“{name}” holds binary data, not text. Upload a {ACCEPTED} file.")
    return normalise_newlines(text)


def _refuse_binary(name: str, data: bytes) -> None:
    kind = filetype.guess(data[:8192])
    if kind is not None:
        raise ImportRefused(
            f"“{name}” is {_a(kind.extension)} {kind.extension.upper()} file ({kind.mime}), "
            f"not text. Upload a {ACCEPTED} file."
        )
    if b"\x00" in data[:8192]:
        raise ImportRefused(f"“{name}” holds binary data, not text. Upload a {ACCEPTED} file.")


def _declared_charset(data: bytes) -> str | None:
    match = _HTML_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match[1].decode("ascii")).name
    except LookupError:
        return None


def _encoding_name(encoding: str) -> str:
    return "UTF-8" if encoding.startswith("utf-8") else encoding


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


# ---------------------------------------------------------------------------------------------
# Markdown and HTML

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_MATTER_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w -]*):\s*(?P<value>.*?)\s*$")


def read_markdown(source: str) -> ImportedDocument:
    """Markdown as the plain text a reader sees; metadata from front matter and header lines."""
    front, source = _split_front_matter(normalise_newlines(source))
    text = markdown_to_text(source)
    proposal = propose_from_text(text)
    if front:
        proposal = propose_from_text(front, guess=False).fill(proposal)
    return ImportedDocument(text=text, proposal=proposal, format="markdown")


def _split_front_matter(source: str) -> tuple[str, str]:
    match = _FRONT_MATTER.match(source)
    if not match:
        return "", source
    # YAML "author: Jane Doe" reads like a header line "Author: Jane Doe"; quotes go.
    lines = []
    for line in match["body"].splitlines():
        if item := _FRONT_MATTER_LINE.match(line):
            lines.append(f"{item['key']}: {item['value'].strip(chr(34) + chr(39))}")
    return "\n".join(lines), source[match.end() :]


def markdown_to_text(source: str) -> str:
    """The words of a Markdown document, one block a paragraph, list items one a line."""
    blocks: list[tuple[str, bool]] = []  # (text, is a list item)
    markers: list[str] = []  # the marker of each open list item, innermost last
    pending = ""
    for token in MarkdownIt("commonmark").parse(source):
        if token.type == "list_item_open":
            pending = f"{token.info}. " if token.info else "- "
            markers.append(pending)
        elif token.type == "list_item_close":
            markers.pop()
        elif token.type == "inline":
            indent = "  " * max(len(markers) - 1, 0) if markers else ""
            blocks.append((indent + pending + _inline_text(token.children or []), bool(markers)))
            pending = ""
        elif token.type in ("fence", "code_block"):
            blocks.append((token.content.rstrip("\n"), False))
        elif token.type == "html_block" and (words := _html_fragment_text(token.content)):
            blocks.append((words, False))
    parts = []
    for i, (text, in_list) in enumerate(blocks):
        if i:
            parts.append("\n" if in_list and blocks[i - 1][1] else "\n\n")
        parts.append(text)
    return "".join(parts).strip("\n")


def _inline_text(children) -> str:
    words = []
    for child in children:
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type == "softbreak":
            words.append(" ")  # a line break in the source is a space to the reader
        elif child.type == "hardbreak":
            words.append("\n")
        elif child.type == "image":
            words.append(_inline_text(child.children or []))
    return "".join(words).strip()


def _html_fragment_text(fragment: str) -> str:
    import lxml.html  # comes with trafilatura; loaded when a document is read

    try:
        return " ".join(lxml.html.fromstring(fragment).text_content().split())
    except (lxml.etree.ParserError, ValueError):  # an empty or broken fragment
        return ""


def read_html(html: str) -> ImportedDocument:
    """A web page's main text and the metadata it declares; header lines fill the gaps."""
    # trafilatura imports lxml, htmldate and dateparser: loaded only when a page is imported.
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return ImportedDocument(text="", proposal=Proposal(), format="html")
    language = (tree.get("lang") or "").strip()
    document = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or not (document.text or "").strip():
        return ImportedDocument(text="", proposal=Proposal(), format="html")
    text = _paragraphs(document.text)
    declared = _declared_metadata(document, language)
    return ImportedDocument(
        text=text, proposal=declared.fill(propose_from_text(text)), format="html"
    )


def _paragraphs(text: str) -> str:
    # trafilatura writes one block a line; a blank line between paragraphs reads better and
    # keeps Markdown-like list items together.
    lines = [line.rstrip() for line in normalise_newlines(text).split("\n") if line.strip()]
    parts = []
    for i, line in enumerate(lines):
        if i:
            listed = line.startswith("- ") and lines[i - 1].startswith("- ")
            parts.append("\n" if listed else "\n\n")
        parts.append(line)
    return "".join(parts)


def _declared_metadata(document, language: str) -> Proposal:
    found = {
        "title": _clean(document.title, "title"),
        "authors": _clean((document.author or "").replace("; ", ", "), "authors"),
        "publisher": _clean(document.sitename, "publisher"),
        "published": date_to_edtf(document.date or ""),
        "url": _clean(document.url, "url") if _is_web_url(document.url) else "",
        "language": _clean(language, "language"),
    }
    found = {name: value for name, value in found.items() if value}
    evidence = {name: "the page’s metadata" for name in found}
    return Proposal(**found, kind="webpage", evidence={**evidence, "kind": "the file type (HTML)"})


# ---------------------------------------------------------------------------------------------
# Metadata from header lines

# Keys that a document writes before its value, with a colon or (for unambiguous keys) without.
# Order matters: "Published by" is a publisher, "Published" a date.
_RULES = (
    ("document_symbol", r"(?:citation\s*/\s*)?document\s+symbol", False),
    ("publisher", r"publisher|published\s+by", False),
    ("published", r"publication\s+date|date\s+of\s+publication|date\s+published", False),
    ("published", r"published(?:\s+on)?|date", True),
    ("authors", r"authors?|written\s+by", False),
    ("title", r"title", True),
    ("url", r"url|link|available\s+at", True),
)


def _rule(key: str, colon: bool) -> re.Pattern[str]:
    after_key = ":" if colon else r"(?::|\s)"
    return re.compile(rf"^\s*(?:{key})\s*{after_key}\s*(?P<value>\S.*?)\s*$", re.I)


_HEADER = [(name, _rule(key, colon)) for name, key, colon in _RULES]
_ACCESSED = re.compile(r"\b(?:accessed|retrieved)(?:\s+on)?\s*:?\s*(?P<value>[^\]\)\n;]+)", re.I)
_NOT_A_TITLE = re.compile(r"^\s*(?:last\s+updated|updated|modified|cite\s+as|disclaimer)\b", re.I)
_URL = re.compile(r"https?://\S+", re.I)
_BY = re.compile(r"^\s*(?:by|written\s+by)\s+(?P<value>[^|]+?)\s*(?:\|.*)?$", re.I)
_RELATIVE_TIME = re.compile(r"\s+(?:\d+\s+\w+\s+ago|yesterday|today)\s*$", re.I)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_DATELINE = re.compile(r"^\s*(?P<date>[^|–—]{6,40}?)\s*(?:\||–|—|\s-\s)\s*(?P<place>\S.{0,60})$")
_YEAR = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
BYLINE_LINES = 8  # a bare name counts as the byline only this near the top


def propose_from_text(text: str, *, guess: bool = True) -> Proposal:
    """Metadata stated in a text's first lines: "Publisher X", "Author: Y", a dateline, a title.

    Each field comes from the first line that states it. With guess, the first line that is not
    itself metadata is proposed as the title, and a byline or a dateline is looked for.
    """
    lines = [" ".join(line.split()) for line in text.split("\n") if line.strip()][:HEADER_LINES]
    found: dict[str, object] = {}
    evidence: dict[str, str] = {}
    for line in lines:
        for name, value in _header_values(line):
            if name not in found:
                found[name], evidence[name] = value, line
    if not guess:
        return _proposal(found, evidence)
    title = _title_line(lines)
    if title and "title" not in found:
        found["title"], evidence["title"] = _clean(title, "title"), title
    if "authors" not in found and (byline := _byline(lines, title)):
        found["authors"], evidence["authors"] = byline
    if "published" not in found and (dateline := _dateline(lines)):
        found["published"], evidence["published"] = dateline
        found.setdefault("kind", "news")
        evidence.setdefault("kind", dateline[1])
    if "document_symbol" in found:
        found.setdefault("kind", "report")
        evidence.setdefault("kind", evidence["document_symbol"])
    return _proposal(found, evidence)


def _proposal(found: dict, lines: dict[str, str]) -> Proposal:
    return Proposal(**found, evidence={name: f"the line “{line}”" for name, line in lines.items()})


def _header_values(line: str):
    """(field, value) pairs that one line states."""
    if len(line) <= HEADER_LINE_LENGTH:
        for name, pattern in _HEADER:
            if match := pattern.match(line):
                value = _header_value(name, match["value"])
                if value:
                    yield name, value
                    break
    if (match := _ACCESSED.search(line)) and _DAY.fullmatch(day := date_to_edtf(match["value"])):
        yield "accessed", date.fromisoformat(day)  # a month or a year alone is no access date


def _header_value(name: str, value: str):
    if name == "published":
        return date_to_edtf(value)
    if name == "url":
        match = _URL.search(value)
        return _clean(match[0].rstrip(".,;)]>"), "url") if match else ""
    return _clean(value, name)


def _title_line(lines: list[str]) -> str:
    for line in lines:
        if len(line) > HEADER_LINE_LENGTH or _NOT_A_TITLE.match(line):
            continue
        if any(True for _ in _header_values(line)) or _dateline([line]):
            continue
        return line
    return ""


def _byline(lines: list[str], title: str) -> tuple[str, str] | None:
    """Who wrote it, from "By Jane Doe and John Roe" or a bare "Jane Doe" under the title."""
    for line in lines[:BYLINE_LINES]:
        match = _BY.match(line)
        if match and all(_is_name(part, 1) for part in _NAME_SEPARATORS.split(match["value"])):
            return _clean(match["value"], "authors"), line
    start = lines.index(title) + 1 if title in lines else 0
    for line in lines[start:BYLINE_LINES]:
        name = _RELATIVE_TIME.sub("", line)
        if _is_name(name, 2, 3):
            return _clean(name, "authors"), line
    return None


def _is_name(text: str, least: int, most: int = 4) -> bool:
    """True for a few capitalised words and nothing else: "Andy Gregory", "Mas'ud"."""
    words = text.split()
    return least <= len(words) <= most and all(
        word[0].isupper() and re.sub(r"[-'’.]", "", word).isalpha() for word in words
    )


def _dateline(lines: list[str]) -> tuple[str, str] | None:
    """A news dateline such as "21.07.2015 | Mazar-e Sharif" or "Geneva, 14 December 1999".

    Returns its date as EDTF (a month at least: a year alone is common in headings) and the line.
    """
    for line in lines[:15]:
        match = _DATELINE.match(line)
        after_place = line.partition(",")[2]
        for candidate in (match["date"] if match else line, after_place):
            edtf = date_to_edtf(candidate) if 6 <= len(candidate) <= 40 else ""
            if len(edtf) >= len("1999-12"):
                return edtf, line
    return None


def _clean(value: str | None, name: str) -> str:
    value = " ".join((value or "").split())
    return value[: FIELD_LENGTHS.get(name, 500)]


def _is_web_url(value: str | None) -> bool:
    return bool(value) and bool(_URL.fullmatch(value))


# ---------------------------------------------------------------------------------------------
# Dates

_PERIOD_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
_DATE_SETTINGS = {
    # Absolute dates only: "2 days ago" means nothing once the page is old.
    "PARSERS": ["custom-formats", "absolute-time"],
    # 21.07.2015 and 05.07.2015 are day first, as most of the world writes them.
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
}


@functools.cache
def _date_parser():
    from dateparser.date import DateDataParser  # slow to import: only when a date is read

    return DateDataParser(settings=_DATE_SETTINGS)


def date_to_edtf(value: str) -> str:
    """A date as a document writes it, as EDTF at the precision it states; "" if it is none.

    "14 December 1999" → "1999-12-14", "December 1999" → "1999-12", "21.07.2015" → "2015-07-21",
    "2021-08-15T10:00:00+00:00" → "2021-08-15". A value must name a four-digit year.
    """
    value = " ".join(value.split())[:80]
    if not _YEAR.search(value):
        return ""
    data = _date_parser().get_date_data(value)
    if data.date_obj is None or data.period not in _PERIOD_FORMATS:
        return ""
    return f"{data.date_obj:{_PERIOD_FORMATS[data.period]}}"


# ---------------------------------------------------------------------------------------------
# A key to cite the source by

_MINOR_WORDS = frozenset(
    ("a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "is", "its", "of", "on")
    + ("or", "the", "to", "what", "who", "why", "with")
)
KEY_LENGTH = 60


def propose_key(proposal: Proposal) -> str:
    """A citation key from who published the document, its year and what it is about.

    "United States Bureau of Citizenship and Immigration Services", 1999, AFG00001.REF →
    "usbcis-1999-afg00001"; the caller makes it unique.
    """
    who = _short_name(proposal.publisher) or _surname(proposal.authors)
    year = _YEAR.search(proposal.published or "")
    symbol = proposal.document_symbol.rsplit(".", 1)[0] if proposal.document_symbol else ""
    what = symbol or " ".join(_significant_words(proposal.title)[:3])
    key = slugify("-".join(part for part in (who, year[0] if year else "", what) if part))
    return key[:KEY_LENGTH].strip("-") or "source"


def _significant_words(text: str) -> list[str]:
    words = re.findall(r"[^\W_]+", text)
    return [word for word in words if word.lower() not in _MINOR_WORDS]


def _short_name(name: str) -> str:
    words = _significant_words(name)
    if len(words) >= 3:
        return "".join(word[0] for word in words if word[0].isupper()) or words[0]
    return " ".join(words)


def _surname(authors: str) -> str:
    first = re.split(r",|;| and | & ", authors)[0].split()
    return first[-1] if first else ""
