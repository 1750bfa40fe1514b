"""Search text handling without a database: folding, query syntax, snippets, page prose."""

import re

import pytest

from sources.common.folding import name_form, name_form_in_place
from wiki.search.text import (
    START,
    STOP,
    Term,
    clean,
    headline_html,
    parse_query,
    plain_body,
    search_form,
    snippet_html,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ahmad Shah Mas’ud", "ahmad shah masud"),
        ("Mazar-i-Sharif", "mazar sharif"),
        ("Mazar-e Sharif", "mazar sharif"),
        ("Mazar e Sharif", "mazar sharif"),
        ("Jamiat-e Islami", "jamiat islami"),
        ("DÓSTUM", "dostum"),
        ("al-Qaeda", "al qaeda"),
        ("Strauß", "strauss"),
        # A symbol the mention matcher reads as a space keeps the words apart.
        ("Massoud™ Dostum", "massoud dostum"),
        ("x e e y", "x y"),
        ("E Kabul i", "e kabul"),
    ],
)
def test_search_form_makes_spelling_variants_alike(text, expected):
    assert search_form(text) == expected


@pytest.mark.parametrize(
    ("raw", "clauses"),
    [
        ("Massoud", [[Term(("massoud",))]]),
        ("Ahmed Shah", [[Term(("ahmed",))], [Term(("shah",))]]),
        ('"Northern Alliance"', [[Term(("northern", "alliance"))]]),
        ("Noor OR Dostum", [[Term(("noor",)), Term(("dostum",))]]),
        ("Noor or Dostum", [[Term(("noor",)), Term(("dostum",))]]),
        ("Taliban -Kabul", [[Term(("taliban",))], [Term(("kabul",), negated=True)]]),
        ('-"Northern Alliance" x', [[Term(("northern", "alliance"), True)], [Term(("x",))]]),
        ("Mazar-e Sharif", [[Term(("mazar",))], [Term(("sharif",))]]),
        ("Mazar e Sharif", [[Term(("mazar",))], [Term(("sharif",))]]),
        ("OR Noor", [[Term(("noor",))]]),
        ("- … ’", []),
        ('"unclosed phrase', [[Term(("unclosed", "phrase"))]]),
    ],
)
def test_parse_query_reads_websearch_syntax(raw, clauses):
    assert [list(clause) for clause in parse_query(raw)] == clauses


@pytest.mark.parametrize(
    ("raw", "websearch"),
    [
        ("Mas’ud", "masud"),
        ('"Northern Alliance" -Taliban', '"northern alliance" -taliban'),
        ("Noor OR Dostum Kabul", "noor or dostum kabul"),
        ("Mazar-i-Sharif", '"mazar sharif"'),
    ],
)
def test_websearch_is_the_folded_query(raw, websearch):
    assert parse_query(raw).websearch() == websearch


@pytest.mark.parametrize(
    ("raw", "plain"),
    [("Ahmed Shah Masoud", True), ('"Masoud"', False), ("a OR b", False), ("a -b", False)],
)
def test_plain_queries_are_only_words(raw, plain):
    assert parse_query(raw).is_plain is plain


def test_a_query_of_exclusions_only_looks_for_nothing():
    assert not parse_query("-Taliban")
    assert not parse_query("   ")


def test_headline_escapes_the_text_and_keeps_only_its_own_marks():
    marked = f"<script>alert(1)</script> {START}Massoud{STOP} & <mark>"
    assert headline_html(marked) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Massoud</mark> &amp; &lt;mark&gt;"
    )


def test_snippet_marks_words_whatever_their_case_accents_and_apostrophes():
    text = "The group included Ahmad Shah Mas’ud and General DÓSTUM near Mazar-i-Sharif."
    html = snippet_html(text, ["masud", "dostum", "mazar", "sharif"])
    assert "<mark>Mas’ud</mark>" in html
    assert "<mark>DÓSTUM</mark>" in html
    assert "<mark>Mazar</mark>-i-<mark>Sharif</mark>" in html


def test_snippet_matches_the_start_of_words_only():
    assert "<mark>" not in snippet_html("Panjshiri and Kabul", ["shiri"])
    assert "<mark>Panjshir</mark>i" in snippet_html("Panjshiri and Kabul", ["panjshir"])


def test_snippet_escapes_html_in_the_text():
    html = snippet_html('<img src=x onerror="alert(1)"> Massoud', ["massoud"])
    assert "<img" not in html
    assert "&lt;img" in html and "<mark>Massoud</mark>" in html


def test_snippet_is_cut_around_the_first_match():
    text = "filler " * 200 + "Massoud led the defence. " + "more " * 200
    html = snippet_html(text, ["massoud"], width=120)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>Massoud</mark>" in html
    assert len(html) < 200


def test_plain_body_keeps_prose_and_link_labels_only():
    body = (
        "## Early life\n\n"
        'The **Alliance** was led by [[Ahmad Shah Massoud|Massoud]]. [@ric "a quote"; @b]\n\n'
        "- see [[Taliban]]\n"
    )
    assert plain_body(body) == "Early life\n\nThe Alliance was led by Massoud.\n\nsee Taliban"


def test_clean_keeps_words_a_control_character_separated_apart():
    assert clean("Massoud\x0cThe next page\x02") == "Massoud The next page "


@pytest.mark.parametrize(
    "text",
    [
        "Ahmad Shah Mas’ud, Mazar-i-Sharif and DÓSTUM’s men",
        "Strauß, ﬁne, ½, ①, İstanbul, ǅemal, Ω",
        "Жуков-е Иван and ٣ arabic ٤",
        'a_b__c `x\' "quoted" “curly” x\u0301y',
        "Massoud™ and the ® mark",
    ],
)
def test_search_form_is_name_form_with_the_ezafe_dropped(text):
    """The fast path for ASCII gives what name_form gives (symbols the matcher reads as
    spaces kept apart)."""
    apart = "".join(" " if name_form_in_place(char) == " " else char for char in text)
    assert search_form(text) == re.sub(r" (?:e|i|ye|yi)(?= |$)", "", name_form(apart))
