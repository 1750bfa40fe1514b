"""Each list costs a fixed number of queries however many rows its page holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ActorFactory, EventFactory, FactionFactory, SourceFactory
from tests.wiki.api.conftest import OPEN, cite
from wiki.models import Claim, Membership, Participation
from wiki.services import claim_save, page_save, relation_save

pytestmark = pytest.mark.django_db

# list → queries for the public: the rows, then what they show (tags; the body's passages; the
# facts and their passages; which linked pages are published), each once for the whole page.
PUBLIC_QUERIES = {
    "/api/actors/": 6,
    "/api/factions/": 6,
    "/api/events/": 4,  # no facts with passages, no links
    "/api/sources/": 2,
    "/api/claims/": 4,  # the claims, their passages, their subjects (actors, factions)
    "/api/relations/memberships/": 2,
    "/api/relations/faction-relations/": 1,  # none: no passages to load
    "/api/relations/participations/": 2,
    "/api/citations/": 1,
}


def plant(size: int) -> None:
    SourceFactory(key="open", text=OPEN)
    for n in range(size):
        faction = page_save(
            page=FactionFactory(tags=["north"]),
            body=f"Led by [[Actor {n}]]. {cite('open', 'Its first council met in Taloqan')}",
            user=None,
        )
        actor = page_save(
            page=ActorFactory(title=f"Actor {n}", tags=["north", "people"]),
            body=f"He led [[{faction.title}]]. {cite('open', 'The council chose a military')}",
            user=None,
        )
        for subject, field in ((actor, "born"), (faction, "founded")):
            evidence = cite("open", "the northern coalition was founded")
            claim_save(
                claim=Claim(subject=subject, field=field, value="1992", evidence=evidence),
                user=None,
            )
        evidence = cite("open", "chose a military commander")
        relation_save(
            relation=Membership(actor=actor, faction=faction, evidence=evidence), user=None
        )
        event = EventFactory(tags=["war"])
        relation_save(
            relation=Participation(event=event, actor=actor, evidence=evidence), user=None
        )


def queries(client, path) -> int:
    client.get(path)  # content types and the throttle's first visit, outside the count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize("path", list(PUBLIC_QUERIES))
def test_a_public_list_costs_a_fixed_number_of_queries(client, path, size):
    plant(size)
    assert queries(client, path) == PUBLIC_QUERIES[path]


@pytest.mark.parametrize("size", [1, 6])
def test_a_team_list_costs_a_fixed_number_of_queries(team_client, size):
    plant(size)
    # The session, its user, the user's groups; the rows and what they show (no link look-up).
    assert queries(team_client, "/api/actors/") == 3 + 5
