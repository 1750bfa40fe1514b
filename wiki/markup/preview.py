"""Showing editors their text before it is saved: a rendered preview.

The preview renders a body exactly as a page shows it (footnotes, coverage, citation-needed
marks, red links), through the same renderer, but writes nothing: citations are looked up in
their sources' text (validation.check_quotes) instead of being resolved into Citation rows.
Two queries whatever the size of the body.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sources.citations.syntax import CitationRef
from sources.common.permissions import is_team
from wiki.markup import parse as markup
from wiki.markup.rendering import (
    UNKNOWN_SOURCE,
    Reference,
    RenderedBody,
    render_body,
)
from wiki.markup.validation import QuoteCheck, check_quotes


@dataclass(frozen=True)
class Preview(RenderedBody):
    """A body rendered for its editor, unsaved; error is set when the markup cannot be read."""


def preview_body(body: str, user) -> Preview:
    """Render a body as its page would show this user, without saving anything."""
    try:
        rendered = render_body(body, team=is_team(user), citations=_checked)
    except markup.MarkupError as error:
        return Preview(error=str(error))
    return Preview(
        rendered.html, rendered.references, rendered.coverage, unsupported=rendered.unsupported
    )


def _checked(refs: Sequence[CitationRef]) -> dict[CitationRef, Reference]:
    """Each citation looked up in its source's current text, nothing written."""
    return {ref: _reference(check) for ref, check in check_quotes(refs).items()}


def _reference(check: QuoteCheck) -> Reference:
    ref = check.ref
    if check.source is None:
        return Reference(ref, UNKNOWN_SOURCE, quote=ref.quote, locator=ref.locator, check=check)
    return Reference(
        ref,
        check.status,
        check.source,
        check.source.get_absolute_url(),
        check.passage or ref.quote,
        ref.locator,
        check=check,
    )
