"""Web pages (.html) through trafilatura: the main text, and the metadata the page declares.

trafilatura keeps the main text without navigation, adverts and footers, and reads what the page
declares about itself (title, author, date, site, canonical URL); header lines fill the gaps.
"""

import codecs
import re

from sources.importing.documents import Format, ImportedDocument, ImportRefused, normalise_newlines
from sources.importing.metadata import (
    Proposal,
    clean,
    date_to_edtf,
    is_web_url,
    kind_of_page,
    propose_from_text,
    site_host,
)

_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

# trafilatura spends about 0.15 ms on each element, more in tables: a page of 100,000 table cells
# took half a minute. Elements are counted before anything is parsed; an article has a few
# thousand, and this many take about a second and a half.
MAX_ELEMENTS = 10_000
_OPENING_TAG = re.compile(r"<[A-Za-z]")
# What holds no elements, however many "<" it has. Each match runs to its end or to the end of
# the page, so the search stays linear even when one is never closed.
_NOT_ELEMENTS = re.compile(r"<(script|style)\b.*?(?:</\1|\Z)|<!--.*?(?:-->|\Z)", re.S | re.I)


def element_count(html: str) -> int:
    """How many elements a page has, counted without parsing it: its opening tags outside
    scripts, styles and comments."""
    return _OPENING_TAG.subn("", _NOT_ELEMENTS.sub("", html))[1]


def read_html(html: str, *, name: str = "") -> ImportedDocument:
    """A web page's main text and the metadata it declares; header lines fill the gaps.

    ImportRefused, naming the limit, for a page with more elements than can be read quickly.
    """
    if (elements := element_count(html)) > MAX_ELEMENTS:
        raise ImportRefused(
            f"{name or 'The page'} has {elements:,} HTML elements; Attest reads pages of up to "
            f"{MAX_ELEMENTS:,}. Upload its main text as a .txt file instead, or paste it."
        )
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
        "title": clean(document.title, "title"),
        "authors": clean((document.author or "").replace("; ", ", "), "authors"),
        "publisher": clean(document.sitename, "publisher"),
        "published": date_to_edtf(document.date or ""),
        "url": clean(document.url, "url") if is_web_url(document.url) else "",
        "language": clean(language, "language"),
    }
    found = {name: value for name, value in found.items() if value}
    evidence = {name: "the page’s metadata" for name in found}
    # An article (og:type) or a news site's page is news; otherwise the file type says web page.
    kind, why = kind_of_page(document.pagetype, site_host(found.get("url", "")))
    found["kind"], evidence["kind"] = (kind, why) if kind else ("webpage", "the file type (HTML)")
    return Proposal(**found, evidence=evidence)


def declared_charset(data: bytes) -> str | None:
    """The encoding a page's <meta charset> declares, if Python knows it."""
    match = _HTML_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match[1].decode("ascii")).name
    except LookupError:
        return None


FORMAT = Format(
    "html",
    (".html", ".htm"),
    ("text/html", "application/xhtml+xml"),
    read_html,
    declared_charset=declared_charset,
)
