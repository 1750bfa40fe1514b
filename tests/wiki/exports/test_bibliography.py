"""A page's bibliography (/<type>/<slug>/cite.bib|.ris|.json): the sources its body, facts and
relations cite; for the public only public sources, a protected one left out whole."""

import json

import bibtexparser
import pytest

from tests.factories import ActorFactory, EventFactory, SourceFactory
from tests.wiki.exports.conftest import SECRET_WORDS
from wiki.services import page_save

pytestmark = pytest.mark.django_db


def keys_in_bibtex(text: str) -> list[str]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    return [entry.key for entry in library.entries]


def test_the_public_gets_the_public_sources_only(client, world):
    response = client.get("/actors/commander/cite.bib")
    assert response["Content-Type"].startswith("application/x-bibtex")
    text = response.content.decode()
    assert keys_in_bibtex(text) == ["open"]
    assert not [word for word in SECRET_WORDS if word in text]


def test_the_team_gets_every_source_the_page_cites(team_client, world):
    text = team_client.get("/actors/commander/cite.bib").content.decode()
    assert keys_in_bibtex(text) == ["draftword", "open", "secretword"]


def test_a_faction_cites_through_its_relations(team_client, client, world):
    # The coalition's body cites the open report; its membership the protected interview.
    team = keys_in_bibtex(team_client.get("/factions/coalition/cite.bib").content.decode())
    assert team == ["open", "secretword"]
    assert keys_in_bibtex(client.get("/factions/coalition/cite.bib").content.decode()) == ["open"]


def test_ris_and_csl_json(client, world):
    ris = client.get("/actors/commander/cite.ris").content.decode()
    assert ris.count("TY  - ") == 1 and "ID  - open" in ris and "secretword" not in ris
    items = json.loads(client.get("/actors/commander/cite.json").content)
    assert [item["id"] for item in items] == ["open"]


def test_a_page_without_citations_has_an_empty_bibliography(client, world):
    page_save(page=EventFactory(slug="quiet", title="Quiet"), body="Nothing cited.", user=None)
    assert client.get("/events/quiet/cite.bib").content == b""
    assert json.loads(client.get("/events/quiet/cite.json").content) == []
    # An event's sources include those its participations cite.
    assert keys_in_bibtex(client.get("/events/truce/cite.bib").content.decode()) == ["open"]


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_a_draft_has_no_bibliography_for_the_public(client, team_client, world, fmt):
    assert client.get(f"/actors/draftword-actor/cite.{fmt}").status_code == 404
    assert team_client.get(f"/actors/draftword-actor/cite.{fmt}").status_code == 200


@pytest.mark.parametrize("extra", [0, 5])
def test_the_query_count_does_not_grow_with_sources(
    client, world, django_assert_num_queries, extra
):
    body = "Cited. " + " ".join(
        f'[@{SourceFactory(key=f"more-{n}").key} "the Northern Alliance was established"]'
        for n in range(extra)
    )
    page_save(page=ActorFactory(slug="reader", title="Reader"), body=body, user=None)
    client.get("/actors/reader/cite.bib")  # content types are cached after the first
    with django_assert_num_queries(2):  # the page; its sources
        text = client.get("/actors/reader/cite.bib").content.decode()
    assert len(keys_in_bibtex(text)) == extra
