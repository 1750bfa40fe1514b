"""The search page: syntax help, results with facets, and straight to a page named exactly."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import FactionFactory, editor
from tests.wiki.search.helpers import page, source

pytestmark = pytest.mark.django_db
SEARCH = reverse("wiki:search")


def test_an_empty_query_explains_the_syntax(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert b"How to search" in response.content
    assert b"-Kabul" in response.content and b"OR" in response.content


def test_results_show_title_kind_snippet_and_facets(client):
    page("Kabul notes", body="The Taliban took Kabul in 1996.", tags=["1990s"])
    source("ric", title="Kabul report", text="Kabul fell.")
    response = client.get(SEARCH, {"q": "Kabul fell"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/sources/ric/">Kabul report</a>' in html
    assert "<mark>Kabul</mark>" in html
    assert "1 result for “Kabul fell”" in html
    response = client.get(SEARCH, {"q": "Kabul", "go": "0"})
    html = response.content.decode()
    assert "?q=Kabul&amp;go=0&amp;kind=source" in html
    assert "?q=Kabul&amp;go=0&amp;tag=1990s" in html


def test_the_page_escapes_what_pages_contain(client):
    page("Notes", body="<script>alert('Kabul')</script> Kabul.")
    html = client.get(SEARCH, {"q": "Kabul"}).content.decode()
    assert "<script>alert" not in html


def test_nothing_found_says_so(client):
    page("Kabul notes")
    html = client.get(SEARCH, {"q": "Herat"}).content.decode()
    assert "Nothing matches “Herat”" in html


def test_an_exact_title_goes_straight_to_the_page(client):
    page("Ahmad Shah Massoud", aliases="Mas'ud")
    response = client.get(SEARCH, {"q": "ahmad shah  MASSOUD"})
    assert (response.status_code, response.url) == (302, "/actors/ahmad-shah-massoud/")


def test_an_exact_alias_goes_straight_to_the_page_with_a_way_back(client):
    page("Ahmad Shah Massoud", aliases="Mas'ud")
    response = client.get(SEARCH, {"q": "Mas’ud"}, follow=True)
    assert response.redirect_chain == [("/actors/ahmad-shah-massoud/", 302)]
    assert "/search/?q=Mas%E2%80%99ud&amp;go=0" in response.content.decode()


@pytest.mark.parametrize(
    "extra", [{"go": "0"}, {"kind": "actor"}, {"tag": "x"}, {"page": "1"}], ids=str
)
def test_asking_for_results_does_not_go_straight_to_the_page(client, extra):
    page("Taliban", tags=["x"])
    response = client.get(SEARCH, {"q": "Taliban", **extra})
    assert response.status_code == 200
    assert b'<a href="/actors/taliban/">Taliban</a>' in response.content


def test_a_name_two_pages_share_shows_the_results(client):
    page("Jamiat", aliases="Islamic State")
    page("ISIS", factory=FactionFactory, aliases="Islamic State")
    response = client.get(SEARCH, {"q": "Islamic State"})
    assert response.status_code == 200


def test_a_draft_is_no_destination_for_visitors(client):
    page("Kabul notes", public=False)
    assert client.get(SEARCH, {"q": "Kabul notes"}).status_code == 200
    client.force_login(editor())
    assert client.get(SEARCH, {"q": "Kabul notes"}).status_code == 302


def test_the_team_sees_drafts_marked(client):
    page("Kabul notes", body="Kabul.", public=False)
    client.force_login(editor())
    html = client.get(SEARCH, {"q": "Kabul", "go": "0"}).content.decode()
    assert "Kabul notes" in html and "badge--draft" in html


@pytest.mark.parametrize("rows", [3, 30])
def test_search_page_query_count_is_constant(client, django_assert_num_queries, rows):
    for number in range(rows):
        page(f"Kabul {number}", body="Kabul.", tags=["kabul", f"t{number}"])
    source("ric", title="Kabul report", text="Kabul.", tags=["kabul"])
    # PostgreSQL: the name lookup (an exact title opens its page), the documents a name like
    # the query names, type facets, tag facets, results, their tags, headlines, and the two
    # statements that turn sequential scans off and on again around them.
    # SQLite: the name lookup, type and tag facets, results, their tags, and all names read
    # for fuzzy matching.
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 6):
        response = client.get(SEARCH, {"q": "Kabul"})
    assert response.status_code == 200
