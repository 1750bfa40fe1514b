"""Cited passages as the API gives them: W3C Web Annotation selectors, the source and the grade,
or, for a protected source the reader may not see, only that it is withheld and its grade.

The one rule for every statement (a body, a claim, a relation): the team sees every passage; the
public sees a public source's passages in full, a protected source's as {"withheld": true,
"grade": "B2"} and nothing else of it, and an unpublished source's not at all.
"""

from django.db.models import Q

from sources.common.permissions import is_team
from sources.models import CitationUse
from wiki.markup.parse import cited_sentences
from wiki.markup.plugins import MarkupError

# A reference shows a source's metadata, never its (long) text or the team's notes.
SOURCE_BULK = ("citation__source__text", "citation__source__notes")


def citation_uses(user):
    """Citation uses with their passage and source, as far as this reader may know of them."""
    uses = CitationUse.objects.select_related("citation__source").defer(*SOURCE_BULK)
    if not is_team(user):
        uses = uses.filter(
            Q(citation__source__is_public=True) | Q(citation__source__is_protected=True)
        )
    return uses.order_by("position", "pk")


def selectors(citation) -> list[dict]:
    """The passage as W3C Web Annotation selectors: its quote in context, and where it stands in
    the source's text while it is anchored there (a whole-document citation has neither)."""
    if not citation.quote:
        return []
    found = [
        {
            "type": "TextQuoteSelector",
            "exact": citation.quote,
            "prefix": citation.prefix,
            "suffix": citation.suffix,
        }
    ]
    if citation.status == citation.Status.ANCHORED and citation.start is not None:
        found.append({"type": "TextPositionSelector", "start": citation.start, "end": citation.end})
    return found


def withheld(citation) -> dict:
    """What the public learns of a protected source's passage: that it is withheld, its grade."""
    return {"withheld": True, "grade": citation.grade.label or None}


def passage(citation, request=None) -> dict:
    """A passage the reader may see, whole: selectors, source, locator, grades, links."""
    source = citation.source
    absolute = request.build_absolute_uri if request is not None else str
    return {
        "withheld": False,
        "grade": citation.grade.label or None,
        "id": citation.pk,
        "status": citation.status,
        "locator": citation.locator,
        "credibility": citation.credibility,
        "selector": selectors(citation),
        "source": {
            "key": source.key,
            "title": source.title,
            "url": source.url,
            "reliability": source.reliability or None,
            "page": absolute(source.get_absolute_url()),
        },
        "url": absolute(citation.get_absolute_url()),
    }


def shown(citation, user, request=None) -> dict | None:
    """The passage as this reader may see it: whole, withheld, or None (not at all)."""
    if is_team(user) or citation.source.is_public:
        return passage(citation, request)
    if citation.source.is_protected:
        return withheld(citation)
    return None


def shown_uses(uses, user, request=None) -> list[dict]:
    """Each use's passage as the reader may see it, in order, those hidden from them left out."""
    found = (shown(use.citation, user, request) for use in uses)
    return [item for item in found if item is not None]


def shown_sentences(body: str, uses, user, request=None) -> list[dict]:
    """The body sentence by sentence, each with its passages as the reader may see them.

    A body's uses are numbered (position, from 1) in the order its distinct citations first
    appear, as the save wrote them; a sentence names its citations, so the two meet there.
    """
    try:
        refs, sentences = cited_sentences(body)
    except MarkupError:  # saved before a limit: the flat list of passages still stands
        return []
    by_position = {use.position: use for use in uses}
    position = {ref: number for number, ref in enumerate(refs, start=1)}
    found = []
    for sentence in sentences:
        uses_here = (by_position.get(position[ref]) for ref in dict.fromkeys(sentence.refs))
        passages = (shown(use.citation, user, request) for use in uses_here if use is not None)
        found.append({"text": sentence.text, "citations": [p for p in passages if p is not None]})
    return found
