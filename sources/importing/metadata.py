"""Metadata a document states about itself, proposed for the person to confirm.

Pure: text in, a Proposal out; no database. Each field comes with the words it was read from
(its evidence), so that the person sees why it is proposed before anything is saved. Read here:
header lines ("Publisher …", "Author: …", a dateline, a byline, the title line), dates as
documents write them (as EDTF), and a citation key made from what the document says it is.
"""

import functools
import re
from dataclasses import dataclass, field, fields, replace
from datetime import date
from urllib.parse import urlsplit

from sources.importing.keys import distinct_key, propose_key  # noqa: F401 - re-exported

# Longest lines and values worth reading as metadata; longer ones are prose.
HEADER_LINES = 40
HEADER_LINE_LENGTH = 300
# Only the top of a document is read for metadata, each line cut to this many characters: a
# document of one 5 MB line took a second to propose from, all of it spent past any header.
HEAD_LINE_CUT = 1000
_NOT_SPACE = re.compile(r"\S")
# Limits of the Source model's fields, so that a proposal always fits.
FIELD_LENGTHS = {
    "title": 500,
    "authors": 500,
    "publisher": 300,
    "url": 1000,
    "document_symbol": 100,
    "language": 35,
}


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
    subject: str = ""  # what the document says it is about: kept in the source's notes
    evidence: dict[str, str] = field(default_factory=dict, compare=False)

    def values(self) -> dict:
        """The proposed fields that have a value, by model field name (the subject goes into
        the notes, Source having no field of its own for it)."""
        values = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("evidence", "subject") and getattr(self, f.name)
        }
        if self.subject:
            values["notes"] = f"Subject: {self.subject}"
        return values

    def field_evidence(self) -> dict[str, str]:
        """Where each proposed model field was read (the subject's, for the notes)."""
        evidence = dict(self.evidence)
        if "subject" in evidence:
            evidence["notes"] = evidence.pop("subject")
        return evidence

    def fill(self, other: "Proposal") -> "Proposal":
        """This proposal with its gaps filled from other (what this one says wins)."""
        gaps = {
            f.name: getattr(other, f.name)
            for f in fields(self)
            if f.name != "evidence" and getattr(other, f.name) and not getattr(self, f.name)
        }
        evidence = {name: other.evidence[name] for name in gaps if name in other.evidence}
        return replace(self, **gaps, evidence={**self.evidence, **evidence})


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
    lines = _head_lines(text)
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
        found["title"], evidence["title"] = clean(title, "title"), title
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


def _head_lines(text: str) -> list[str]:
    """The first HEADER_LINES lines that are not blank, white space folded, cut at HEAD_LINE_CUT."""
    lines, start = [], 0
    while len(lines) < HEADER_LINES and (word := _NOT_SPACE.search(text, start)):
        start = max(start, text.rfind("\n", start, word.start()) + 1)  # where its line starts
        end = text.find("\n", word.start())
        end = len(text) if end == -1 else end
        if line := " ".join(text[start : min(end, start + HEAD_LINE_CUT)].split()):
            lines.append(line)
        start = end + 1
    return lines


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
        return clean(match[0].rstrip(".,;)]>"), "url") if match else ""
    return clean(value, name)


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
            return clean(match["value"], "authors"), line
    start = lines.index(title) + 1 if title in lines else 0
    for line in lines[start:BYLINE_LINES]:
        name = _RELATIVE_TIME.sub("", line)
        if _is_name(name, 2, 3):
            return clean(name, "authors"), line
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


def clean(value: str | None, name: str) -> str:
    """A value on one line, cut to the length its Source field holds."""
    value = " ".join((value or "").split())
    return value[: FIELD_LENGTHS.get(name, 500)]


def is_web_url(value: str | None) -> bool:
    """True for an http or https address and nothing else."""
    return bool(value) and bool(_URL.fullmatch(value))


# ---------------------------------------------------------------------------------------------
# Header lines someone wrote above a pasted text: metadata, not the document's words

_LEADING_KEYS = {
    "title": "title",
    "url": "url",
    "published": "published",
    "date": "published",
    "publisher": "publisher",
    "author": "authors",
    "authors": "authors",
    "accessed": "accessed",
}
_LEADING = re.compile(
    rf"^[ \t]*(?P<key>{'|'.join(_LEADING_KEYS)})[ \t]*:[ \t]*(?P<value>\S.*?)\s*$", re.I
)
_BLANK_LINES = re.compile(r"^(?:[ \t]*\n)+")


def take_header_lines(text: str) -> tuple[Proposal, str]:
    """The "title: …", "url: …", "published: …", "publisher: …", "author: …" lines at the very
    top of a text, as metadata, and the text without them.

    Only the leading block goes (blank lines between its lines too), and only lines whose value
    reads as its field's: the first other line starts the document, which is kept as it is.
    """
    lines = text.split("\n")
    found, evidence, end = {}, {}, 0
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        match = _LEADING.match(line) if len(line) <= HEADER_LINE_LENGTH else None
        name = _LEADING_KEYS[match["key"].lower()] if match else ""
        value = _leading_value(name, match["value"]) if match else None
        if not value:
            break
        if name not in found:
            found[name] = value
            evidence[name] = f"the header line “{' '.join(line.split())}”, taken out of the text"
        end = number + 1
    body = _BLANK_LINES.sub("", "\n".join(lines[end:]))
    if not end or not body.strip():
        return Proposal(), text
    return Proposal(**found, evidence=evidence), body


def _leading_value(name: str, value: str):
    if name == "accessed":
        day = date_to_edtf(value)
        return date.fromisoformat(day) if _DAY.fullmatch(day) else None
    return _header_value(name, value)


# ---------------------------------------------------------------------------------------------
# What kind of document it is, where something says so

# Sites whose pages are news articles; a page elsewhere is news when it says it is an article.
NEWS_SITES = frozenset(
    ("aljazeera.com", "apnews.com", "bbc.co.uk", "bbc.com", "dw.com", "france24.com")
    + ("irinnews.org", "thenewhumanitarian.org", "nytimes.com", "reuters.com", "rferl.org")
    + ("theguardian.com", "washingtonpost.com", "independent.co.uk", "afp.com", "tolonews.com")
    + ("pajhwok.com", "aa.com.tr", "lemonde.fr", "libyaherald.com", "sudantribune.com")
)
_ARTICLE_TYPES = frozenset(("article", "newsarticle", "reportagenewsarticle"))


def kind_of_page(page_type: str, host: str) -> tuple[str, str]:
    """(kind, evidence) for a web page: news for an article (og:type) or a page of a news
    site; ("", "") when nothing says, so that the person chooses rather than a guess."""
    page_type = (page_type or "").strip().lower()
    if page_type in _ARTICLE_TYPES:
        return "news", f"the page’s type “{page_type}” (og:type)"
    host = (host or "").lower().removeprefix("www.")
    if host in NEWS_SITES or any(host.endswith(f".{site}") for site in NEWS_SITES):
        return "news", f"the news site “{host}”"
    return "", ""


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
# A fetched document


def site_host(url: str) -> str:
    """The host of a web address as people name a site: "www.irinnews.org" → "irinnews.org"."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def propose_from_fetch(proposal: Proposal, url: str, accessed: date) -> Proposal:
    """A fetched document's proposal: the address it came from, the day it was read, and the
    site's host as its publisher when the document names none."""
    fetched = {"url": clean(url, "url"), "accessed": accessed}
    evidence = {"url": "the address it was fetched from", "accessed": "the day it was fetched"}
    host = site_host(url)
    if not proposal.publisher and host:
        fetched["publisher"], evidence["publisher"] = clean(host, "publisher"), "the site’s address"
    kind, why = kind_of_page("", host)
    if kind and proposal.kind in ("", "webpage"):
        fetched["kind"], evidence["kind"] = kind, why
    return replace(proposal, **fetched, evidence={**proposal.evidence, **evidence})
