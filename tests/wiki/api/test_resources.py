"""Every resource, for the public and for the team: the public sees what the pages show it, a
protected source only as {"withheld": true, "grade": …}, and nothing unpublished."""

import json
import re

import pytest

from sources.models import Source

pytestmark = pytest.mark.django_db

# What the public must never read, anywhere in any response: the protected source and the
# unpublished ones, by key, title, quote or address.
HIDDEN = re.compile(r"secretword|draftword", re.IGNORECASE)
LISTS = [
    "/api/actors/",
    "/api/factions/",
    "/api/events/",
    "/api/sources/",
    "/api/claims/",
    "/api/relations/memberships/",
    "/api/relations/faction-relations/",
    "/api/relations/participations/",
    "/api/citations/",
]
DETAILS = [
    "/api/actors/commander/",
    "/api/factions/coalition/",
    "/api/events/truce/",
    "/api/sources/open/",
]


def passages(data) -> list[dict]:
    """Every cited passage anywhere in a response."""
    found = []
    if isinstance(data, dict):
        if "withheld" in data:
            found.append(data)
        for value in data.values():
            found += passages(value)
    elif isinstance(data, list):
        for value in data:
            found += passages(value)
    return found


@pytest.mark.parametrize("path", LISTS + DETAILS + ["/api/"])
def test_the_public_reads_nothing_hidden(client, world, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not HIDDEN.findall(response.content.decode())
    for found in passages(response.json()):
        if found["withheld"]:
            assert found == {"withheld": True, "grade": "C2"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/actors/draftword-actor/",
        "/api/sources/secretword/",
        "/api/sources/draftword/",
        "/api/relations/memberships/{hidden_membership}/",
    ],
)
def test_unpublished_things_are_404_for_the_public_and_there_for_the_team(
    client, team_client, world, path
):
    path = path.format(hidden_membership=world["hidden_membership"].pk)
    assert client.get(path).status_code == 404
    assert team_client.get(path).status_code == 200


def test_a_page_for_the_public_withholds_the_protected_source_and_drops_the_unpublished(
    client, world
):
    data = client.get("/api/actors/commander/").json()
    body = data["citations"]
    assert [p["withheld"] for p in body] == [False, True]
    assert body[1] == {"withheld": True, "grade": "C2"}
    assert body[0]["source"]["key"] == "open" and body[0]["grade"] == "B"
    assert data["facts"][0]["value"] == "1953"
    assert data["facts"][0]["citations"] == [{"withheld": True, "grade": "C2"}]
    # The markup: the protected and unpublished citations out, the draft's link plain words.
    assert "[[Coalition]]" in data["body"] and "He met an envoy." in data["body"]
    assert data["body"].count("[withheld]") == 2 and '[@open "The council' in data["body"]
    assert data["tags"] == ["north", "people"] and data["url"].endswith("/actors/commander/")
    assert data["born"] == "1953" and data["born_earliest"] == "1953-01-01"


def test_the_team_reads_every_passage_whole(team_client, world):
    data = team_client.get("/api/actors/commander/").json()
    keys = [p["source"]["key"] for p in data["citations"]]
    assert keys == ["open", "secretword", "draftword"]
    assert data["facts"][0]["citations"][0]["source"]["title"] == "Secretword interview"
    assert "[[Draftword Actor|an envoy]]" in data["body"]


def test_an_entry_gives_its_body_sentence_by_sentence_each_with_its_own_passages(
    client, team_client, world
):
    public = client.get("/api/actors/commander/").json()["sentences"]
    assert [sentence["text"] for sentence in public] == [
        "He led Coalition.",
        "He met an envoy.",
        "He was paid.",
    ]
    # The draft's passage is dropped: the last sentence stands without a passage, as the page
    # shows it; the protected one is withheld where it stands.
    assert [[p["withheld"] for p in s["citations"]] for s in public] == [[False], [True], []]
    quote = public[0]["citations"][0]["selector"][0]
    assert quote["type"] == "TextQuoteSelector"
    assert quote["exact"] == "The council chose a military commander"
    team = team_client.get("/api/actors/commander/").json()["sentences"]
    keys = [[p["source"]["key"] for p in s["citations"]] for s in team]
    assert keys == [["open"], ["secretword"], ["draftword"]]
    assert "sentences" not in client.get("/api/actors/").json()["results"][0]


def test_the_team_reads_with_a_token(client, world, token):
    response = client.get("/api/sources/secretword/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200 and response.json()["protected"] is True
    assert client.get("/api/sources/secretword/").status_code == 404


def test_selectors_point_at_the_quote_in_the_source_text(team_client, world):
    for item in team_client.get("/api/citations/").json()["results"]:
        text = Source.objects.get(key=item["source"]["key"]).text
        quote, position = item["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])


def test_a_citation_of_a_public_source_is_public_and_of_a_protected_one_404(client, world):
    ids = {c.source.key: c.pk for c in world["secret"].citations.all()}
    ids |= {c.source.key: c.pk for c in world["public"].citations.all()}
    assert client.get(f"/api/citations/{ids['open']}/").status_code == 200
    assert client.get(f"/api/citations/{ids['secretword']}/").status_code == 404
    keys = {item["source"]["key"] for item in client.get("/api/citations/").json()["results"]}
    assert keys == {"open"}


def test_relations_for_the_public_have_published_ends_and_withheld_passages(client, world):
    results = client.get("/api/relations/memberships/").json()["results"]
    assert [r["id"] for r in results] == [world["membership"].pk]
    membership = results[0]
    assert membership["type"] == "membership" and membership["actor"]["slug"] == "commander"
    assert membership["start"] == "1992"
    assert [p["withheld"] for p in membership["citations"]] == [False, True]
    participation = client.get("/api/relations/participations/").json()["results"][0]
    assert participation["event"]["slug"] == "truce" and participation["faction"] is None


def test_claims_are_those_of_published_entries(client, team_client, world):
    public = client.get("/api/claims/").json()["results"]
    assert {(c["subject"]["slug"], c["field"]) for c in public} >= {("commander", "born")}
    assert all(c["subject"]["slug"] != "draftword-actor" for c in public)
    claim_id = public[0]["id"]
    assert client.get(f"/api/claims/{claim_id}/").json()["id"] == claim_id


def test_sources_for_the_public_are_the_public_ones(client, team_client, world):
    public = {s["key"] for s in client.get("/api/sources/").json()["results"]}
    team = {s["key"] for s in team_client.get("/api/sources/").json()["results"]}
    assert "open" in public and not public & {"secretword", "draftword"}
    assert {"open", "secretword", "draftword"} <= team
    detail = client.get("/api/sources/open/").json()
    assert detail["text"].startswith("In 1992") and "notes" not in detail


def test_the_api_only_reads(client, world):
    assert client.post("/api/actors/", {}).status_code in (403, 405)
    assert client.delete("/api/actors/commander/").status_code in (403, 405)


def test_the_root_names_every_resource(client, world):
    names = set(json.loads(client.get("/api/").content))
    assert {"actors", "sources", "claims", "citations", "relations/memberships"} <= names
