"""Atom feeds of published changes: the wiki's and each page's, the public's view for everyone
(no editor's name, no edit summary, no draft), linked from the pages' heads."""

import pytest
from lxml import etree

from tests.factories import ActorFactory, curator, editor
from wiki.services import page_publish, page_save

pytestmark = pytest.mark.django_db

CITED = 'Scout. [@open "the northern coalition was founded"]'
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def entries(response) -> list:
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    return feed.findall("a:entry", ATOM)


def titles(response) -> list[str]:
    return [entry.findtext("a:title", namespaces=ATOM) for entry in entries(response)]


@pytest.fixture
def edited(world):
    """A published page edited by a named editor with a summary, and a draft."""
    writer = editor("feedwriter")
    page = page_save(
        page=ActorFactory(slug="scout", title="Scout draft title", is_public=False),
        body=CITED,
        user=writer,
        change_reason="Summaryword for the team",
    )
    page.title = "Scout"
    page_save(page=page, user=writer, change_reason="Summaryword again")
    page_publish(page=page, user=curator("feedcurator"), change_reason="Summaryword published")
    page_save(page=page, body="Edited. " + CITED, user=writer, change_reason="Summaryword edit")
    page_save(page=ActorFactory(slug="hush", title="Hushword", is_public=False), user=writer)
    return page


def test_the_wiki_feed_lists_published_changes_without_names_or_summaries(client, edited):
    response = client.get("/feeds/changes.atom")
    text = response.content.decode()
    assert "Edited actor: Scout" in titles(response)
    for word in ("feedwriter", "Summaryword", "Hushword", "Scout draft title", "draftword"):
        assert word not in text
    ids = [entry.findtext("a:id", namespaces=ATOM) for entry in entries(response)]
    assert len(ids) == len(set(ids)) and all(i.startswith("http://testserver/") for i in ids)


def test_the_team_gets_the_public_feed_too(client, team_client, edited):
    team = titles(team_client.get("/feeds/changes.atom"))
    assert team == titles(client.get("/feeds/changes.atom"))


def test_a_page_feed_lists_its_published_revisions_only(client, edited):
    response = client.get("/actors/scout/changes.atom")
    assert titles(response) == ["Edited: Scout", "Edited: Scout"]  # published, then edited
    assert "Summaryword" not in response.content.decode()
    link = etree.fromstring(response.content).find("a:entry/a:link", ATOM).get("href")
    assert link == "http://testserver/actors/scout/"


def test_a_draft_has_no_feed(client, team_client, edited):
    assert client.get("/actors/hush/changes.atom").status_code == 404
    assert team_client.get("/actors/hush/changes.atom").status_code == 404


def test_a_published_page_links_its_feed_in_its_head(client, world):
    html = client.get("/actors/commander/").content.decode()
    head = html.split("</head>", 1)[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert 'href="/actors/commander/changes.atom"' in head


def test_the_home_page_links_the_wiki_feed_in_its_head(client, world):
    head = client.get("/").content.decode().split("</head>", 1)[0]
    assert 'type="application/atom+xml"' in head and 'href="/feeds/changes.atom"' in head


def test_a_feed_costs_a_fixed_number_of_queries(client, edited, django_assert_num_queries):
    with django_assert_num_queries(4):  # one per kind of thing in recent changes
        client.get("/feeds/changes.atom")
    with django_assert_num_queries(2):  # the page, its revisions
        client.get("/actors/scout/changes.atom")
