"""Mentions on the pages: "Mentioned in N sources" on entries, names and a to-do list on sources."""

from urllib.parse import parse_qs, urlsplit

import pytest

from sources.models import Source
from sources.services import source_save
from wiki.models import Actor, Faction
from wiki.services import page_save

pytestmark = pytest.mark.django_db

TEXT = (
    "In 1992 the Northern Alliance was formed. Its commander, Ahmad Shah Mas’ud, held the "
    "Panjshir valley against the Taliban for years. Massoud was killed in 2001."
)


def save_source(key: str, text: str = TEXT, *, is_public: bool = True) -> Source:
    source = Source(key=key, title=f"Report {key}", text=text, is_public=is_public)
    return source_save(source=source, user=None)


def save_entry(model, title: str, aliases: str = "", *, is_public: bool = True, body=""):
    slug = title.lower().replace(" ", "-")
    entry = model(title=title, slug=slug, aliases=aliases, is_public=is_public)
    return page_save(page=entry, body=body, user=None)


@pytest.fixture
def massoud():
    return save_entry(Actor, "Ahmad Shah Massoud", "Mas'ud\nMassoud")


def test_an_entry_page_lists_the_public_sources_that_name_it_with_a_snippet(client, massoud):
    save_source("public")
    save_source("draft", is_public=False)
    html = client.get(massoud.get_absolute_url()).content.decode()
    assert "Mentioned in 1 source<" in html
    assert "Report public" in html and "Report draft" not in html
    assert "2 mentions" in html
    assert 'commander, Ahmad Shah <strong class="snippet__match">Mas’ud</strong>, held' in html
    assert Source.objects.get(key="public").get_absolute_url() in html


def test_the_team_sees_unpublished_sources_that_name_an_entry(team, massoud):
    save_source("public")
    save_source("draft", is_public=False)
    response = team.get(massoud.get_absolute_url())
    assert response.context["mentions"].total == 2
    assert "Mentioned in 2 sources" in response.content.decode()


def test_an_entry_nobody_names_has_no_mention_section(client):
    save_source("public")
    entry = save_entry(Faction, "Hezb-e Wahdat")
    assert "Mentioned in" not in client.get(entry.get_absolute_url()).content.decode()


def test_the_entry_page_reads_only_a_window_of_each_text(client, massoud):
    save_source("long", "Filler words here. " * 2000 + TEXT + " More filler." * 2000)
    snippet = client.get(massoud.get_absolute_url()).context["mentions"].rows[0].snippet
    assert snippet.lead and snippet.tail
    assert snippet.match == "Mas’ud"
    assert len(snippet.before) <= 80 and len(snippet.after) <= 80


@pytest.mark.parametrize("size", [1, 10])
def test_the_entry_page_mentions_cost_one_query_whatever_their_number(
    client, django_assert_num_queries, massoud, size
):
    for n in range(size):
        save_source(f"s{n}")
    # content clock, entry, tags, citations, link targets, what links here, mentions, claims
    # (none), and the rows of the two (empty) relation tables
    with django_assert_num_queries(8 + 2):
        response = client.get(massoud.get_absolute_url())
    assert response.context["mentions"].total == size


def test_the_source_viewer_names_what_its_text_mentions_that_the_reader_may_see(client, team):
    save_entry(Actor, "Ahmad Shah Massoud", "Mas'ud\nMassoud")
    save_entry(Faction, "Northern Alliance", is_public=False)
    source = save_source("ric")
    public = client.get(source.get_absolute_url()).context["reading"].mentions
    assert [(row.entry.title, row.count) for row in public.entries] == [("Ahmad Shah Massoud", 2)]
    assert public.uncited == []  # the to-do list is the team's
    team_view = team.get(source.get_absolute_url()).context["reading"].mentions
    assert [row.entry.title for row in team_view.entries] == [
        "Ahmad Shah Massoud",
        "Northern Alliance",
    ]


def test_the_team_sees_the_mentions_no_citation_covers_with_a_link_to_cite_them(team):
    source = save_source("ric")
    body = 'Massoud held the valley. [@ric "Ahmad Shah Mas’ud, held the Panjshir valley"]'
    save_entry(Actor, "Ahmad Shah Massoud", "Massoud", body=body)
    response = team.get(source.get_absolute_url())
    uncited = response.context["reading"].mentions.uncited
    assert [mention.snippet.match for mention in uncited] == ["Massoud"]  # the first is cited
    html = response.content.decode()
    assert "Named but not cited yet" in html and "Cite this passage" in html
    url = urlsplit(uncited[0].cite_url)
    assert url.path == f"/sources/{source.key}/cite/"
    assert parse_qs(url.query)["passage"] == ["Massoud was killed in 2001."]
    form = team.get(uncited[0].cite_url).context["form"]
    assert form.initial["passage"] == "Massoud was killed in 2001."


def test_a_citation_nothing_uses_does_not_count_as_cited(team):
    source = save_source("ric")
    actor = save_entry(Actor, "Massoud", body='Killed. [@ric "Massoud was killed in 2001"]')
    page_save(page=actor, body="", user=None)  # the citation stays, unused
    uncited = team.get(source.get_absolute_url()).context["reading"].mentions.uncited
    assert [mention.snippet.match for mention in uncited] == ["Massoud"]


@pytest.mark.parametrize("size", [1, 10])
def test_the_source_viewer_mentions_cost_the_same_whatever_their_number(
    team, django_assert_num_queries, size
):
    for n in range(size):
        save_entry(Actor, f"Commander {n}", f"Massoud {n}")
        save_entry(Faction, f"Front {n}")
    text = " ".join(f"Massoud {n} met Front {n}." for n in range(size))
    source = save_source("ric", text)
    # session, user, groups, source, tags, citations, uses, mentions, actors, factions
    with django_assert_num_queries(10):
        response = team.get(source.get_absolute_url())
    mentions = response.context["reading"].mentions
    assert len(mentions.entries) == 2 * size and len(mentions.uncited) == 2 * size
