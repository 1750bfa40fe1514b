"""/graph/ and /<type>/<slug>/graph/: nodes and ties for the public and the team, ?year=, ?tag=,
?kind=, each tie linked to its passages, a protected source withheld, a page's neighbourhood,
labels at 300 nodes, and pinned query counts at two sizes."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    EventFactory,
    FactionFactory,
    FactionRelationFactory,
    MembershipFactory,
    ParticipationFactory,
    editor,
)
from tests.wiki.graph.conftest import PASSAGES, SHIELD_QUOTE

pytestmark = pytest.mark.django_db

GRAPH = reverse("wiki:graph")
NODE = re.compile(r'<a href="(/[a-z]+/[\w-]+/)" class="g-node')
TIE = re.compile(r'<a href="#tie-([\w-]+)" class="g-edge')


def nodes(html: str) -> set[str]:
    return set(NODE.findall(html))


def ties(html: str) -> set[str]:
    return set(TIE.findall(html))


def get(client, url=GRAPH, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_sees_published_nodes_and_their_ties(client, world):
    html = get(client)
    assert nodes(html) == {
        "/actors/massoud/",
        "/actors/rabbani/",
        "/factions/jamiat/",
        "/factions/taliban/",
        "/factions/hezb/",
        "/events/battle-of-kabul/",
    }
    assert ties(html) == {
        f"membership-{world.leader.pk}",
        f"membership-{world.founder.pk}",
        f"factionrelation-{world.rivalry.pk}",
        f"factionrelation-{world.alliance.pk}",
        f"participation-{world.battle_part.pk}",
    }
    assert "Hidden Man" not in html and SHIELD_QUOTE not in html
    assert "/relations/" not in html  # no edit link for the public


def test_the_team_sees_drafts_and_every_passage(client, world):
    client.force_login(editor())
    html = get(client)
    assert "/actors/hidden-man/" in nodes(html)
    assert f"membership-{world.member.pk}" in ties(html)
    assert SHIELD_QUOTE in html and "g-node--draft" in html
    assert f'href="/relations/membership/{world.leader.pk}/edit/"' in html


def test_each_tie_links_to_its_row_with_its_passages(client, world):
    html = get(client)
    key = f"membership-{world.leader.pk}"
    title = re.search(rf'href="#tie-{key}"[^>]*><title>([^<]*)</title>', html)[1]
    assert "Ahmad Shah Massoud — leader of — Jamiat-e Islami" in title
    assert PASSAGES["leader"] in title
    row = re.search(rf'<tr id="tie-{key}".*?</tr>', html, re.DOTALL)[0]
    assert 'href="/actors/massoud/"' in row and 'href="/factions/jamiat/"' in row
    assert re.search(r'href="/sources/corpus/#c\d+"', row) and PASSAGES["leader"] in row


def test_a_protected_source_is_withheld_from_the_public_with_its_grade(client, world):
    html = get(client)
    key = f"factionrelation-{world.rivalry.pk}"
    assert re.search(rf'href="#tie-{key}"[^>]*><title>[^<]*Withheld source B</title>', html)
    row = re.search(rf'<tr id="tie-{key}".*?</tr>', html, re.DOTALL)[0]
    assert '<span class="withheld-source">Withheld source</span>' in row
    assert "shield" not in row.lower()


def test_a_tie_judged_wrong_is_drawn_faded_and_says_why(client, world):
    html = get(client)
    key = f"factionrelation-{world.alliance.pk}"
    assert re.search(rf'href="#tie-{key}" class="[^"]*g-edge--deprecated', html)
    assert "judged wrong: A later report denies it" in html


@pytest.mark.parametrize(
    ("year", "shown"),
    [
        (1975, {"founder"}),  # Massoud's "1978~" starts in 1977 at the earliest
        (1977, {"founder", "leader"}),
        (1996, {"founder", "leader", "rivalry", "battle_part"}),  # the battle dates its tie
        (2005, {"founder", "rivalry"}),  # open ends run on; the leader died in 2001
    ],
)
def test_a_year_shows_the_ties_that_stood_then_and_leaves_out_undated_ones(
    client, world, year, shown
):
    expected = {f"{world_key(world, name)}" for name in shown}
    assert ties(get(client, year=year)) == expected


def world_key(world, name):
    relation = getattr(world, name)
    return f"{relation._meta.model_name}-{relation.pk}"


def test_a_tag_keeps_the_ties_of_the_entries_that_carry_it(client, world):
    html = get(client, tag="north")
    assert ties(html) == {world_key(world, "leader")}


@pytest.mark.parametrize(
    ("kinds", "shown"),
    [
        (["membership"], {"leader", "founder"}),
        (["rivalry"], {"rivalry"}),
        (["alliance", "participation"], {"alliance", "battle_part"}),
    ],
)
def test_kinds_keep_those_ties_only(client, world, kinds, shown):
    assert ties(get(client, kind=kinds)) == {world_key(world, name) for name in shown}


def test_an_unknown_year_or_kind_is_shown_as_an_error_and_ignored(client, world):
    html = get(client, year="soon", kind="friendship")
    assert "field__error" in html and len(ties(html)) == 5


def test_a_page_has_its_own_neighbourhood(client, world):
    html = get(client, reverse("wiki:entry-graph", args=["actors", "massoud"]))
    assert nodes(html) == {"/actors/massoud/", "/factions/jamiat/"}
    html = get(client, reverse("wiki:entry-graph", args=["factions", "taliban"]))
    # Its ties, and the ties between those it is tied to (none here).
    assert nodes(html) == {"/factions/taliban/", "/factions/jamiat/", "/events/battle-of-kabul/"}
    assert "g-node--centre" in html and "Network of Taliban" in html


def test_a_drafts_neighbourhood_is_for_the_team(client, world):
    url = reverse("wiki:entry-graph", args=["actors", "hidden-man"])
    assert client.get(url).status_code == 404
    client.force_login(editor())
    assert "/factions/jamiat/" in nodes(get(client, url))


def test_every_page_links_to_its_network(client, world):
    html = get(client, "/actors/massoud/")
    assert 'href="/actors/massoud/graph/"' in html


def test_the_drawing_works_without_javascript_and_loads_pan_and_zoom(client, world):
    html = get(client)
    assert 'viewBox="0 0 ' in html and '<text class="g-label"' in html
    assert "svg-pan-zoom.min.js" in html and "js/graph.js" in html
    assert "<script>" not in html  # the CSP allows no inline script
    assert 'class="g-legend"' in html


def build(count: int, *, events: bool = True):
    """`count` published actors, each a member of one of count // 10 + 1 factions, which stand
    in a row of alliances; every fifth actor took part in an event."""
    factions = FactionFactory.create_batch(count // 10 + 1)
    for one, other in zip(factions, factions[1:], strict=False):
        FactionRelationFactory(faction=one, other=other, start="1950")
    for n, actor in enumerate(ActorFactory.create_batch(count)):
        MembershipFactory(actor=actor, faction=factions[n % len(factions)], start=str(1950 + n))
        if events and n % 5 == 0:
            ParticipationFactory(actor=actor, event=EventFactory(start="1950"))


@pytest.mark.parametrize("count", [12, 40])
def test_the_query_count_is_fixed(client, django_assert_num_queries, count):
    build(count)
    client.get(GRAPH)  # the first request warms what every page loads once
    # For each of memberships, faction relations and participations: its ties as keys and
    # dates, then the ties drawn, then their passages; and the nodes, once per type.
    with django_assert_num_queries(12):
        get(client, GRAPH, year=1950)


def test_300_nodes_render_in_one_request_with_every_label(client, django_assert_max_num_queries):
    build(272, events=False)  # 272 actors and 28 factions
    with django_assert_max_num_queries(14):
        html = get(client)
    assert len(nodes(html)) == 300
    assert html.count('<text class="g-label"') == 300


def test_the_header_links_everyone_to_the_network(client):
    html = client.get("/").content.decode()
    assert 'href="/graph/">Network</a>' in html
