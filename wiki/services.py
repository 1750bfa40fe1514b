"""Writes that span models: saving pages and relations with their citations and derived tables."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from sources.citations.syntax import CitationSyntaxError, parse_evidence
from sources.common.history import merging
from sources.common.history.revert import refuse_unless_latest
from sources.common.models import format_tags
from sources.common.permissions import can_curate, refuse_if_locked, refuse_unless
from sources.models import Citation, CitationUse
from sources.services import citation_uses_replace, citations_resolve, sources_share_lock
from wiki import names
from wiki.claims.saving import (  # noqa: F401 - claim_save is a seam of this module
    ClaimEdit,
    cited_keys,
    claim_save,
    claims_after,
    claims_check,
    claims_forget,
    claims_write,
    facts_derive,
)
from wiki.markup import parse as markup
from wiki.mentions.index import (
    entry_keys,
    entry_keys_stored,
    mentions_entry_forget,
    mentions_names_changed,
)
from wiki.models import Claim, Name, PageLink
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


def _carried_fields(obj, fields, *, body_given: bool = False, tags=None) -> list[str]:
    """The fields this write carries, by attname: all of them by default, else the ones named,
    with the body when one is given and the tags when they are."""
    if fields is None:
        return merging.editable_fields(obj)
    named = set(fields) | ({"body"} if body_given else set())
    return merging.carried_fields(obj, named | ({"tag_list"} if tags is not None else set()))


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


def _current_locked(page):
    """The page's row as it stands, locked to the end of the transaction."""
    current = type(page).objects.select_for_update().filter(pk=page.pk).first()
    if current is None:
        raise ValidationError(
            f"“{page}” was deleted after you opened it: nothing was saved.", code="deleted"
        )
    return current


def _sources_lock_before(page, parsed, claims=()) -> None:
    """Share-lock the sources the page cites, now and in its new body and facts, before its own
    row.

    A source correction locks its source, then the pages quoting it (wiki.requoting): a page
    save that locked its row first and its sources after could wait for the correction while
    the correction waits for the page. Both take the source first.
    """
    keys = {ref.key for ref in parsed.citations} if parsed else set()
    keys |= _cited_keys(page) | cited_keys(claims)
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
    _sources_lock_before(page, parsed, claims)
    if page.pk:
        current = _current_locked(page)
        refuse_if_locked(user, current)
        refuse_unless_latest(current, only_if_latest)
        carried = _carried_fields(page, fields, body_given=body is not None, tags=tags)
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
    # A new, renamed or re-aliased entry: rematch the texts where its old or new names occur.
    mentions_names_changed(entry=page, before=names_before, after=entry_keys(page))
    search_document_update(page)
    return page


@transaction.atomic
def relation_save(*, relation, user, change_reason="", base_revision=None, fields=None):
    """Save a membership, faction relation or participation with its verified evidence.

    The pages it joins, before and after the change, must not be locked (curators excepted):
    they are locked for the check and the save, so a lock cannot slip in between. `fields` and
    `base_revision` work as for page_save: the fields a form carries are merged three ways with
    a save that came in between (ConflictingEdit when both changed one field differently), the
    others are taken as they stand. A stale edit that changed nothing the row does not already
    say saves nothing. Sets relation.was_merged; returns the relation as saved.
    """
    relation.was_merged = False
    stored = type(relation).objects.filter(pk=relation.pk).first() if relation.pk else None
    refs = _refs_in(relation.evidence, parse=parse_evidence)
    # In the order a source correction cannot cross: sources, then pages, then the relation.
    sources_share_lock({ref.key for ref in refs} | _cited_keys(stored))
    _relation_ends_lock(relation, user, stored)
    if relation.pk:
        current = _current_locked(relation)
        carried = _carried_fields(relation, fields)
        merging.take_uncarried(relation, current, carried)
        if base_revision not in (None, ""):
            relation.was_merged = merging.merge_edit(relation, current, base_revision, carried)
        if relation.was_merged:
            if all(getattr(relation, name) == getattr(current, name) for name in carried):
                current.was_merged = True
                return current
            refs = _refs_in(relation.evidence, parse=parse_evidence)
    _check_relation_rank(relation, stored, user)
    citations = citations_resolve(refs)
    relation.touch(user)
    relation._change_reason = change_reason
    relation.full_clean()
    relation.save()
    citation_uses_replace(relation, citations)
    return relation


def _check_relation_rank(relation, stored, user) -> None:
    """A relation is ranked as a claim is: by curators, with a reason."""
    before = (stored.rank, stored.rank_reason) if stored else ("normal", "")
    if (relation.rank, relation.rank_reason) != before and user is not None:
        refuse_unless(can_curate, user, relation)
    if relation.rank != "normal" and not relation.rank_reason.strip():
        raise ValidationError(
            {"rank_reason": f"Say why this relation is {relation.rank}: readers see the reason."}
        )


def _cited_keys(obj) -> set[str]:
    """The keys of the sources a saved page or relation cites now: one query."""
    if obj is None or obj.pk is None:
        return set()
    return set(
        CitationUse.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).values_list("citation__source__key", flat=True)
    )


def _relation_ends_lock(relation, user, stored) -> None:
    """Lock the pages a relation joins, before and after the change, always in one order (so
    that two saves of one relation cannot each hold a page the other waits for); refuse the
    change where one is locked."""
    ends = [*relation.ends, *(stored.ends if stored else [])]
    by_key = {(end._meta.label, end.pk): end for end in ends}
    for key in sorted(by_key):
        end = by_key[key]
        locked = type(end).objects.select_for_update().filter(pk=end.pk).first()
        if locked is not None:
            refuse_if_locked(user, locked)


@transaction.atomic
def relation_delete(*, relation, user, change_reason=""):
    """Delete a relation (curators) and what derives from it; history keeps a record of it."""
    refuse_unless(can_curate, user, relation)
    _derived_rows_delete(relation)
    relation.touch(user)
    relation._change_reason = change_reason
    relation.delete()


def publish_blockers(page) -> list[str]:
    """Why a page cannot be published yet: gaps in coverage (sentences and facts), citations
    not anchored to a passage (lost, or of a whole document), private sources."""
    blockers = []
    if page.coverage < 1:
        unsourced = page.sentence_count - page.sourced_count
        if unsourced:
            blockers.append(
                f"{unsourced} statement(s) have no citation ({page.coverage_percent} % sourced)."
            )
        if unsourced_facts := page.fact_count - page.fact_sourced_count:
            blockers.append(
                f"{unsourced_facts} fact(s) beside the text have no source "
                f"({page.coverage_percent} % sourced)."
            )
    # Hold the cited sources: none may be unpublished between this check and the save.
    uses = _page_and_fact_uses(page)
    sources_share_lock(set(uses.values_list("citation__source__key", flat=True)))
    uses = uses.select_related("citation__source").defer("citation__source__text")
    for use in uses:
        citation = use.citation
        if citation.status == Citation.Status.ORPHANED:
            blockers.append(f"A cited passage of “{citation.source.key}” is no longer in its text.")
        if citation.status == Citation.Status.UNVERIFIED:
            blockers.append(
                f"A citation of “{citation.source.key}” names the whole document: quote the "
                "passage, so that it can be checked."
            )
        if not (citation.source.is_public or citation.source.is_protected):
            blockers.append(f"The cited source “{citation.source.key}” is not published.")
    return list(dict.fromkeys(blockers))


def _page_and_fact_uses(page):
    """The citations a page's body and its facts (claims) use."""
    claim_type = ContentType.objects.get_for_model(Claim)
    return CitationUse.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(page), object_id=page.pk)
        | Q(content_type=claim_type, object_id__in=Claim.objects.of(page).values("pk"))
    )


def _flags_set(page, *, user, flags: dict, change_reason: str, check=None):
    """Set a curator's flags on the page as it stands under the lock, and nothing else.

    The row is read again under the lock (after the sources it cites, as page_save takes
    them), `check(current)` may refuse, and the flags are saved on it as one new revision:
    whatever was saved since `page` was loaded stays. No revision when nothing changes. The
    caller's `page` gets the flags too; the saved row is returned.
    """
    _sources_lock_before(page, None)
    current = _current_locked(page)
    if check is not None:
        check(current)
    for name, value in flags.items():
        setattr(page, name, value)
    changed = {name: value for name, value in flags.items() if getattr(current, name) != value}
    if not changed:
        return current
    for name, value in changed.items():
        setattr(current, name, value)
    current.touch(user)
    current._change_reason = change_reason
    current.save()
    names_rebuild(current)  # the name index knows what is published
    search_document_update(current)
    return current


@transaction.atomic
def page_publish(*, page, user, publish=True, change_reason=""):
    """Publish or unpublish a page (curators); publishing is refused while anything blocks it.

    Only the published flag changes, on the page as it stands (see _flags_set); returns it.
    """
    refuse_unless(can_curate, user, page)

    def check(current):
        if publish and (blockers := publish_blockers(current)):
            raise ValidationError(["This page cannot be published yet.", *blockers])

    default_reason = "Published" if publish else "Unpublished"
    return _flags_set(
        page,
        user=user,
        flags={"is_public": publish},
        change_reason=change_reason or default_reason,
        check=check,
    )


@transaction.atomic
def page_lock(*, page, user, locked=True, reason=None, change_reason=""):
    """Lock a page with the reason editors will see (curators), or unlock it.

    Only the lock and its reason change, on the page as it stands (see _flags_set); a lock
    without a reason keeps the one the page has. Returns the page as saved.
    """
    refuse_unless(can_curate, user, page)
    flags = {"is_locked": locked}
    if not locked:
        flags["lock_reason"] = ""
    elif reason is not None:
        flags["lock_reason"] = reason
    if not change_reason:
        change_reason = (f"Locked: {reason}" if reason else "Locked") if locked else "Unlocked"
    return _flags_set(page, user=user, flags=flags, change_reason=change_reason[:100])


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
    claims_forget(page, user, change_reason)
    _derived_rows_delete(page)
    mentions_entry_forget(entry=page)
    search_document_delete(page)
    page.touch(user)
    page._change_reason = change_reason
    page.delete()
