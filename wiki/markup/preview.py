"""Showing editors their text before it is saved: a rendered preview.

The preview renders a body exactly as a page shows it (footnotes, coverage, citation-needed
marks, red links) but writes nothing: citations are looked up in their sources' text
(validation.check_quotes) instead of being resolved into Citation rows, and links through the
name index. Two queries whatever the size of the body.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from sources.citations.syntax import CitationRef
from sources.common.permissions import can_read_drafts
from wiki import names
from wiki.markup import parse as markup
from wiki.markup.validation import QuoteCheck, check_quotes
from wiki.models import Name


@dataclass(frozen=True)
class PreviewReference:
    """One numbered entry of a preview's reference list, with what the check found."""

    number: int
    ref: CitationRef
    check: QuoteCheck


@dataclass(frozen=True)
class Preview:
    """A body rendered for its editor, unsaved; error is set when the markup cannot be read."""

    html: SafeString = mark_safe("")
    references: list[PreviewReference] = field(default_factory=list)
    sentences: int = 0
    sourced: int = 0
    error: str = ""

    @property
    def coverage_percent(self) -> int:
        """Sourced statements as a whole percentage, rounded down."""
        return self.sourced * 100 // self.sentences if self.sentences else 100


def _link_resolver(targets, user):
    """Resolve the body's [[links]] through the name index in one query; the rest are red."""
    rows = Name.objects.filter(
        normalised__in={names.normalise(target) for target in targets}
    ).select_related("content_type")
    if not can_read_drafts(user):
        rows = rows.filter(is_public=True)
    by_name: dict[str, Name] = {}
    for row in sorted(rows, key=lambda row: not row.is_title):  # a title wins over an alias
        by_name.setdefault(row.normalised, row)

    def resolve(target: str) -> markup.LinkTarget:
        row = by_name.get(names.normalise(target))
        if row is not None:
            return markup.LinkTarget(row.get_absolute_url(), True, row.name)
        return markup.LinkTarget(
            f"{reverse('wiki:page-new')}?{urlencode({'title': target})}", False
        )

    return resolve


def _citation_target(check: QuoteCheck) -> markup.CitationTarget | None:
    if check.source is None:
        return None  # renders as a missing citation
    return markup.CitationTarget(
        url=check.source.get_absolute_url(), label=check.source.title, status=check.status
    )


def preview_body(body: str, user) -> Preview:
    """Render a body as its page would show this user, without saving anything."""
    try:
        parsed = markup.parse(body)
    except markup.MarkupError as error:
        return Preview(error=str(error))
    checks = check_quotes(parsed.citations)
    references: list[PreviewReference] = []

    def resolve_citation(ref: CitationRef):
        references.append(PreviewReference(len(references) + 1, ref, checks[ref]))
        return _citation_target(checks[ref])

    rendered = markup.render(
        body, resolve_link=_link_resolver(parsed.links, user), resolve_citation=resolve_citation
    )
    html = mark_safe(rendered.html)  # noqa: S308 - markup.render sanitises with nh3
    return Preview(html, references, rendered.sentences, rendered.sourced)
