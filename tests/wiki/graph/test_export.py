"""/export/graph.gexf and /export/graph.graphml: they parse, stream, carry dated edges with their
passages as attributes, withhold a protected source from the public, and follow the filters."""

import pytest
from django.urls import reverse
from lxml import etree

from tests.factories import editor
from tests.wiki.graph.conftest import PASSAGES, SHIELD_QUOTE

pytestmark = pytest.mark.django_db

GEXF = {"g": "http://gexf.net/1.3"}
GRAPHML = {"g": "http://graphml.graphdrawing.org/xmlns"}


def download(client, route, **query):
    response = client.get(reverse(route), query)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith("attachment")
    return etree.fromstring(b"".join(response.streaming_content))


def gexf_edges(root) -> dict:
    edges = {}
    for edge in root.iterfind(".//g:edge", GEXF):
        values = {v.get("for"): v.get("value") for v in edge.iterfind(".//g:attvalue", GEXF)}
        edges[edge.get("id")] = {**edge.attrib, **values}
    return edges


def graphml_edges(root) -> dict:
    return {
        edge.get("id"): {
            **edge.attrib,
            **{d.get("key"): d.text or "" for d in edge.iterfind("g:data", GRAPHML)},
        }
        for edge in root.iterfind(".//g:edge", GRAPHML)
    }


def test_gexf_is_dynamic_with_dated_edges_and_their_passages(client, world):
    root = download(client, "wiki:export-gexf")
    assert root.find("g:graph", GEXF).get("mode") == "dynamic"
    nodes = {n.get("id"): n.get("label") for n in root.iterfind(".//g:node", GEXF)}
    assert nodes[f"actor-{world.massoud.pk}"] == "Ahmad Shah Massoud"
    assert f"actor-{world.hidden.pk}" not in nodes
    leader = gexf_edges(root)[f"membership-{world.leader.pk}"]
    assert (leader["start"], leader["end"]) == ("1977-01-01", "2001-09-09")
    assert leader["quotes"] == PASSAGES["leader"] and leader["sources"] == "corpus"
    assert leader["passages"].startswith("http://testserver/sources/corpus/#c")
    assert leader["kind"] == "membership" and leader["grades"] == "A"
    founder = gexf_edges(root)[f"membership-{world.founder.pk}"]
    assert founder["start"] == "1972-01-01" and "end" not in founder  # open: runs on
    alliance = gexf_edges(root)[f"factionrelation-{world.alliance.pk}"]
    assert "start" not in alliance and alliance["rank"] == "deprecated"


def test_graphml_carries_the_same_edges(client, world):
    root = download(client, "wiki:export-graphml")
    keys = {k.get("attr.name") for k in root.iterfind("g:key", GRAPHML)}
    assert {"start", "end", "quotes", "sources", "kind"} <= keys
    battle = graphml_edges(root)[f"participation-{world.battle_part.pk}"]
    assert battle["e_start"] == battle["e_end"] == "1996-09-27"
    assert battle["e_quotes"] == PASSAGES["battle"]
    assert battle["source"] == f"faction-{world.taliban.pk}"


@pytest.mark.parametrize(
    ("route", "edges"), [("wiki:export-gexf", gexf_edges), ("wiki:export-graphml", graphml_edges)]
)
def test_a_protected_source_is_withheld_from_the_public(client, world, route, edges):
    rivalry = f"factionrelation-{world.rivalry.pk}"
    public = edges(download(client, route))[rivalry]
    text = " ".join(public.values())
    assert "withheld" in text and SHIELD_QUOTE not in text and "shield" not in text.lower()
    client.force_login(editor())
    team = " ".join(edges(download(client, route))[rivalry].values())
    assert SHIELD_QUOTE in team and "shield" in team


def test_the_team_gets_drafts_and_a_private_response(client, world):
    client.force_login(editor())
    response = client.get(reverse("wiki:export-gexf"))
    assert "private" in response["Cache-Control"]
    assert f"membership-{world.member.pk}" in gexf_edges(
        etree.fromstring(b"".join(response.streaming_content))
    )


def test_the_exports_follow_the_filters(client, world):
    edges = gexf_edges(download(client, "wiki:export-gexf", year=2005, kind="membership"))
    assert set(edges) == {f"membership-{world.founder.pk}"}
