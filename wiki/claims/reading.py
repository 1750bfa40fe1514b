"""What a page shows of its facts: each value with its footnotes, ranks and disputes.

The box beside a page's body lists each fact's values with footnotes numbered after the body's,
so that one reference list holds both (grouped by source, as the body's). A reader who may not
see a cited source sees the footnote withheld, as in the body. Two queries whatever the number
of claims (the claims, their cited passages with sources).
"""

from dataclasses import dataclass, field, replace

from sources.citations.syntax import CitationRef
from sources.common.dates import date_display
from sources.common.permissions import is_team
from wiki.claims import values
from wiki.markup.rendering import Reference, saved_reference
from wiki.markup.statements import Coverage
from wiki.models import Claim, Rank


@dataclass
class Marker:
    """A footnote marker beside a value: [n], linking to the reference list and back."""

    reference: Reference
    anchor: int  # the marker's id is fnref-<number>-<anchor>


@dataclass
class ClaimShown:
    """One value of a fact as a reader sees it."""

    claim: Claim
    display: str
    markers: list[Marker] = field(default_factory=list)

    @property
    def rank(self) -> str:
        return self.claim.rank

    @property
    def is_sourced(self) -> bool:
        return bool(self.claim.evidence.strip())


@dataclass
class FactShown:
    """One fact of the box: its label, its values, and whether their sources disagree."""

    name: str
    label: str
    claims: list[ClaimShown]
    disputed: bool


@dataclass
class PageFacts:
    """The facts of a page, their footnotes (numbered after the body's) and their coverage."""

    facts: list[FactShown]
    references: tuple[Reference, ...] = ()
    coverage: Coverage = Coverage(0, 0)


def display(field_name: str, value: str) -> str:
    """A value as a reader says it: dates in words, counts and places as given."""
    if values.kind_of(field_name) == values.DATE:
        return date_display(value)
    return value


def _ref(citation) -> CitationRef:
    return CitationRef(citation.source.key, citation.locator, citation.quote)


def page_facts(entry, user, *, first_number: int = 1) -> PageFacts:
    """The facts of an entry for this reader, footnotes numbered from first_number."""
    team = is_team(user)
    claims = list(Claim.objects.of(entry).with_evidence().order_by("pk"))
    by_field: dict[str, list[Claim]] = {name: [] for name in entry.claim_fields}
    for claim in claims:
        by_field.setdefault(claim.field, []).append(claim)
    numbered: dict[CitationRef, Reference] = {}
    anchors: dict[CitationRef, int] = {}
    facts = []
    for name, field_claims in by_field.items():
        if not field_claims:
            continue
        order = {Rank.PREFERRED: 0, Rank.NORMAL: 1, Rank.DEPRECATED: 2}
        field_claims.sort(key=lambda claim: (order.get(claim.rank, 1), claim.pk))
        shown = []
        for claim in field_claims:
            markers = []
            for use in claim.uses:
                ref = _ref(use.citation)
                if ref not in numbered:
                    number = first_number + len(numbered)
                    numbered[ref] = replace(saved_reference(ref, use, team), number=number)
                anchors[ref] = anchors.get(ref, 0) + 1
                markers.append(Marker(numbered[ref], anchors[ref]))
            shown.append(ClaimShown(claim, display(name, claim.value), markers))
        facts.append(
            FactShown(name, values.label_of(name), shown, values.is_disputed(name, field_claims))
        )
    references = tuple(replace(ref, uses=anchors[key]) for key, ref in numbered.items())
    sourced = sum(1 for claim in claims if claim.evidence.strip())
    return PageFacts(facts, references, Coverage(sourced, len(claims)))
