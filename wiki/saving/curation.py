"""The curators' acts on a page: publish (by the site's rules), lock, delete."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from sources.common.permissions import can_curate, refuse_unless
from sources.models import Citation, CitationUse
from sources.services import sources_share_lock
from wiki import tasks
from wiki.claims.saving import claims_forget
from wiki.models import Claim
from wiki.saving.common import current_locked, derived_rows_delete
from wiki.saving.pages import names_rebuild, sources_lock_before
from wiki.search.index import search_document_delete, search_document_update


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
    sources_lock_before(page, None)
    current = current_locked(page)
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


@transaction.atomic
def page_delete(*, page, user, change_reason=""):
    """Delete a page (curators), its relations and their derived rows; history keeps a record
    of each."""
    refuse_unless(can_curate, user, page)
    for relation in page._meta.related_objects:
        for related in getattr(page, relation.get_accessor_name()).all():
            derived_rows_delete(related)
    claims_forget(page, user, change_reason)
    derived_rows_delete(page)
    tasks.entry_deleted(page)
    search_document_delete(page)
    page.touch(user)
    page._change_reason = change_reason
    page.delete()
