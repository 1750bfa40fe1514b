"""The disputes list: every fact of every entry whose sources disagree, and ranking its values.

A fact is disputed (open) while its leading claims disagree (values.is_disputed); it is resolved
once a curator has ranked its values so that they no longer do, though the values still differ
(one preferred, or the wrong ones deprecated). The list is the team's: it names unpublished
pages.

The facts that may be disputed are found in SQL (two claims or more of one entry's field, not
deprecated for an open dispute); whether they disagree is the values' rule, decided in Python
over those claims' values alone. Only the page of the list shown is then read whole: a fixed
number of queries however many disputes there are.
"""

import operator
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Max, Q, Sum, When, Window
from django.urls import reverse
from django.utils.http import urlencode

from sources.common.history.merging import latest_history_id
from sources.common.permissions import is_curator
from wiki.claims import values
from wiki.claims.reading import display
from wiki.models import ENTRY_MODEL_BY_SEGMENT, ENTRY_MODELS, Claim, Rank
from wiki.services import claim_save

OPEN, RESOLVED = "open", "resolved"
STATUSES = (OPEN, RESOLVED)
PER_PAGE = 50
RANK_ORDER = {Rank.PREFERRED: 0, Rank.NORMAL: 1, Rank.DEPRECATED: 2}


@dataclass(frozen=True)
class DisputeFilters:
    """What the list is narrowed to: ?type=, ?field=, ?tag=, ?entry= (a slug) and ?status=.
    A value the list does not know is ignored, as if it were not given."""

    type: str = ""
    field: str = ""
    tag: str = ""
    entry: str = ""
    status: str = OPEN

    @classmethod
    def from_query(cls, query) -> "DisputeFilters":
        kind, name = query.get("type", ""), query.get("field", "")
        status = query.get("status", "")
        return cls(
            type=kind if kind in ENTRY_MODEL_BY_SEGMENT else "",
            field=name if name in values.FIELDS else "",
            tag=query.get("tag", "").strip(),
            entry=query.get("entry", "").strip(),
            status=status if status in STATUSES else OPEN,
        )

    @property
    def models(self) -> tuple:
        return (ENTRY_MODEL_BY_SEGMENT[self.type],) if self.type else ENTRY_MODELS


@dataclass
class ValueShown:
    """One value of a disputed fact: the claim with its passages (claim.uses), as a reader says
    it, and the claim's latest revision (what a ranking form carries as its base_revision)."""

    claim: Claim
    display: str
    base_revision: int | None = None


@dataclass
class Dispute:
    """One fact of one entry whose sources disagree, with every value."""

    entry: object
    field: str
    latest: datetime
    values: list[ValueShown] = field(default_factory=list)

    @property
    def label(self) -> str:
        return values.label_of(self.field)

    @property
    def anchor(self) -> str:
        return f"dispute-{self.entry.url_segment}-{self.entry.pk}-{self.field}"

    @property
    def fact_url(self) -> str:
        return f"{self.entry.get_absolute_url()}#fact-{self.field}"


@dataclass
class _Candidate:
    """A fact found in SQL, with what the rule needs of its claims (value, rank)."""

    content_type_id: int
    object_id: int
    field: str
    latest: datetime
    claims: list = field(default_factory=list)

    def status(self) -> str:
        """OPEN, RESOLVED, or "" for values that agree whatever their ranks."""
        if values.is_disputed(self.field, self.claims):
            return OPEN
        if values.disagreeing(self.field, [claim.value for claim in self.claims]):
            return RESOLVED
        return ""


@dataclass(frozen=True)
class _Ranked:
    pk: int
    value: str
    rank: str


# Reading -------------------------------------------------------------------------------------


def _subjects(filters: DisputeFilters) -> Q:
    """The entries the filters leave, as a condition on claims (subqueries, no query)."""
    types = ContentType.objects.get_for_models(*filters.models)
    narrowed = {}
    if filters.tag:
        narrowed["tags__slug"] = filters.tag
    if filters.entry:
        narrowed["slug"] = filters.entry
    if not narrowed:
        return Q(content_type__in=list(types.values()))
    return reduce(
        operator.or_,
        (
            Q(
                content_type=content_type,
                object_id__in=model.objects.filter(**narrowed).values("pk"),
            )
            for model, content_type in types.items()
        ),
    )


def _candidates(filters: DisputeFilters) -> list[_Candidate]:
    """Facts with two claims or more (not deprecated, for open disputes), newest change first,
    each with its claims' values and ranks: one query."""
    claims = Claim.objects.filter(_subjects(filters))
    if filters.field:
        claims = claims.filter(field=filters.field)
    fact = [F("content_type_id"), F("object_id"), F("field")]
    if filters.status == OPEN:  # a resolved dispute may have one value left standing
        standing = Case(When(~Q(rank=Rank.DEPRECATED), then=1), default=0)
        counted = Sum(standing, output_field=IntegerField())
    else:
        counted = Count("pk")
    rows = (
        claims.annotate(
            counted=Window(counted, partition_by=fact),
            latest=Window(Max("updated_at"), partition_by=fact),
        )
        .filter(counted__gte=2)
        .values_list("pk", "content_type_id", "object_id", "field", "value", "rank", "latest")
        .order_by()
    )
    found: dict[tuple, _Candidate] = {}
    for pk, content_type_id, object_id, name, value, rank, latest in rows:
        key = (content_type_id, object_id, name)
        if key not in found:
            found[key] = _Candidate(content_type_id, object_id, name, latest)
        found[key].claims.append(_Ranked(pk, value, rank))
    return sorted(
        found.values(),
        key=lambda c: (-c.latest.timestamp(), c.content_type_id, c.object_id, c.field),
    )


def dispute_page(filters: DisputeFilters, number, user, *, per_page: int | None = None) -> Page:
    """One page of the disputes the filters leave, newest change first, each with its entry,
    its values and their passages; for a curator, the revision each ranking form starts from."""
    chosen = [c for c in _candidates(filters) if c.status() == filters.status]
    page = Paginator(chosen, per_page or PER_PAGE).get_page(number)
    candidates = list(page.object_list)
    claim_ids = [claim.pk for candidate in candidates for claim in candidate.claims]
    # The revisions before the claims: a save in between makes the form stale, never newer
    # than the values it shows.
    revisions = _latest_revisions(claim_ids) if is_curator(user) else {}
    claims = {}
    if claim_ids:
        claims = {
            claim.pk: claim for claim in Claim.objects.filter(pk__in=claim_ids).with_evidence()
        }
    entries = _entries(candidates)
    rows = []
    for candidate in candidates:
        entry = entries.get((candidate.content_type_id, candidate.object_id))
        if entry is None:  # deleted since the list was counted
            continue
        dispute = Dispute(entry, candidate.field, candidate.latest)
        shown = [claims[claim.pk] for claim in candidate.claims if claim.pk in claims]
        for claim in sorted(shown, key=lambda claim: (RANK_ORDER.get(claim.rank, 1), claim.pk)):
            value = ValueShown(claim, display(claim.field, claim.value), revisions.get(claim.pk))
            dispute.values.append(value)
        rows.append(dispute)
    return Page(rows, page.number, page.paginator)


def _latest_revisions(claim_ids) -> dict[int, int]:
    if not claim_ids:
        return {}
    latest = (
        Claim.history.filter(id__in=claim_ids)
        .values("id")
        .annotate(latest=Max("history_id"))
        .order_by()
    )
    return {row["id"]: row["latest"] for row in latest}


def _entries(candidates) -> dict[tuple, object]:
    """The entries of the page's disputes: one query per type among them."""
    by_type: dict[int, set[int]] = {}
    for candidate in candidates:
        by_type.setdefault(candidate.content_type_id, set()).add(candidate.object_id)
    found = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        rows = model.objects.filter(pk__in=ids).only("pk", "title", "slug", "is_public").order_by()
        found |= {(content_type_id, entry.pk): entry for entry in rows}
    return found


@dataclass(frozen=True)
class DisputeLink:
    """Where a page's disputed facts lead the team: its disputes (add &field=), and the word."""

    url: str
    label: str


def dispute_link(entry, user) -> DisputeLink:
    """The link from an entry's disputed facts to their disputes: "resolve" for curators."""
    query = urlencode({"type": entry.url_segment, "entry": entry.slug})
    label = "resolve" if is_curator(user) else "see the dispute"
    return DisputeLink(f"{reverse('wiki:disputes')}?{query}", label)


# Ranking -------------------------------------------------------------------------------------


class StaleRanking(Exception):
    """The value changed after the ranking form was drawn: nothing was ranked."""


@transaction.atomic
def claim_rank(*, claim, user, rank, rank_reason="", base_revision=None):
    """Rank one value preferred, normal or deprecated, through claim_save (curators only; a
    reason for preferred and deprecated). Refused with StaleRanking, changing nothing, when the
    claim has any revision after base_revision: a ranking is of the value the curator read."""
    if latest_history_id(claim) != base_revision:
        raise StaleRanking(claim)
    claim.rank, claim.rank_reason = rank, (rank_reason or "").strip()
    change_reason = ""
    if rank == Rank.NORMAL:  # claim_save names preferred and deprecated values itself
        change_reason = f"{claim.label} {claim.value} ranked normal"
        change_reason += f": {claim.rank_reason}" if claim.rank_reason else ""
    saved = claim_save(
        claim=claim, user=user, change_reason=change_reason[:100], base_revision=base_revision
    )
    # Under the row lock claim_save took: a save that came in since the check above would
    # have been merged; a ranking is refused instead (the transaction is rolled back).
    newer = Claim.history.filter(id=claim.pk)
    if base_revision is not None:
        newer = newer.filter(history_id__gt=base_revision)
    if newer.count() != 1:
        raise StaleRanking(claim)
    return saved
