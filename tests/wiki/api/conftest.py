"""A small wiki for the API's tests: a published page citing a public and a protected source in
its body, for a fact and in a relation; a draft; an unpublished source."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from sources.models import Citation
from tests.factories import (
    ActorFactory,
    EventFactory,
    FactionFactory,
    MembershipFactory,
    ParticipationFactory,
    SourceFactory,
    editor,
)
from wiki.models import Claim
from wiki.services import claim_save, page_save, relation_save

OPEN = (
    "In 1992 the northern coalition was founded in the valley. Its first council met in "
    "Taloqan. The council chose a military commander in the spring."
)
SECRET = "Secretword notes. Secretword said the commander was born in 1953 in the hills. End."
DRAFT_TEXT = "Draftword report. The envoy met the commander at night in Kunduz. End."


def cite(key: str, quote: str) -> str:
    return f'[@{key} "{quote}"]'


@pytest.fixture
def world(db):
    """The planted wiki, as a dict of what the tests look up."""
    public = SourceFactory(key="open", title="Open report", text=OPEN, reliability="B")
    secret = SourceFactory(
        key="secretword",
        title="Secretword interview",
        url="https://secretword.example.org/",
        text=SECRET,
        reliability="C",
        is_public=False,
        is_protected=True,
    )
    SourceFactory(key="draftword", title="Draftword report", text=DRAFT_TEXT, is_public=False)
    faction = page_save(
        page=FactionFactory(slug="coalition", title="Coalition", founded="1992"),
        body=f"A coalition. {cite('open', 'the northern coalition was founded')}",
        user=None,
        tags=["north"],
    )
    draft = page_save(
        page=ActorFactory(slug="draftword-actor", title="Draftword Actor", is_public=False),
        body=f"Draftword body. {cite('draftword', 'The envoy met the commander')}",
        user=None,
    )
    actor = page_save(
        page=ActorFactory(slug="commander", title="Commander"),
        body=(
            f"He led [[Coalition]]. {cite('open', 'The council chose a military commander')} "
            f"He met [[Draftword Actor|an envoy]]. {cite('secretword', 'Secretword said the')} "
            f"He was paid. {cite('draftword', 'The envoy met the commander')}"
        ),
        user=None,
        tags=["north", "people"],
    )
    claim_save(
        claim=Claim(
            subject=actor,
            field="born",
            value="1953",
            evidence=cite("secretword", "the commander was born in 1953"),
        ),
        user=None,
    )
    membership = relation_save(
        relation=MembershipFactory.build(
            actor=actor,
            faction=faction,
            start="1992",
            evidence=cite("open", "Its first council met in Taloqan")
            + " "
            + cite("secretword", "Secretword said the commander"),
        ),
        user=None,
    )
    hidden_membership = relation_save(
        relation=MembershipFactory.build(
            actor=draft, faction=faction, evidence=cite("open", "Its first council met")
        ),
        user=None,
    )
    event = EventFactory(slug="truce", title="Truce", start="1993", kind="agreement")
    relation_save(
        relation=ParticipationFactory.build(
            event=event, actor=actor, evidence=cite("open", "chose a military commander")
        ),
        user=None,
    )
    Citation.objects.filter(source=secret).update(credibility=2)
    return {
        "actor": actor,
        "draft": draft,
        "faction": faction,
        "event": event,
        "membership": membership,
        "hidden_membership": hidden_membership,
        "secret": secret,
        "public": public,
    }


@pytest.fixture
def team_client(db):
    client = Client()
    client.force_login(editor("api-editor"))
    return client


@pytest.fixture
def token(db):
    return Token.objects.create(user=editor("api-token-user")).key
