"""History of the wiki: old revisions of pages rendered, reverts, and the site-wide change feed.

The generic parts (revision lists, diffs) live in sources.common.history.revisions; this module
adds what only the wiki knows: how a page body renders, which fields a revert restores, and
how actors, factions, events, sources and relations merge into one feed. Team only: every
function here shows editor names.
"""

from collections.abc import Sequence
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType

from sources.citations.anchoring import find_quote
from sources.citations.syntax import CitationRef
from sources.common.history.revert import restore_fields, revert_reason
from sources.common.history.revisions import (
    tag_names,
    tracked_fields,
)
from sources.common.permissions import can_curate
from sources.models import Citation, Source
from wiki.claims.saving import ClaimEdit
from wiki.markup import parse as markup
from wiki.markup.rendering import UNKNOWN_SOURCE, Reference, RenderedBody, render_body
from wiki.models import Claim
from wiki.services import page_save

# What a revert leaves alone: publishing and locking stay a curator's act, and a page's address
# never moves back under its readers' bookmarks.
REVERT_KEEPS = {"slug", "is_public", "is_locked", "lock_reason", "claim_list"}
# What a revert restores of a page's facts (its claims, as they stood with that revision).
# Ranks are a curator's act: a revert by anyone else keeps them as they stand.
CLAIM_RESTORED = ("value", "evidence")
CLAIM_RANKING = ("rank", "rank_reason")


def entry_fields(model) -> list:
    """The fields of a page that a diff compares besides its body and tags."""
    return tracked_fields(model, exclude={"body", "tag_list"})


# ---------------------------------------------------------------------------------------------
# An old revision of a page


def revision_body(record) -> RenderedBody:
    """Render a revision's body: three queries (names, sources, citations) whatever its size.

    Nothing is written: [[links]] resolve through today's name index, and each quote is looked
    for in its source's current text (a passage no longer there shows as "orphaned"). History
    is the team's alone, so the body renders as the team reads it. A body that cannot be read
    any more comes back with its error.
    """
    try:
        return render_body(record.body, team=True, citations=_as_it_was)
    except markup.MarkupError as error:
        return RenderedBody(error=str(error))


def _as_it_was(refs: Sequence[CitationRef]) -> dict[CitationRef, Reference]:
    """Each quote found again in its source's current text, with the citation there if any."""
    sources = {s.key: s for s in Source.objects.filter(key__in={ref.key for ref in refs})}
    anchors = {
        ref: find_quote(sources[ref.key].text, ref.quote)
        for ref in refs
        if ref.key in sources and ref.quote
    }
    wanted = {anchor.start for anchor in anchors.values() if anchor}
    citations = {
        (source_id, start, end): pk
        for pk, source_id, start, end in Citation.objects.filter(
            source__in=list(sources.values()), start__in=wanted
        ).values_list("pk", "source_id", "start", "end")
    }
    found = {}
    for ref in refs:
        source, anchor = sources.get(ref.key), anchors.get(ref)
        if source is None:
            found[ref] = Reference(ref, UNKNOWN_SOURCE, quote=ref.quote, locator=ref.locator)
            continue
        url, status = source.get_absolute_url(), Citation.Status.ANCHORED
        if ref.is_whole_document:
            status = Citation.Status.UNVERIFIED
        elif anchor is None:
            status = Citation.Status.ORPHANED
        elif pk := citations.get((source.pk, anchor.start, anchor.end)):
            url = f"{url}#c{pk}"
        found[ref] = Reference(ref, status, source, url, ref.quote, ref.locator)
    return found


# ---------------------------------------------------------------------------------------------
# Revert


def page_revert(*, page, revision, user, change_reason: str = "", base_revision=None):
    """Make a page read as it did at `revision`, as a new revision saved through page_save.

    Only what a revert restores is written (body, tags and the fields besides REVERT_KEEPS), on
    the page as it stands under the row lock. With base_revision (the revision the reverter saw
    as the latest), a revert that crossed another edit is refused there, never applied over it.
    Citations are verified again and the derived tables rebuilt; a refused save (a passage no
    longer in its source, a locked page, a crossed edit) raises like page_save and changes
    nothing. Returns the page as saved.
    """
    keep = [f for f in entry_fields(type(page)) if f.name not in REVERT_KEEPS]
    restore_fields(page, revision, keep)
    return page_save(
        page=page,
        body=revision.body,
        user=user,
        change_reason=change_reason or revert_reason(revision),
        tags=tag_names(revision.tag_list),
        fields=[f.name for f in keep],
        only_if_latest=base_revision,
        claims=claims_reverted(page, revision, user),
    )


def claims_reverted(page, revision, user) -> list[ClaimEdit]:
    """The edits that bring a page's claims back to how they stood with `revision`.

    A page's claims are saved with the page's revision, just after it: they are read as they
    stood just before the page's next revision (now, for the latest).
    """
    later = page.history.filter(history_id__gt=revision.history_id).order_by("history_id")
    following = later.values_list("history_date", flat=True).first()
    if following is None:
        return []
    moment = following - timedelta(microseconds=1)
    old = {claim.pk: claim for claim in Claim.history.as_of(moment).filter(**_subject(page))}
    current = {claim.pk: claim for claim in Claim.objects.of(page)}
    restored = CLAIM_RESTORED + (CLAIM_RANKING if can_curate(user) or user is None else ())
    edits = [ClaimEdit(claim, delete=True) for pk, claim in current.items() if pk not in old]
    for pk, was in old.items():
        claim = current.get(pk) or Claim(field=was.field)
        if all(getattr(claim, name) == getattr(was, name) for name in restored):
            continue
        for name in restored:
            setattr(claim, name, getattr(was, name))
        edits.append(ClaimEdit(claim))
    return edits


def _subject(page) -> dict:
    return {"content_type": ContentType.objects.get_for_model(page), "object_id": page.pk}
