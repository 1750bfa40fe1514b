"""What the sources app announces to apps built on it, and what it asks them to tell.

Sources may not import the wiki, yet the wiki keeps indexes derived from sources (search, the
mention index) and texts that quote them (page bodies, relation evidence). source_save sends
source_saved inside its transaction; the wiki rebuilds what it derives from the source there,
and rewrites the quotes a correction changed, so that a refused save leaves all as it was.

The other way round, the sources app checks that every citing text still quotes its passages
(manage.py check_citations): each app registers its citing models with citing_text_register.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.dispatch import Signal

from sources.citations.syntax import CitationRef

# Sent with source=<Source>, text_changed=<bool> (True for a new source), user=<the saver or
# None> and reanchor_report=<ReanchorReport, or None when the text did not change>; its
# requotes name each citation whose passage now reads otherwise.
source_saved = Signal()


@dataclass(frozen=True)
class CitingText:
    """Where a model keeps citation markup, and how to read its citations in CitationUse order
    (the order its save service gave citation_uses_replace)."""

    field: str
    refs: Callable[[str], Sequence[CitationRef]]


_citing_texts: dict[type, CitingText] = {}


def citing_text_register(model: type, *, field: str, refs) -> None:
    """Tell the sources app that model's `field` holds citations, read in order by refs(text)."""
    _citing_texts[model] = CitingText(field, refs)


def citing_text(model: type) -> CitingText | None:
    """How model keeps its citations, if an app registered it."""
    return _citing_texts.get(model)
