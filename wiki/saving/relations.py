"""Saving and deleting the cited relations between pages: memberships, faction relations,
participations."""

from django.core.exceptions import ValidationError
from django.db import transaction

from sources.citations.syntax import parse_evidence
from sources.common.history import merging
from sources.common.permissions import can_curate, refuse_if_locked, refuse_unless
from sources.services import citation_uses_replace, citations_resolve, sources_share_lock
from wiki.saving.common import (
    carried_fields,
    cited_keys_of,
    current_locked,
    derived_rows_delete,
    refs_in,
)


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
    refs = refs_in(relation.evidence, parse=parse_evidence)
    # In the order a source correction cannot cross: sources, then pages, then the relation.
    sources_share_lock({ref.key for ref in refs} | cited_keys_of(stored))
    _relation_ends_lock(relation, user, stored)
    if relation.pk:
        current = current_locked(relation)
        carried = carried_fields(relation, fields)
        merging.take_uncarried(relation, current, carried)
        if base_revision not in (None, ""):
            relation.was_merged = merging.merge_edit(relation, current, base_revision, carried)
        if relation.was_merged:
            if all(getattr(relation, name) == getattr(current, name) for name in carried):
                current.was_merged = True
                return current
            refs = refs_in(relation.evidence, parse=parse_evidence)
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
    derived_rows_delete(relation)
    relation.touch(user)
    relation._change_reason = change_reason
    relation.delete()
