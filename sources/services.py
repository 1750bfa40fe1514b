"""Writes that touch sources and citations: resolving citations, saving sources, citation uses."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from sources.citations import anchoring
from sources.citations.reanchoring import citations_reanchor
from sources.citations.syntax import CitationRef
from sources.common.history.revert import restore_fields, revert_reason
from sources.common.history.revisions import tag_names, tracked_fields
from sources.common.models import format_tags
from sources.common.permissions import can_edit, refuse_unless
from sources.models import Citation, CitationUse, Source
from sources.signals import source_saved


def _missing_quote_message(source: Source, quote: str) -> str:
    closest = anchoring.closest_passage(source.text, quote)
    message = f"The quote “{quote}” is not in source “{source.key}” ({source.title})."
    if closest:
        message += f" Closest passage: “{closest}”."
    return message


def _anchor_ref(ref: CitationRef, sources_by_key: dict[str, Source]):
    """Where a reference points: (source, start, end, passage); ValidationError if nowhere."""
    source = sources_by_key.get(ref.key)
    if source is None:
        raise ValidationError(
            f"There is no source with the key “{ref.key}”.", code="unknown_source"
        )
    if ref.is_whole_document:
        return source, None, None, ""
    anchor = anchoring.find_quote(source.text, ref.quote)
    if anchor is None:
        raise ValidationError(_missing_quote_message(source, ref.quote), code="quote_not_found")
    # Store the passage as it stands in the source, not as it was typed.
    return source, anchor.start, anchor.end, anchor.passage(source.text)


def _existing_citations(places) -> dict[tuple, Citation]:
    """The citations already at these places, by (source id, start, end, locator): one query."""
    found = Citation.objects.filter(
        source_id__in={source.pk for source, *_ in places},
        start__in={start for _, start, *_ in places if start is not None},
    )
    if any(start is None for _, start, *_ in places):
        found = found | Citation.objects.filter(
            source_id__in={source.pk for source, *_ in places}, start__isnull=True, quote=""
        )
    existing = {}
    for citation in found.order_by("pk"):
        key = (citation.source_id, citation.start, citation.end, citation.locator)
        existing.setdefault(key, citation)
    return existing


def _new_citation(source, start, end, passage, locator) -> Citation:
    if start is None:
        return Citation(source=source, quote="", locator=locator, status=Citation.Status.UNVERIFIED)
    prefix, suffix = anchoring.context_around(source.text, start, end)
    return Citation(
        source=source,
        quote=passage,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        locator=locator,
        status=Citation.Status.ANCHORED,
    )


def citations_resolve(refs: list[CitationRef]) -> list[Citation]:
    """Find or make the Citation each reference names, reusing identical ones, in order.

    Every bad reference is reported in one ValidationError naming the source key, the quote and
    the closest passage. A fixed handful of queries however many references there are.
    """
    keys = {ref.key for ref in refs}
    sources_by_key = {source.key: source for source in Source.objects.filter(key__in=keys)}
    places, errors = [], []
    for ref in refs:
        try:
            places.append((*_anchor_ref(ref, sources_by_key), ref.locator))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    existing = _existing_citations(places)
    missing = {}
    for source, start, end, passage, locator in places:
        key = (source.pk, start, end, locator)
        if key not in existing and key not in missing:
            missing[key] = _new_citation(source, start, end, passage, locator)
    if missing:
        created = bulk_create_with_history(list(missing.values()), Citation)
        existing.update(zip(missing, created, strict=True))
    return [existing[(source.pk, start, end, locator)] for source, start, end, _, locator in places]


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
    source_saved.send(Source, source=source, text_changed=old_text != source.text)
    return source


# What a revert leaves alone: the key citations use, publishing (a curator's act), and the
# uploaded file, which history does not keep.
REVERT_KEEPS = {"key", "is_public", "original"}


def source_revert(*, source: Source, revision, user, change_reason: str = "") -> Source:
    """Make a source read as it did at `revision`, as a new revision: its citations re-anchor."""
    refuse_unless(can_edit, user, source)
    fields = tracked_fields(Source, exclude={"text", "tag_list", *REVERT_KEEPS})
    restore_fields(source, revision, fields)
    source.text = revision.text
    return source_save(
        source=source,
        user=user,
        change_reason=change_reason or revert_reason(revision),
        tags=tag_names(revision.tag_list),
    )
