"""wiki.search.query.search: matching, ranking, syntax, facets, pages and who sees what."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from tests.factories import EventFactory, FactionFactory, editor
from tests.wiki.search.helpers import page, source, sqlite_only, titles
from wiki.search import query
from wiki.search.query import PER_PAGE, search
from wiki.search.text import parse_query

pytestmark = pytest.mark.django_db
__all__ = ["sqlite_only"]  # a fixture


def test_a_result_says_what_it_is_where_it_is_and_why_it_matched():
    page("Ahmad Shah Massoud", summary="Commander from Panjshir.", body="He led the defence.")
    [result] = search("Massoud", user=AnonymousUser()).results
    assert (result.kind, result.title, result.url) == (
        "actor",
        "Ahmad Shah Massoud",
        "/actors/ahmad-shah-massoud/",
    )
    assert result.rank > 0
    assert result.kind_label == "Actor"


def test_a_title_match_ranks_above_a_body_mention():
    page("Kabul notes", body=" ".join(["Panjshir is a valley."] * 8))
    page("Panjshir")
    assert titles("Panjshir") == ["Panjshir", "Kabul notes"]


def test_an_alias_match_ranks_above_a_body_mention():
    page("Kabul notes", body="The Lion of Panjshir came to Kabul. The Lion stayed.")
    page("Ahmad Shah Massoud", aliases="Lion of Panjshir")
    assert titles("Lion of Panjshir") == ["Ahmad Shah Massoud", "Kabul notes"]


def test_summaries_and_bodies_are_searched():
    page("A", summary="Commander in the north.")
    page("B", body="He was a commander for ten years.")
    assert set(titles("commander")) == {"A", "B"}


def test_every_word_must_match():
    page("A", body="Dostum and Noor met in Balkh.")
    page("B", body="Dostum met nobody.")
    assert titles("Dostum Noor") == ["A"]


def test_a_quoted_phrase_needs_its_words_together():
    page("A", body="The Northern Alliance was formed.")
    page("B", body="The alliance of the northern groups.")
    assert titles('"northern alliance"') == ["A"]


def test_or_finds_either_word():
    page("A", body="Dostum spoke.")
    page("B", body="Noor spoke.")
    page("C", body="Nobody spoke.")
    assert set(titles("Dostum OR Noor")) == {"A", "B"}


def test_a_minus_excludes_a_word():
    page("A", body="The Taliban took Kabul.")
    page("B", body="The Taliban took Herat.")
    assert titles("Taliban -Kabul") == ["B"]


def test_case_accents_and_apostrophes_do_not_matter():
    page("Abdul Rashid Dóstum", body="Ahmad Shah Mas’ud was there.")
    assert titles("DOSTUM") == ["Abdul Rashid Dóstum"]
    assert titles("dóstum") == ["Abdul Rashid Dóstum"]
    assert titles("masud") == ["Abdul Rashid Dóstum"]
    assert titles("MAS'UD") == ["Abdul Rashid Dóstum"]


def test_a_misspelt_name_finds_its_page():
    page("Abdul Rashid Dostum", aliases="Dostum")
    page("Ahmad Shah Massoud", aliases="Ahmed Shah Masood")
    assert titles("Dostam") == ["Abdul Rashid Dostum"]
    assert titles("Ahmed Shah Masoud") == ["Ahmad Shah Massoud"]


def test_a_query_of_nothing_finds_nothing():
    page("A", body="Something.")
    found = search("  -something ", user=AnonymousUser())
    assert (found.results, found.total) == ([], 0)


def test_postgres_matches_other_forms_of_a_word(postgres_only):
    page("A", body="Two thousand soldiers were killed.")
    assert titles("killing") == ["A"]


def test_postgres_highlights_the_matched_passage(postgres_only):
    page("A", body="Filler words. " * 40 + 'The "Taliban" & allies took Kabul. ' + "More. " * 40)
    [result] = search("Kabul", user=AnonymousUser()).results
    assert "took <mark>Kabul</mark>" in result.snippet
    assert "&quot;Taliban&quot; &amp; allies" in result.snippet


def test_postgres_highlights_a_match_deep_in_a_long_source(postgres_only):
    source("long", title="Long report", text="Nothing here. " * 20_000 + "Dostum returned.")
    [result] = search("Dostum", user=AnonymousUser()).results
    assert "<mark>Dostum</mark> returned" in result.snippet


def test_sqlite_matches_the_start_of_words(sqlite_only):
    page("Panjshiri", body="From the valley.")
    assert titles("panj") == ["Panjshiri"]
    assert titles("shiri") == []


def test_sqlite_snippets_mark_the_words_whatever_their_accents(sqlite_only):
    page("A", body="Filler words. " * 40 + "General DÓSTUM took Kabul. " + "More. " * 40)
    [result] = search("dostum", user=AnonymousUser()).results
    assert "<mark>DÓSTUM</mark>" in result.snippet


def test_snippets_are_safe_html():
    page("A", summary="x", body='<script>alert("Kabul")</script> & <b>Kabul</b>')
    [result] = search("Kabul", user=AnonymousUser()).results
    assert "<script" not in result.snippet and "<b>" not in result.snippet
    assert "<mark>" in result.snippet


def test_sources_are_searched_by_text_and_title():
    source("ric", title="Background report", text="General Malik revolted in 1997.")
    assert titles("Malik") == ["Background report"]
    assert titles("background") == ["Background report"]
    [result] = search("Malik", user=AnonymousUser()).results
    assert (result.kind, result.url) == ("source", "/sources/ric/")


def test_kind_facets_count_every_match_and_narrow_the_results():
    page("Kabul (actor)", body="Kabul.")
    page("Kabul (faction)", factory=FactionFactory)
    page("Fall of Kabul", factory=EventFactory)
    page("Kabul 2", factory=EventFactory)
    source("k", title="Kabul report", text="Kabul.")
    found = search("Kabul", user=AnonymousUser(), kind="event")
    assert {(f.value, f.count, f.selected) for f in found.kinds} == {
        ("actor", 1, False),
        ("faction", 1, False),
        ("event", 2, True),
        ("source", 1, False),
    }
    assert found.total == 2
    assert {r.kind for r in found.results} == {"event"}


def test_tag_facets_count_matches_per_tag_and_narrow_the_results():
    page("A", body="Kabul.", tags=["1990s", "taliban"])
    page("B", body="Kabul.", tags=["taliban"])
    page("C", body="Kabul.")
    page("D", body="Herat.", tags=["1990s"])
    found = search("Kabul", user=AnonymousUser(), tag="1990s")
    assert [(f.value, f.count, f.selected) for f in found.tags] == [
        ("taliban", 2, False),
        ("1990s", 1, True),
    ]
    assert [r.title for r in found.results] == ["A"]
    assert found.total == 1


def test_results_come_a_page_at_a_time():
    for number in range(PER_PAGE + 5):
        page(f"Kabul {number:02}")
    first = search("Kabul", user=AnonymousUser())
    second = search("Kabul", user=AnonymousUser(), page=2)
    assert (first.total, first.num_pages, len(first.results)) == (PER_PAGE + 5, 2, PER_PAGE)
    assert len(second.results) == 5
    assert not {r.title for r in first.results} & {r.title for r in second.results}
    assert search("Kabul", user=AnonymousUser(), page=99).page == 2


def test_visitors_never_see_drafts_or_private_sources():
    page("Kabul draft", body="Kabul.", public=False, tags=["secret-tag"])
    source("private", title="Kabul private", text="Kabul.", public=False)
    page("Kabul public")
    found = search("Kabul", user=AnonymousUser())
    assert [r.title for r in found.results] == ["Kabul public"]
    assert found.total == 1
    assert [(f.value, f.count) for f in found.kinds] == [("actor", 1)]
    assert found.tags == []


def test_the_team_sees_drafts_marked_as_drafts():
    page("Kabul draft", body="Kabul.", public=False)
    source("private", title="Kabul private", text="Kabul.", public=False)
    found = search("Kabul", user=editor())
    assert {(r.title, r.is_public) for r in found.results} == {
        ("Kabul draft", False),
        ("Kabul private", False),
    }


def test_past_the_ranked_pool_the_best_still_come_first_and_every_match_is_paged(
    postgres_only, monkeypatch
):
    # 25 matches against a pool of 22: page 1 is drawn from the pool, page 2 from the pool and
    # the rest ranked by names alone.
    monkeypatch.setattr("wiki.search.query.RANKED_POOL", 22)
    for number in range(PER_PAGE + 4):
        page(f"Notes {number:02}", body="Panjshir is a valley.")
    page("Panjshir")
    first = search("Panjshir", user=AnonymousUser())
    second = search("Panjshir", user=AnonymousUser(), page=2)
    assert first.total == PER_PAGE + 5
    assert first.results[0].title == "Panjshir"
    seen = [r.title for r in first.results + second.results]
    assert len(seen) == len(set(seen)) == PER_PAGE + 5


def test_postgres_asks_the_vector_index_for_what_visitors_may_see(postgres_only):
    """Not the is_public index: with it the planner would test every published vector."""
    for number in range(30):
        page(f"Notes {number:02}", body="Panjshir is a valley.", public=number % 3 > 0)
    visible = query._visible(AnonymousUser())
    matches = query._pg_matching(visible, parse_query("valley"))
    sql, params = matches.values("kind").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "wiki_searchdocument_vector_gin" in plan
    assert "searchdocument_is_public" not in plan  # the name of the is_public index
    assert matches.count() == 20
