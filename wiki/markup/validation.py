"""Checking citation markup before it is saved: what the save services would refuse, and why.

The save services (page_save, relation_save) stay the one authority: citation_errors() asks
them through citations_resolve inside a rolled-back savepoint, so a form shows exactly the
messages a save would raise, all at once and next to the field. check_quotes() answers the
same question without writing anything, with the closest passage of each quote that is not
in its source: the preview and the "use this passage" suggestions are built on it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from sources.citations import anchoring
from sources.citations.syntax import (
    CitationRef,
    CitationSyntaxError,
    escape_quote,
    find_groups,
    format_ref,
)
from sources.models import Source
from sources.services import citations_resolve
from wiki.markup import parse as markup


def refs_in_body(text: str) -> list[CitationRef]:
    """Every citation of a page body, in order."""
    return [ref for _, _, group in find_groups(text) for ref in group]


def citation_errors(text: str, *, parse, limit: int | None = None) -> list[str]:
    """What the save services would refuse in this citation markup, found without writing.

    With limit, more citations than that are refused before any is looked up.
    """
    try:
        refs = parse(text)
    except (CitationSyntaxError, markup.MarkupError) as error:
        return [str(error)]
    if limit is not None and len(refs) > limit:
        return [f"This holds {len(refs):,} citations; {limit:,} at most are allowed here."]
    try:
        # citations_resolve creates the citations it anchors: keep its verdict, not its rows.
        with transaction.atomic():
            citations_resolve(refs)
            transaction.set_rollback(True)
    except ValidationError as error:
        return error.messages
    return []


def body_errors(body: str) -> list[str]:
    """What page_save would refuse in a page body: unreadable markup or unverifiable quotes."""
    return citation_errors(body, parse=lambda text: list(markup.parse(text).citations))


@dataclass(frozen=True)
class QuoteCheck:
    """One citation checked against its source's stored text, read-only."""

    ref: CitationRef
    source: Source | None
    anchor: anchoring.Anchor | None = None
    closest: str = ""  # the passage most like a quote that is not in the text

    @property
    def status(self) -> str:
        """unknown-source | unverified (no quote) | anchored | missing."""
        if self.source is None:
            return "unknown-source"
        if self.ref.is_whole_document:
            return "unverified"
        return "anchored" if self.anchor else "missing"

    @property
    def passage(self) -> str:
        """The quoted passage as it stands in the source ("" when it is not there)."""
        return self.anchor.passage(self.source.text) if self.anchor else ""

    @property
    def suggestion(self) -> str:
        """The citation rewritten with the closest passage, ready to paste ("" if none)."""
        if not self.closest:
            return ""
        # Written as the syntax reads it: a double quote inside the passage is escaped.
        return format_ref(CitationRef(self.ref.key, self.ref.locator, self.closest))

    @property
    def typed_quote(self) -> str:
        """The quote as it stands in the body (escaped), for "Use this passage" to find."""
        return escape_quote(self.ref.quote)

    @property
    def closest_markup(self) -> str:
        """The closest passage as it goes into the body (escaped)."""
        return escape_quote(self.closest)


# What a check reads of a source: its text, and what a reference names it by.
_CHECKED_FIELDS = ("key", "title", "authors", "publisher", "published", "text", "is_public")


def check_quotes(refs, *, closest: bool = True) -> dict[CitationRef, QuoteCheck]:
    """Look each citation up in its source without writing: one query for all the sources."""
    refs = list(dict.fromkeys(refs))
    keys = {ref.key for ref in refs}
    sources = {
        source.key: source for source in Source.objects.filter(key__in=keys).only(*_CHECKED_FIELDS)
    }
    checks = {}
    for ref in refs:
        source = sources.get(ref.key)
        if source is None or ref.is_whole_document:
            checks[ref] = QuoteCheck(ref, source)
            continue
        anchor = anchoring.find_quote(source.text, ref.quote)
        nearest = ""
        if anchor is None and closest:
            # Widened to whole words, the passage may end on the text's punctuation.
            nearest = anchoring.closest_passage(source.text, ref.quote).rstrip(",;:")
        checks[ref] = QuoteCheck(ref, source, anchor, nearest)
    return checks


def quote_suggestions(body: str) -> list[QuoteCheck]:
    """The quotes of a body that are not in their source but have a close passage there."""
    try:
        refs = markup.parse(body).citations
    except markup.MarkupError:
        return []
    return [check for check in check_quotes(refs).values() if check.suggestion]
