"""The search box's suggestions: which pages, for whom, in one query; the box without JavaScript."""

import re

import pytest
from django.urls import reverse

from tests.factories import ActorFactory, EventFactory, FactionFactory
from wiki.search.suggestions import LIMIT
from wiki.services import page_save

pytestmark = pytest.mark.django_db

URL = reverse("wiki:search-suggest")


def a_page(factory, **fields):
    return page_save(page=factory(**fields), body="", user=None)


@pytest.fixture
def wiki():
    a_page(
        ActorFactory,
        title="Ahmad Shah Massoud",
        slug="ahmad-shah-massoud",
        aliases="Mas'ud\nLion of Panjshir",
    )
    a_page(FactionFactory, title="Northern Alliance", slug="northern-alliance")
    a_page(EventFactory, title="Assassination of Massoud", slug="assassination", is_public=False)


def suggest(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()["results"]


def titles(results):
    return [result["title"] for result in results]


def test_a_title_prefix_suggests_the_page_with_its_kind_and_address(client, wiki):
    assert suggest(client, "ahm") == [
        {
            "title": "Ahmad Shah Massoud",
            "kind": "actor",
            "url": "/actors/ahmad-shah-massoud/",
            "alias": "",
            "published": True,
        }
    ]


def test_any_word_of_a_name_may_be_typed_and_case_and_accents_do_not_matter(client, wiki):
    assert titles(suggest(client, "ALLI")) == ["Northern Alliance"]
    assert titles(suggest(client, "mässo")) == ["Ahmad Shah Massoud"]


def test_an_alias_suggests_its_page_and_names_the_alias(client, wiki):
    [result] = suggest(client, "lion of pan")
    assert result["title"] == "Ahmad Shah Massoud" and result["alias"] == "Lion of Panjshir"
    [result] = suggest(client, "mas’u")  # a curly apostrophe, as the alias has a straight one
    assert result["alias"] == "Mas'ud"


def test_a_page_whose_title_and_alias_both_match_appears_once_by_its_title(client, wiki):
    a_page(ActorFactory, title="Dostum", slug="dostum", aliases="Dostum Pasha")
    [result] = suggest(client, "dost")
    assert result["title"] == "Dostum" and result["alias"] == ""


def test_names_that_start_with_the_text_come_before_names_with_a_word_that_does(client):
    a_page(ActorFactory, title="Shah Massoud Jr", slug="jr")
    a_page(ActorFactory, title="Ahmad Shah", slug="ahmad-shah")
    a_page(ActorFactory, title="Shahnawaz Tanai Khan", slug="tanai")
    # Then the shorter first: "Ahmad Shah" is the shortest, but only a word of it starts so.
    assert titles(suggest(client, "shah")) == [
        "Shah Massoud Jr",
        "Shahnawaz Tanai Khan",
        "Ahmad Shah",
    ]


def test_visitors_are_not_offered_unpublished_pages(client, wiki):
    assert titles(suggest(client, "massoud")) == ["Ahmad Shah Massoud"]
    assert suggest(client, "assassination") == []


def test_the_team_is_offered_drafts_marked_as_such(editor_client, wiki):
    results = suggest(editor_client, "assassination")
    assert titles(results) == ["Assassination of Massoud"]
    assert results[0]["published"] is False and results[0]["url"] == "/events/assassination/"


def test_at_most_eight_pages_are_suggested(client):
    for n in range(LIMIT + 3):
        a_page(ActorFactory, title=f"Hekmatyar {n:02d}", slug=f"h-{n}")
    assert LIMIT == 8
    assert titles(suggest(client, "hekmat")) == [f"Hekmatyar {n:02d}" for n in range(LIMIT)]


@pytest.mark.parametrize("q", ["", "   ", "—", "'"])
def test_nothing_to_look_for_asks_nothing(client, django_assert_num_queries, q):
    with django_assert_num_queries(0):
        assert suggest(client, q) == []


def test_the_answer_gives_back_the_query(client, wiki):
    assert client.get(URL, {"q": "Ahm"}).json()["query"] == "Ahm"


def test_markup_in_a_title_comes_back_as_data(client):
    a_page(ActorFactory, title="<b>Bold</b> & co", slug="bold")
    response = client.get(URL, {"q": "b bold"})
    assert response.json()["results"][0]["title"] == "<b>Bold</b> & co"


def test_only_get_is_answered(client):
    assert client.post(URL, {"q": "a"}).status_code == 405


# ---------------------------------------------------------------------------------------------
# Query counts


@pytest.mark.parametrize("pages", [1, 30])
def test_a_visitor_gets_suggestions_in_one_query(client, django_assert_num_queries, pages):
    for n in range(pages):
        a_page(ActorFactory, title=f"Massoud {n}", slug=f"m-{n}", aliases=f"Masud {n}")
    with django_assert_num_queries(1):
        results = suggest(client, "mas")
    assert len(results) == min(pages, LIMIT)


@pytest.mark.parametrize("pages", [1, 30])
def test_the_team_gets_suggestions_in_one_query_after_its_session(
    editor_client, django_assert_num_queries, pages
):
    for n in range(pages):
        a_page(ActorFactory, title=f"Massoud {n}", slug=f"m-{n}", is_public=False)
    with django_assert_num_queries(4):  # session, user, groups, names
        results = suggest(editor_client, "mas")
    assert len(results) == min(pages, LIMIT)


# ---------------------------------------------------------------------------------------------
# PostgreSQL: close names too


def test_on_postgresql_a_misspelt_name_is_suggested_after_the_prefixes(client, postgres_only):
    a_page(ActorFactory, title="Gulbuddin Hekmatyar", slug="hekmatyar")
    a_page(ActorFactory, title="Hekmatyr Road", slug="road")
    assert titles(suggest(client, "hekmatyr")) == ["Hekmatyr Road", "Gulbuddin Hekmatyar"]


def test_on_sqlite_only_prefixes_are_suggested(client):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's behaviour")
    a_page(ActorFactory, title="Gulbuddin Hekmatyar", slug="hekmatyar")
    assert suggest(client, "hekmatyr") == []


# ---------------------------------------------------------------------------------------------
# The header's search box


def test_the_header_box_is_a_plain_get_form_to_the_search_page(client, wiki):
    html = client.get(reverse("wiki:entry-list", args=["actors"])).content.decode()
    form = re.search(r'<form class="site-search"[^>]*>(.*?)</form>', html, re.S)
    assert 'action="/search/" method="get"' in form.group(0)
    assert 'name="q"' in form.group(1) and f'data-suggest-url="{URL}"' in form.group(1)


def test_reading_pages_carry_no_inline_script_only_the_suggestion_script(client, wiki):
    for url in [
        reverse("wiki:home"),
        reverse("wiki:entry-list", args=["actors"]),
        "/actors/ahmad-shah-massoud/",
    ]:
        scripts = re.findall(r"<script[^>]*>", client.get(url).content.decode())
        assert all(re.fullmatch(r'<script src="/static/js/[\w.-]+\.js" defer>', s) for s in scripts)
    html = client.get("/actors/ahmad-shah-massoud/").content.decode()
    assert '<script src="/static/js/suggest.js" defer>' in html
