"""JSON-LD: schema.org types, each statement's passages as Quotations with W3C selectors, a
protected source withheld from the public, streamed piece by piece."""

import json

import pytest
from django.http import StreamingHttpResponse

from tests.wiki.exports.conftest import SECRET_WORDS, text_of

pytestmark = pytest.mark.django_db


def graph(client) -> dict:
    response = client.get("/export/wiki.jsonld")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(text_of(response))
    assert document["@context"]["@vocab"] == "https://schema.org/"
    return {node["identifier"]: node for node in document["@graph"]}


def test_entries_are_person_organization_and_event(client, world):
    nodes = graph(client)
    assert {key: node["@type"] for key, node in nodes.items()} == {
        "commander": "Person",
        "coalition": "Organization",
        "truce": "Event",
    }
    assert nodes["commander"]["birthDate"] == "1953"
    assert nodes["coalition"]["foundingDate"] == "1992"
    assert nodes["truce"]["startDate"] == "1993"
    assert nodes["commander"]["@id"] == "http://testserver/actors/commander/"


def test_a_passage_is_a_quotation_with_its_document_and_selectors(client, world):
    quotation = graph(client)["commander"]["citation"][0]
    assert quotation["@type"] == "Quotation"
    assert quotation["text"] == "The council chose a military commander"
    assert quotation["isPartOf"]["identifier"] == "open"
    assert quotation["isPartOf"]["name"] == "Open report"
    quote, position = quotation["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == quotation["text"]
    assert position["type"] == "TextPositionSelector" and position["end"] > position["start"]
    assert quotation["grade"] == "B"


def test_the_public_sees_a_protected_passage_withheld_with_its_grade(client, world):
    commander = graph(client)["commander"]
    withheld = {"@type": "Quotation", "name": "Withheld source", "grade": "C2"}
    assert commander["citation"][1] == withheld  # the unpublished source's is not there
    assert len(commander["citation"]) == 2
    (born,) = commander["subjectOf"]
    assert born["@type"] == "Claim" and born["text"] == "1953"
    assert born["citation"] == [withheld]
    text = text_of(client.get("/export/wiki.jsonld"))
    assert not [word for word in SECRET_WORDS if word in text]


def test_the_team_sees_drafts_and_every_source(team_client, world):
    nodes = graph(team_client)
    assert "draftword-actor" in nodes
    born = nodes["commander"]["subjectOf"][0]["citation"][0]
    assert born["isPartOf"]["identifier"] == "secretword"
    assert born["text"] == "the commander was born in 1953"


def test_relations_are_roles_with_their_passages(client, world):
    nodes = graph(client)
    (membership,) = nodes["commander"]["memberOf"]
    assert membership["@type"] == "Role" and membership["roleName"] == "member"
    assert membership["memberOf"]["@id"] == "http://testserver/factions/coalition/"
    assert membership["startDate"] == "1992"
    assert [q.get("text") for q in membership["citation"]] == [
        "Its first council met in Taloqan",
        None,  # the protected source's passage, withheld
    ]
    (participant,) = nodes["truce"]["contributor"]
    assert participant["contributor"]["name"] == "Commander"
    assert participant["roleName"] == "party"


def test_the_public_never_gets_a_relation_to_a_draft(client, team_client, world):
    assert graph(client)["coalition"]["attest:relatedTo"] == []
    team = graph(team_client)
    assert [m["memberOf"]["name"] for m in team["draftword-actor"]["memberOf"]] == ["Coalition"]
