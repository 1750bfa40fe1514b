"""Writes that touch sources and citations: resolving citations, saving sources, citation uses,
grading passages."""

from copy import copy

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from sources.citations import anchoring
from sources.citations.grading import CREDIBILITY, grade_title
from sources.citations.pages import page_locator, shift_page_starts
from sources.citations.reanchoring import citations_reanchor
from sources.citations.syntax import CitationRef
from sources.common.history import merging
from sources.common.history.revert import refuse_unless_latest, restore_fields, revert_reason
from sources.common.history.revisions import tag_names, tracked_fields
from sources.common.models import format_tags
from sources.common.permissions import can_curate, can_edit, refuse_unless
from sources.models import Citation, CitationUse, Source
from sources.selectors import citers_named, public_citers
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
    """The citations already at these places that still say what they quote, by (source id,
    start, end, locator, quote): one query.

    The quote is part of the match: after a correction the words at an old place may be new,
    and an orphaned citation keeps the old quote and offsets.
    """
    source_ids = {source.pk for source, *_ in places}
    found = Citation.objects.filter(
        source_id__in=source_ids, start__in={start for _, start, *_ in places if start is not None}
    )
    if any(start is None for _, start, *_ in places):
        found = found | Citation.objects.filter(
            source_id__in=source_ids, start__isnull=True, quote=""
        )
    existing = {}
    for citation in found.exclude(status=Citation.Status.ORPHANED).order_by("pk"):
        existing.setdefault(_place_of(citation), citation)
    return existing


def _place_of(citation: Citation) -> tuple:
    return (citation.source_id, citation.start, citation.end, citation.locator, citation.quote)


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


def sources_share_lock(keys) -> None:
    """Hold the sources with these keys under a share lock to the end of the transaction.

    A correction holds its source's row for update until it commits: a citation made meanwhile
    waits for it, then anchors in the new text. Whoever also locks a row that a correction
    locks after its source (a page quoting it) takes this lock first, so that both lock in the
    same order. PostgreSQL only; SQLite lets one writer at a time anyway. Django has no FOR
    SHARE, hence the raw statement: FOR NO KEY UPDATE would make every page save citing a source
    wait for every other.
    """
    if keys and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Source._meta.db_table} WHERE key = ANY(%s) ORDER BY id FOR SHARE",
                [sorted(keys)],
            )


def _sources_share_locked(keys: set[str]) -> dict[str, Source]:
    """The sources with these keys, read under a share lock held to the end of the transaction."""
    sources_share_lock(keys)
    return {source.key: source for source in Source.objects.filter(key__in=keys)}


def citations_resolve(refs: list[CitationRef]) -> list[Citation]:
    """Find or make the Citation each reference names, reusing identical ones, in order.

    Call it inside the transaction that saves the citing text: the cited sources stay locked
    against corrections until it ends. Every bad reference is reported in one ValidationError
    naming the source key, the quote and the closest passage. A fixed handful of queries
    however many references there are.
    """
    sources_by_key = _sources_share_locked({ref.key for ref in refs})
    places, errors = [], []
    for ref in refs:
        try:
            source, start, end, passage = _anchor_ref(ref, sources_by_key)
            # The page a passage stands on is its locator, unless the editor typed one.
            locator = ref.locator or page_locator(source.page_starts, start, end)
            places.append((source, start, end, passage, locator))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    existing = _existing_citations(places)
    missing = {}
    for source, start, end, passage, locator in places:
        key = (source.pk, start, end, locator, passage)
        if key not in existing and key not in missing:
            missing[key] = _new_citation(source, start, end, passage, locator)
    if missing:
        created = bulk_create_with_history(list(missing.values()), Citation)
        existing.update(zip(missing, created, strict=True))
    return [
        existing[(source.pk, start, end, locator, passage)]
        for source, start, end, passage, locator in places
    ]


def citation_uses_replace(citing, citations: list[Citation]) -> None:
    """Make `citing` (a page or relation) use exactly these citations, in this order."""
    content_type = ContentType.objects.get_for_model(citing)
    CitationUse.objects.filter(content_type=content_type, object_id=citing.pk).delete()
    CitationUse.objects.bulk_create(
        CitationUse(citation=citation, content_type=content_type, object_id=citing.pk, position=i)
        for i, citation in enumerate(citations, start=1)
    )


def _source_current_locked(source: Source) -> Source:
    """The source's row as it stands, locked to the end of the transaction, so that no page
    anchors a quote into text that is being replaced, and no other save crosses this one."""
    current = Source.objects.select_for_update().filter(pk=source.pk).first()
    if current is None:
        raise ValidationError(
            f"The source “{source.key}” was deleted after you opened it: nothing was saved.",
            code="deleted",
        )
    return current


def _source_carried(source: Source, fields, tags) -> list[str]:
    if fields is None:
        return merging.editable_fields(source)
    return merging.carried_fields(source, {*fields, *(["tag_list"] if tags is not None else [])})


@transaction.atomic
def source_save(
    *,
    source: Source,
    user,
    change_reason: str = "",
    tags=None,
    base_revision=None,
    fields=None,
    only_if_latest=None,
) -> Source:
    """Save a source and its tags as one revision; a changed text re-anchors its citations.

    `fields` names the fields the write carries (a form's own; the tags go with them when
    given): the others are taken from the row as it stands under the lock, so that an edit
    never writes back a stale published flag. Without it the write carries every field.
    With base_revision (the history id the edit started from), an edit that crossed another
    save is merged three ways under the lock, the text paragraph by paragraph, the other fields
    one by one (source.was_merged), or refused with ConflictingEdit when both changed the
    same lines or the same field; a refused save changes nothing. With only_if_latest (a revert:
    the revision its maker saw as the latest), a save that crossed another is refused instead.

    Sets source.reanchor_report (None when the text did not change). A passage that now reads
    otherwise is rewritten, in this transaction, in the texts that quote it (source_saved).
    """
    if tags is not None:
        source.tag_list = format_tags(tags)
    source.was_merged = False
    old_text, was_protected = None, False
    if source.pk:
        current = _source_current_locked(source)
        refuse_unless_latest(current, only_if_latest)
        old_text, was_protected = current.text, current.is_protected
        carried = _source_carried(source, fields, tags)
        merging.take_uncarried(source, current, carried)
        if base_revision not in (None, ""):
            source.was_merged = merging.merge_edit(
                source, current, base_revision, carried, text_field="text"
            )
            if source.was_merged and tags is not None:
                tags = [tag for tag in source.tag_list.split(", ") if tag]
    if old_text is not None:
        # Page starts are derived, never carried by a form: those of the row as it stands,
        # shifted with a correction of the text (not cleared: cited pages stay known).
        source.page_starts = shift_page_starts(current.page_starts, old_text, source.text)
    if errors := protection_errors(source, was_protected=was_protected):
        raise ValidationError(errors, code="protection")
    source.touch(user)
    source._change_reason = change_reason
    source.full_clean()
    source.save()
    if tags is not None:
        source.tags.set(sorted({str(tag).strip() for tag in tags if str(tag).strip()}))
    source.reanchor_report = None
    if old_text is not None and old_text != source.text:
        source.reanchor_report = citations_reanchor(source=source, old_text=old_text, user=user)
    # The wiki follows in this transaction: its indexes, and the texts quoting a reworded passage.
    source_saved.send(
        Source,
        source=source,
        text_changed=old_text != source.text,
        user=user,
        reanchor_report=source.reanchor_report,
    )
    return source


# What a revert leaves alone: the key citations use, publishing (a curator's act), and the
# uploaded file, which history does not keep.
# Nor does it change protection: what the public may learn of a source is decided, not restored.
REVERT_KEEPS = {"key", "is_public", "is_protected", "original"}


def source_revert(
    *, source: Source, revision, user, change_reason: str = "", base_revision=None
) -> Source:
    """Make a source read as it did at `revision`, as a new revision: its citations re-anchor.

    Only what a revert restores is written, on the source as it stands under the row lock; with
    base_revision (the revision the reverter saw as the latest), a revert that crossed another
    edit is refused there, never applied over it.
    """
    refuse_unless(can_edit, user, source)
    fields = tracked_fields(Source, exclude={"text", "tag_list", *REVERT_KEEPS})
    restore_fields(source, revision, fields)
    source.text = revision.text
    return source_save(
        source=source,
        user=user,
        change_reason=change_reason or revert_reason(revision),
        tags=tag_names(revision.tag_list),
        fields=[field.name for field in fields] + ["text"],
        only_if_latest=base_revision,
    )


# ---------------------------------------------------------------------------------------------
# Protection and grading


def protection_errors(source: Source, *, was_protected: bool) -> list[str]:
    """Why the source cannot be saved with its protection as it is ([] when it can).

    A protected source is never published; and one that published pages cite stays protected,
    as a published source stays published while they cite it.
    """
    if source.is_protected and source.is_public:
        return [
            f"“{source.key}” is published, and a protected source never is: a curator must "
            "unpublish it before it can be protected."
        ]
    if was_protected and not source.is_protected and (citers := public_citers(source)):
        return [
            f"“{source.key}” stays protected while published pages cite it. Unpublish these "
            f"first, or remove their citations: {citers_named(citers)}."
        ]
    return []


def _citation_current_locked(citation: Citation) -> Citation:
    current = Citation.objects.select_for_update().select_related("source").defer("source__text")
    current = current.filter(pk=citation.pk).first()
    if current is None:
        raise ValidationError("This passage is no longer cited: nothing was saved.", code="deleted")
    return current


@transaction.atomic
def citation_grade(
    *, citation: Citation, credibility, user, change_reason: str = "", base_revision=None
) -> Citation:
    """Grade how credible a cited passage is (1-6, or None for not graded), as one revision.

    Editors and curators grade. With base_revision (the passage's revision the grader saw),
    a grade that crossed another grading of the same passage is refused with ConflictingEdit,
    under the row lock; a re-anchoring in between is kept. Returns the citation as saved.
    """
    refuse_unless(can_edit, user, citation.source)
    if credibility not in (None, *CREDIBILITY):
        raise ValidationError(
            f"“{credibility}” is not a credibility grade: give 1 to 6, or none.", code="invalid"
        )
    current = _citation_current_locked(citation)
    ours = copy(current)
    ours.credibility = credibility
    if base_revision not in (None, ""):
        merging.merge_edit(ours, current, base_revision, ["credibility"])
    if ours.credibility == current.credibility:
        return current  # as it stands already: no revision
    current.credibility = ours.credibility
    current._history_user = user if user is not None and user.is_authenticated else None
    words = grade_title("", current.credibility) or "not graded"
    current._change_reason = (change_reason or f"Credibility {words}")[:100]
    current.save(update_fields=["credibility"])
    citation.credibility = current.credibility
    return current


def source_citers(source: Source) -> list[tuple[str, str]]:
    """What cites a passage of source (pages, relations, claims), each once as (name, page
    address or ""): read through CitationUse's generic link, so sources need not know the wiki."""
    uses = CitationUse.objects.filter(citation__source=source).select_related("content_type")
    citing = {(use.content_type_id, use.object_id): use for use in uses.order_by("pk")}
    named = []
    for use in citing.values():
        thing = use.citing
        if thing is not None:
            url = thing.get_absolute_url() if hasattr(thing, "get_absolute_url") else ""
            named.append((f"{str(thing)} ({thing._meta.verbose_name})", url))
    return sorted(named, key=lambda row: row[0].casefold())


@transaction.atomic
def source_delete(*, source: Source, user, change_reason: str = "") -> None:
    """Delete a source that nothing cites (curators), with its passages no page uses any more;
    history keeps a record of each, with the reason. ValidationError naming what cites it."""
    refuse_unless(can_curate, user, source)
    current = Source.objects.select_for_update().filter(pk=source.pk).first()
    if current is None:
        raise ValidationError(f"The source “{source.key}” was already deleted.", code="deleted")
    if citers := source_citers(current):
        names = "; ".join(name for name, _ in citers)
        raise ValidationError(
            f"“{current.key}” cannot be deleted while it is cited, by: {names}. Remove those "
            "citations first.",
            code="cited",
        )
    current.touch(user)
    for citation in current.citations.all():
        citation._history_user, citation._change_reason = current._history_user, change_reason
        citation.delete()
    current._change_reason = change_reason
    current.delete()
