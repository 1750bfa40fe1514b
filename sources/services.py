"""Writes that touch sources and citations: resolving citations, saving sources, citation uses."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from . import anchoring
from .citation_refs import CitationRef
from .model_bases import format_tags
from .models import Citation, CitationUse, Source
from .reanchoring import citations_reanchor


def _missing_quote_message(source: Source, quote: str) -> str:
    closest = anchoring.closest_passage(source.text, quote)
    message = f"The quote “{quote}” is not in source “{source.key}” ({source.title})."
    if closest:
        message += f" Closest passage: “{closest}”."
    return message


def citation_resolve(ref: CitationRef, *, sources_by_key: dict[str, Source]) -> Citation:
    """Find or make the Citation a reference names; ValidationError names the key and the quote."""
    source = sources_by_key.get(ref.key)
    if source is None:
        raise ValidationError(
            f"There is no source with the key “{ref.key}”.", code="unknown_source"
        )
    if ref.is_whole_document:
        citation, _ = Citation.objects.get_or_create(
            source=source,
            quote="",
            locator=ref.locator,
            start=None,
            end=None,
            defaults={"status": Citation.Status.UNVERIFIED},
        )
        return citation
    anchor = anchoring.find_quote(source.text, ref.quote)
    if anchor is None:
        raise ValidationError(_missing_quote_message(source, ref.quote), code="quote_not_found")
    # Store the passage as it stands in the source, not as it was typed.
    quote = anchor.passage(source.text)
    citation = Citation.objects.filter(
        source=source, start=anchor.start, end=anchor.end, locator=ref.locator
    ).first()
    if citation is None:
        prefix, suffix = anchoring.context_around(source.text, anchor.start, anchor.end)
        citation = Citation.objects.create(
            source=source,
            quote=quote,
            prefix=prefix,
            suffix=suffix,
            start=anchor.start,
            end=anchor.end,
            locator=ref.locator,
            status=Citation.Status.ANCHORED,
        )
    return citation


def citations_resolve(refs: list[CitationRef]) -> list[Citation]:
    """Resolve many references at once, reporting every bad one in a single ValidationError."""
    keys = {ref.key for ref in refs}
    sources_by_key = {source.key: source for source in Source.objects.filter(key__in=keys)}
    citations, errors = [], []
    for ref in refs:
        try:
            citations.append(citation_resolve(ref, sources_by_key=sources_by_key))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    return citations


def citation_uses_replace(citing, citations: list[Citation]) -> None:
    """Make `citing` (a page or relation) use exactly these citations, in this order."""
    content_type = ContentType.objects.get_for_model(citing)
    CitationUse.objects.filter(content_type=content_type, object_id=citing.pk).delete()
    CitationUse.objects.bulk_create(
        CitationUse(citation=citation, content_type=content_type, object_id=citing.pk, position=i)
        for i, citation in enumerate(citations, start=1)
    )


@transaction.atomic
def source_save(*, source: Source, user, change_reason: str = "", tags=None) -> Source:
    """Save a source and its tags as one revision; a changed text re-anchors its citations.

    Sets source.reanchor_report (None when the text did not change).
    """
    if tags is not None:
        source.tag_list = format_tags(tags)
    source.touch(user)
    source._change_reason = change_reason
    source.full_clean()
    # Lock the row so that no page anchors a quote into text that is being replaced.
    old_text = (
        Source.objects.select_for_update()
        .filter(pk=source.pk)
        .values_list("text", flat=True)
        .first()
        if source.pk
        else None
    )
    source.save()
    if tags is not None:
        source.tags.set(sorted({str(tag).strip() for tag in tags if str(tag).strip()}))
    source.reanchor_report = None
    if old_text is not None and old_text != source.text:
        source.reanchor_report = citations_reanchor(source=source, old_text=old_text, user=user)
    return source
