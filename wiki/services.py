"""Writes that span models: saving pages and relations with their citations and derived tables."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from sources.citations.syntax import CitationSyntaxError, parse_evidence
from sources.common.models import format_tags
from sources.common.permissions import can_curate, refuse_if_locked, refuse_unless
from sources.models import Citation, CitationUse
from sources.services import citation_uses_replace, citations_resolve
from wiki import merging, names
from wiki.markup import parse as markup
from wiki.mentions.index import (
    entry_keys,
    entry_keys_stored,
    mentions_entry_forget,
    mentions_names_changed,
)
from wiki.models import Name, PageLink
from wiki.search.index import search_document_delete, search_document_update


def _refs_in(text: str, *, parse):
    try:
        return parse(text)
    except CitationSyntaxError as error:
        raise ValidationError(str(error), code="citation_syntax") from error


def _parse_body(body: str) -> markup.ParsedPage:
    try:
        return markup.parse(body)
    except markup.MarkupError as error:
        raise ValidationError({"body": str(error)}, code="markup") from error


def links_rebuild(page, parsed: markup.ParsedPage) -> None:
    """Rebuild the rows that say which names a page links to (for "what links here")."""
    content_type = ContentType.objects.get_for_model(page)
    PageLink.objects.filter(content_type=content_type, object_id=page.pk).delete()
    targets = {names.normalise(target): target for target in parsed.links}
    PageLink.objects.bulk_create(
        PageLink(
            content_type=content_type, object_id=page.pk, target=target[:200], normalised=key[:200]
        )
        for key, target in targets.items()
        if key
    )


def names_rebuild(entry) -> None:
    """Rebuild the name index rows (title and aliases) of one entry."""
    content_type = ContentType.objects.get_for_model(entry)
    Name.objects.filter(content_type=content_type, object_id=entry.pk).delete()
    Name.objects.bulk_create(
        Name(
            content_type=content_type,
            object_id=entry.pk,
            name=name[:200],
            normalised=names.normalise(name)[:200],
            is_title=is_title,
            slug=entry.slug,
            is_public=entry.is_public,
        )
        for name, is_title in names.names_of(entry.title, entry.alias_list)
    )


class EditConflict(Exception):
    """Someone saved the page after this edit started, and the two edits overlap.

    Nothing was saved. It carries what the conflict page shows: the text the edit started
    from, the text saved since (theirs), the editor's own text (ours), and which other fields
    both edits changed.
    """

    def __init__(self, *, page, base_body, their_body, our_body, fields):
        super().__init__(f"Edit conflict on “{page}”: {', '.join(fields) or 'body'}")
        self.page, self.base_body = page, base_body
        self.their_body, self.our_body, self.fields = their_body, our_body, fields


# What a concurrent edit may change besides the body: every field an editor can set.
def _mergeable_fields(page) -> list[str]:
    skip = {"body", "is_public", "is_locked", "lock_reason"}
    return [
        field.attname
        for field in page._meta.concrete_fields
        if field.editable and not field.primary_key and field.attname not in skip
    ]


def _merge_concurrent_edit(page, current, base_revision, tags):
    """Fold an edit that started at base_revision into the page as it now stands."""
    try:
        base = type(page).history.get(history_id=base_revision, id=page.pk)
    except (type(page).history.model.DoesNotExist, ValueError, TypeError):
        raise ValidationError(
            {"base_revision": "The revision this edit started from does not exist."}
        ) from None
    latest_id = current.history.values_list("history_id", flat=True).first()
    if latest_id == base.history_id:
        return False
    names = _mergeable_fields(page)
    ours = {name: getattr(page, name) for name in names}
    if tags is not None:
        ours["tag_list"] = format_tags(tags)
    merged, fields = merging.merge_fields(
        {name: getattr(base, name) for name in names},
        {name: getattr(current, name) for name in names},
        ours,
    )
    text = merging.merge_text(base.body, current.body, page.body)
    if text.conflicts or fields:
        raise EditConflict(
            page=current,
            base_body=base.body,
            their_body=current.body,
            our_body=page.body,
            fields=fields,
        )
    for name, value in merged.items():
        setattr(page, name, value)
    page.body = text.text
    return True


@transaction.atomic
def page_save(*, page, body=None, user, change_reason="", base_revision=None, tags=None):
    """Save a page: verify its citations, record one history row, rebuild its derived tables.

    With base_revision (the history id the edit started from), an edit that crossed another
    save is merged three ways when the two touch different parts, and refused with
    EditConflict when they overlap. The page row is locked for the check and the save, so two
    simultaneous saves cannot both pass. Sets page.was_merged. A refused save (ValidationError,
    EditConflict, PermissionDenied) changes nothing.
    """
    if body is not None:
        page.body = body
    page.was_merged = False
    if page.pk:
        current = type(page).objects.select_for_update().get(pk=page.pk)
        refuse_if_locked(user, current)
        if base_revision not in (None, ""):
            page.was_merged = _merge_concurrent_edit(page, current, base_revision, tags)
            if page.was_merged and tags is not None:
                tags = [tag for tag in page.tag_list.split(", ") if tag]
    parsed = _parse_body(page.body)
    citations = citations_resolve(list(parsed.citations))
    page.sentence_count, page.sourced_count = parsed.sentences, parsed.sourced
    page.coverage = parsed.coverage.ratio
    if tags is not None:
        page.tag_list = format_tags(tags)
    page.touch(user)
    page._change_reason = change_reason
    page.full_clean()
    page.save()
    if tags is not None:
        page.tags.set(sorted({str(tag).strip() for tag in tags if str(tag).strip()}))
    citation_uses_replace(page, citations)
    links_rebuild(page, parsed)
    names_before = entry_keys_stored(page)
    names_rebuild(page)
    # A new, renamed or re-aliased entry: rematch the texts where its old or new names occur.
    mentions_names_changed(entry=page, before=names_before, after=entry_keys(page))
    search_document_update(page)
    return page


@transaction.atomic
def relation_save(*, relation, user, change_reason=""):
    """Save a membership, faction relation or participation with its verified evidence.

    The pages it joins, before and after the change, must not be locked (curators excepted):
    they are locked for the check and the save, so a lock cannot slip in between.
    """
    _refuse_if_ends_locked(relation, user)
    refs = _refs_in(relation.evidence, parse=parse_evidence)
    citations = citations_resolve(refs)
    relation.touch(user)
    relation._change_reason = change_reason
    relation.full_clean()
    relation.save()
    citation_uses_replace(relation, citations)
    return relation


def _refuse_if_ends_locked(relation, user) -> None:
    ends = list(relation.ends)
    if relation.pk:
        stored = type(relation).objects.filter(pk=relation.pk).first()
        ends += stored.ends if stored else []
    for end in ends:
        refuse_if_locked(user, type(end).objects.select_for_update().get(pk=end.pk))


@transaction.atomic
def relation_delete(*, relation, user, change_reason=""):
    """Delete a relation (curators) and what derives from it; history keeps a record of it."""
    refuse_unless(can_curate, user, relation)
    _derived_rows_delete(relation)
    relation.touch(user)
    relation._change_reason = change_reason
    relation.delete()


def publish_blockers(page) -> list[str]:
    """Why a page cannot be published yet: gaps in coverage, citations not anchored to a passage
    (lost, or of a whole document), private sources."""
    blockers = []
    if page.coverage < 1:
        unsourced = page.sentence_count - page.sourced_count
        blockers.append(
            f"{unsourced} statement(s) have no citation ({page.coverage_percent} % sourced)."
        )
    # Lock the cited sources: none may be unpublished between this check and the save.
    uses = (
        CitationUse.objects.filter(
            content_type=ContentType.objects.get_for_model(page), object_id=page.pk
        )
        .select_related("citation__source")
        .select_for_update(of=("citation__source",))
    )
    for use in uses:
        citation = use.citation
        if citation.status == Citation.Status.ORPHANED:
            blockers.append(f"A cited passage of “{citation.source.key}” is no longer in its text.")
        if citation.status == Citation.Status.UNVERIFIED:
            blockers.append(
                f"A citation of “{citation.source.key}” names the whole document: quote the "
                "passage, so that it can be checked."
            )
        if not citation.source.is_public:
            blockers.append(f"The cited source “{citation.source.key}” is not published.")
    return list(dict.fromkeys(blockers))


@transaction.atomic
def page_publish(*, page, user, publish=True, change_reason=""):
    """Publish or unpublish a page (curators); publishing is refused while anything blocks it."""
    refuse_unless(can_curate, user, page)
    if publish:
        blockers = publish_blockers(page)
        if blockers:
            raise ValidationError(["This page cannot be published yet.", *blockers])
    page.is_public = publish
    default_reason = "Published" if publish else "Unpublished"
    return page_save(page=page, user=user, change_reason=change_reason or default_reason)


def _derived_rows_delete(obj) -> None:
    # Derived tables point at pages and relations through contenttypes: nothing cascades to them.
    where = {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}
    for model in (CitationUse, PageLink, Name):
        model.objects.filter(**where).delete()


@transaction.atomic
def page_delete(*, page, user, change_reason=""):
    """Delete a page (curators), its relations and their derived rows; history keeps a record
    of each."""
    refuse_unless(can_curate, user, page)
    for relation in page._meta.related_objects:
        for related in getattr(page, relation.get_accessor_name()).all():
            _derived_rows_delete(related)
    _derived_rows_delete(page)
    mentions_entry_forget(entry=page)
    search_document_delete(page)
    page.touch(user)
    page._change_reason = change_reason
    page.delete()
