"""Saving a page: its body's citations verified, its facts (claims) with it, one revision, and
the tables derived from it rebuilt (links, names, mentions, search)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from sources.common.history import merging
from sources.common.history.revert import refuse_unless_latest
from sources.common.models import format_tags
from sources.common.permissions import refuse_if_locked
from sources.services import citation_uses_replace, citations_resolve, sources_share_lock
from wiki import names, tasks
from wiki.claims.saving import cited_keys, claims_after, claims_check, claims_write, facts_derive
from wiki.markup import parse as markup
from wiki.mentions.index import entry_keys, entry_keys_stored
from wiki.models import Name, PageLink
from wiki.saving.common import carried_fields, cited_keys_of, current_locked
from wiki.search.index import search_document_update


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


def _merge_concurrent_edit(page, current, base_revision, carried) -> bool:
    """Fold an edit that started at base_revision into the page as it now stands.

    Only the fields the edit carries are merged, three ways (the body line by line); the page
    holds the rest as they stand already. True when another save came in between.
    """
    try:
        return merging.merge_edit(page, current, base_revision, carried, text_field="body")
    except merging.ConflictingEdit as conflict:
        raise EditConflict(
            page=current,
            base_body=conflict.base.get("body", current.body),
            their_body=current.body,
            our_body=page.body,
            fields=[name for name in conflict.fields if name != "body"],
        ) from None


def sources_lock_before(page, parsed, claims=()) -> None:
    """Share-lock the sources the page cites, now and in its new body and facts, before its own
    row.

    A source correction locks its source, then the pages quoting it (wiki.requoting): a page
    save that locked its row first and its sources after could wait for the correction while
    the correction waits for the page. Both take the source first.
    """
    keys = {ref.key for ref in parsed.citations} if parsed else set()
    keys |= cited_keys_of(page) | cited_keys(claims)
    sources_share_lock(keys)


def _parse_if_readable(body: str):
    try:
        return markup.parse(body)
    except markup.MarkupError:
        return None  # refused below, with its error, once the body is final


@transaction.atomic
def page_save(
    *,
    page,
    body=None,
    user,
    change_reason="",
    base_revision=None,
    tags=None,
    fields=None,
    only_if_latest=None,
    claims=(),
):
    """Save a page: verify its citations, record one history row, rebuild its derived tables.

    `claims` (ClaimEdit each) writes the facts the page states beside its body in the same save:
    each is checked as claim_save checks it, and the page's own facts are derived from its
    claims again (on every save, with or without them).

    `fields` names the fields this write carries (a form's own fields; the body and tags go
    with it when given): the others are taken from the row as it stands under the lock, so
    that an editor's save never writes back a stale published or locked flag. Without it the
    write carries every field of `page`.

    With base_revision (the history id the edit started from), an edit that crossed another
    save is merged three ways when the two touch different parts, and refused with
    EditConflict when they overlap. The page row is locked for the check and the save, so two
    simultaneous saves cannot both pass. Sets page.was_merged. With only_if_latest (a revert:
    the revision its maker saw as the latest), a save that crossed another is refused instead of
    merged. A refused save (ValidationError, EditConflict, PermissionDenied) changes nothing.
    """
    if body is not None:
        page.body = body
    if tags is not None:
        page.tag_list = format_tags(tags)
    page.was_merged = False
    parsed = _parse_if_readable(page.body)
    sources_lock_before(page, parsed, claims)
    if page.pk:
        current = current_locked(page)
        refuse_if_locked(user, current)
        refuse_unless_latest(current, only_if_latest)
        carried = carried_fields(page, fields, body_given=body is not None, tags=tags)
        merging.take_uncarried(page, current, carried)
        if base_revision not in (None, ""):
            page.was_merged = _merge_concurrent_edit(page, current, base_revision, carried)
            if page.was_merged:
                parsed = _parse_if_readable(page.body)
                if tags is not None:
                    tags = [tag for tag in page.tag_list.split(", ") if tag]
    return _page_write(
        page, parsed, user=user, change_reason=change_reason, tags=tags, claims=list(claims)
    )


def _checked_citations(page, parsed, claims, user):
    """The body's citations, once the body and every claim edit passed their checks; one
    ValidationError for all that failed (the body's under "body", each claim's on its field)."""
    errors = {}
    citations = []
    try:
        citations = citations_resolve(list(parsed.citations))
    except ValidationError as error:
        if not claims:
            raise
        errors["body"] = error.messages
    try:
        claims_check(page, claims, user)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return citations


def _page_write(page, parsed, *, user, change_reason, tags, claims):
    """Write the page as it now reads, with its facts, history row and derived tables."""
    parsed = parsed or _parse_body(page.body)
    citations = _checked_citations(page, parsed, claims, user)
    page.sentence_count, page.sourced_count = parsed.sentences, parsed.sourced
    facts_derive(page, claims_after(page, claims))  # sets the coverage of body and facts
    page.touch(user)
    page._change_reason = change_reason
    page.full_clean()
    page.save()
    claims_write(page, claims, user, change_reason)
    if tags is not None:
        page.tags.set(sorted({str(tag).strip() for tag in tags if str(tag).strip()}))
    citation_uses_replace(page, citations)
    links_rebuild(page, parsed)
    names_before = entry_keys_stored(page)
    names_rebuild(page)
    # A new, renamed or re-aliased entry: the texts where its old or new names occur are
    # rematched in the background once the save commits (their number grows with the archive).
    tasks.names_changed(page, before=names_before, after=entry_keys(page))
    search_document_update(page)
    return page
