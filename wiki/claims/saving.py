"""Saving claims: values checked by field, evidence verified, the revision check, and the entry's
own facts derived from its claims again.

Two ways in: claim_save (one claim: the seam, the disputes page, the admin, commands) and
page_save's `claims` (the entry form, which carries the page and its facts in one save). Both
lock in the order every write here keeps (sources, then the page, then the claim), refuse what
the user may not do, and record one revision of the entry besides the claim's own, so that the
page's history shows how its facts changed.
"""

from contextlib import suppress
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sources.citations.syntax import CitationRef, CitationSyntaxError, parse_evidence
from sources.common.history import merging
from sources.common.permissions import can_curate, refuse_if_locked
from sources.models import Citation, CitationUse
from sources.services import citation_uses_replace, citations_resolve, sources_share_lock
from wiki.claims import values
from wiki.models import Claim, Rank
from wiki.saving.common import derived_rows_delete

# What a claim's form carries: the rest of its row (its subject, who made it) never changes.
CLAIM_FIELDS = ["value", "evidence", "rank", "rank_reason"]


@dataclass
class ClaimEdit:
    """One claim to write: new (no pk), changed, or to delete. A refusal names the claim's field
    it concerns (value, evidence, rank_reason), after `form_prefix` where a form carries
    several claims (born → born, born_evidence)."""

    claim: Claim
    base_revision: int | None = None
    delete: bool = False
    form_prefix: str = ""
    citations: list[Citation] = field(default_factory=list)  # set once its evidence is verified


def evidence_refs(evidence: str) -> list[CitationRef]:
    """The citations of a claim's evidence (none: an unsourced value, which the page marks);
    ValidationError when it cannot be read."""
    if not (evidence or "").strip():
        return []
    try:
        return parse_evidence(evidence or "")
    except CitationSyntaxError as error:
        raise ValidationError(str(error), code="citation_syntax") from error


def cited_keys(edits) -> set[str]:
    """The source keys these edits cite, as sent and as stored: what a save share-locks first."""
    keys = set()
    for edit in edits:
        # Evidence that cannot be read is refused, with its message, when the edit is checked.
        with suppress(ValidationError):
            keys |= {ref.key for ref in evidence_refs(edit.claim.evidence)}
    stored = [edit.claim.pk for edit in edits if edit.claim.pk]
    if stored:
        uses = CitationUse.objects.filter(
            content_type=ContentType.objects.get_for_model(Claim), object_id__in=stored
        )
        keys |= set(uses.values_list("citation__source__key", flat=True))
    return keys


# Checking, before anything is written --------------------------------------------------------


def claims_check(entry, edits: list[ClaimEdit], user) -> None:
    """Check every edit of the entry's claims, as the save would: values by field, evidence
    anchored, ranks set by curators only, the revision each started from. Raises one
    ValidationError naming each refused edit's field; sets each edit's citations."""
    errors: dict[str, list[str]] = {}
    for edit in edits:
        try:
            _check(entry, edit, user)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(_form_field(edit, name), []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _form_field(edit: ClaimEdit, name: str) -> str:
    if not edit.form_prefix:
        return name
    return edit.form_prefix if name in ("value", "__all__") else f"{edit.form_prefix}_{name}"


def _check(entry, edit: ClaimEdit, user) -> None:
    claim = edit.claim
    stored = _stored_locked(entry, claim) if claim.pk else None
    if edit.delete:
        return
    if claim.field not in entry.claim_fields:
        raise ValidationError(
            {"value": f"A {entry._meta.verbose_name} has no fact “{claim.field}”."}, code="field"
        )
    try:
        claim.value = values.clean(claim.field, claim.value)
    except values.InvalidValue as error:
        raise ValidationError({"value": str(error)}, code="value") from None
    if stored is not None:
        merging.take_uncarried(claim, stored, merging.carried_fields(claim, CLAIM_FIELDS))
        if edit.base_revision not in (None, ""):
            _merge(claim, stored, edit.base_revision)
    _check_rank(claim, stored, user)
    try:
        edit.citations = citations_resolve(evidence_refs(claim.evidence))
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from None


def _stored_locked(entry, claim):
    stored = Claim.objects.select_for_update().filter(pk=claim.pk).first()
    if stored is None:
        raise ValidationError(
            {"value": "This value was deleted after you opened the form."}, code="deleted"
        )
    if (stored.content_type_id, stored.object_id) != (
        ContentType.objects.get_for_model(entry).pk,
        entry.pk,
    ):
        raise ValidationError({"value": "This value belongs to another page."}, code="subject")
    return stored


def _merge(claim, stored, base_revision) -> None:
    try:
        merging.merge_edit(claim, stored, base_revision, CLAIM_FIELDS)
    except merging.ConflictingEdit as conflict:
        fields = ", ".join(conflict.fields)
        raise ValidationError(
            {
                "value": f"Someone changed this value ({fields}) since you opened the form: it "
                f"now reads “{stored.value}”. Nothing was saved; reload the page and make your "
                "change again."
            },
            code="conflict",
        ) from None


def _check_rank(claim, stored, user) -> None:
    """Ranking decides what a page states: curators only (or the system: commands, the demo),
    and with a reason."""
    before = (stored.rank, stored.rank_reason) if stored else (Rank.NORMAL, "")
    changed = (claim.rank, claim.rank_reason) != before
    if changed and user is not None and not can_curate(user, claim):
        raise PermissionDenied("Only curators rank values.")
    if claim.rank != Rank.NORMAL and not claim.rank_reason.strip():
        raise ValidationError(
            {
                "rank_reason": f"Say why this value is {claim.rank}: readers see the reason "
                "beside it."
            },
            code="reason",
        )


# Deriving the entry's facts ------------------------------------------------------------------


def claims_after(entry, edits: list[ClaimEdit]) -> list[Claim]:
    """The entry's claims as they will stand once the edits are written."""
    edited = {edit.claim.pk for edit in edits if edit.claim.pk}
    kept = list(Claim.objects.of(entry).exclude(pk__in=edited)) if entry.pk else []
    return kept + [edit.claim for edit in edits if not edit.delete]


def facts_derive(entry, claims: list[Claim]) -> None:
    """Set the entry's own facts, fact counts and fact snapshot from its claims (unsaved).

    A claim whose evidence cites something is sourced, as a sentence with a citation is; one
    without is an unsourced statement that counts against coverage."""
    by_field = {name: [] for name in entry.claim_fields}
    for claim in claims:
        by_field.setdefault(claim.field, []).append(claim)
    for name in entry.claim_fields:
        setattr(entry, name, values.derived(name, by_field[name]))
    entry.fact_count = len(claims)
    entry.fact_sourced_count = sum(1 for claim in claims if claim.evidence.strip())
    entry.coverage = entry.statement_coverage.ratio
    entry.claim_list = claim_snapshot(entry, claims)


def claim_snapshot(entry, claims) -> str:
    """The claims as history keeps them: one line per value, in field order, with its rank."""
    order = {name: i for i, name in enumerate(entry.claim_fields)}
    lines = []
    for claim in sorted(claims, key=lambda claim: (order.get(claim.field, 99), claim.value)):
        line = f"{values.label_of(claim.field)}: {claim.value}"
        if claim.rank != Rank.NORMAL:
            line += f" ({claim.rank}: {claim.rank_reason})" if claim.rank_reason else ""
        if not claim.evidence.strip():
            line += " [no source]"
        lines.append(line)
    return "\n".join(lines)


# Writing ---------------------------------------------------------------------------------------


def claims_write(entry, edits: list[ClaimEdit], user, change_reason: str) -> None:
    """Write checked edits of a saved entry's claims, each with its history and citations."""
    content_type = ContentType.objects.get_for_model(entry)
    for edit in edits:
        claim = edit.claim
        claim.touch(user)
        claim._change_reason = change_reason
        if edit.delete:
            if claim.pk:
                derived_rows_delete(claim)
                claim.delete()
            continue
        claim.content_type, claim.object_id = content_type, entry.pk
        claim.full_clean(exclude=["content_type", "object_id"])
        claim.save()
        citation_uses_replace(claim, edit.citations)


def claims_forget(entry, user, change_reason: str = "") -> None:
    """Delete an entry's claims and their citation uses (the entry goes); history keeps them."""
    claims_write(
        entry,
        [ClaimEdit(claim, delete=True) for claim in Claim.objects.of(entry)],
        user,
        change_reason,
    )


def edit_summary(edit: ClaimEdit) -> str:
    """A revision's summary for one claim's change, when its maker gave none."""
    claim = edit.claim
    label = values.label_of(claim.field)
    if edit.delete:
        return f"Removed {label.lower()}: {claim.value}"[:100]
    if claim.rank != Rank.NORMAL:
        return f"{label} {claim.value} {claim.rank}: {claim.rank_reason}"[:100]
    verb = "Changed" if claim.pk else "Added"
    return f"{verb} {label.lower()}: {claim.value}"[:100]


@transaction.atomic
def claim_save(*, claim, user, change_reason="", base_revision=None, delete=False):
    """Save (or delete) one claim of an entry and derive the entry's facts again.

    The claim's `subject` must be a saved actor, faction or event. Its value is checked by field,
    its evidence verified through the same resolver as pages and relations (ValidationError
    names the source and the closest passage), its rank set by curators only, with a reason.
    With base_revision, a claim saved by someone else since is merged field by field, or the
    save is refused when both changed one field. The entry gets one revision (with the fact
    snapshot); the claim one of its own. Returns the claim as saved.
    """
    entry = claim.subject
    if entry is None or entry.pk is None:
        raise ValidationError("A fact belongs to a saved page.", code="subject")
    edit = ClaimEdit(claim, base_revision, delete=delete)
    sources_share_lock(cited_keys([edit]))
    current = type(entry).objects.select_for_update().filter(pk=entry.pk).first()
    if current is None:
        raise ValidationError(f"“{entry}” was deleted: nothing was saved.", code="deleted")
    refuse_if_locked(user, current)
    claims_check(current, [edit], user)
    facts_derive(current, claims_after(current, [edit]))
    change_reason = change_reason or edit_summary(edit)
    current.touch(user)
    current._change_reason = change_reason
    current.save()
    claims_write(current, [edit], user, change_reason)
    claim.subject = current
    return claim
