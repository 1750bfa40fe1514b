"""A claim read whole — its value, rank and reason, its evidence passages and their grades — in a
fixed number of queries however many claims and passages there are (what the API will serve)."""

import pytest

from sources.models import Citation
from tests.factories import ActorFactory, SourceFactory
from wiki.models import Claim
from wiki.services import claim_save

pytestmark = pytest.mark.django_db

PASSAGES = [f"the commander was born in the year {1900 + n}" for n in range(12)]


def whole(claims) -> list[tuple]:
    return [
        (
            claim.field,
            claim.value,
            claim.rank,
            claim.rank_reason,
            [
                (use.citation.quote, use.citation.source.key, use.citation.grade.label)
                for use in claim.uses
            ],
        )
        for claim in claims
    ]


@pytest.mark.parametrize("size", [1, 12])
def test_claims_with_passages_and_grades_are_two_queries(django_assert_num_queries, size):
    SourceFactory(key="ric", text=". ".join(PASSAGES), reliability="B")
    actor = ActorFactory()
    for n in range(size):
        evidence = f'[@ric "{PASSAGES[n]}"]'
        claim_save(
            claim=Claim(subject=actor, field="born", value=str(1900 + n), evidence=evidence),
            user=None,
        )
    Citation.objects.update(credibility=2)
    with django_assert_num_queries(2):  # the claims, their passages with their sources
        read = whole(Claim.objects.of(actor).with_evidence())
    assert len(read) == size
    assert read[0][4] == [(PASSAGES[0], "ric", "B2")]
