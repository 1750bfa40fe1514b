"""One folding for the four places that forgive spelling: anchoring, names, mentions, search.

The table holds a passage as a source writes it and as a person types it. Names, the mention
matcher and search must all take the two for one another; anchoring must too, except where
the two differ in letters or accents, since a quote is held to the letters of its passage.
"""

import pytest

from sources.citations.anchoring import find_quote
from sources.common.folding import (
    APOSTROPHES,
    DASHES,
    DELETED,
    DOUBLE_QUOTES,
    name_form,
    name_form_in_place,
    name_form_of_char,
    plain_punctuation,
    quote_form_in_place,
)
from wiki.mentions.matcher import Matcher, name_key
from wiki.names import normalise
from wiki.search.text import search_form

SAME_LETTERS, OTHER_ACCENTS = True, False

TABLE = [
    # apostrophes: every kind for every kind
    ("Ahmad Shah Mas'ud", "Ahmad Shah Mas’ud", SAME_LETTERS),
    ("Ahmad Shah Mas’ud", "Ahmad Shah Mas'ud", SAME_LETTERS),
    ("Ahmad Shah Masʼud", "Ahmad Shah Mas'ud", SAME_LETTERS),
    ("Ahmad Shah Mas‘ud", "Ahmad Shah Mas’ud", SAME_LETTERS),
    ("Ahmad Shah Mas`ud", "Ahmad Shah Mas'ud", SAME_LETTERS),
    ("Ahmad Shah Mas´ud", "Ahmad Shah Mas'ud", SAME_LETTERS),
    ("Ahmad Shah Mas′ud", "Ahmad Shah Mas'ud", SAME_LETTERS),
    ("Ahmad Shah Mas‛ud", "Ahmad Shah Masʼud", SAME_LETTERS),
    ("Ahmad Shah Masʻud", "Ahmad Shah Mas'ud", SAME_LETTERS),
    ("Ahmad Shah Mas'ud", "Ahmad Shah Mas´ud", SAME_LETTERS),
    # double quotes around a name, any kind for any kind
    ("“Northern Alliance”", '"Northern Alliance"', SAME_LETTERS),
    ('"Northern Alliance"', "“Northern Alliance”", SAME_LETTERS),
    ("„Northern Alliance‟", '"Northern Alliance"', SAME_LETTERS),
    ("«Northern Alliance»", "“Northern Alliance”", SAME_LETTERS),
    ("″Northern Alliance″", '"Northern Alliance"', SAME_LETTERS),
    # dashes: any kind for any kind
    ("Jamiat-e Islami", "Jamiat–e Islami", SAME_LETTERS),
    ("Jamiat‐e Islami", "Jamiat-e Islami", SAME_LETTERS),
    ("Jamiat‑e Islami", "Jamiat-e Islami", SAME_LETTERS),
    ("Jamiat‒e Islami", "Jamiat-e Islami", SAME_LETTERS),
    ("Jamiat–e Islami", "Jamiat—e Islami", SAME_LETTERS),
    ("Jamiat—e Islami", "Jamiat-e Islami", SAME_LETTERS),
    ("Jamiat―e Islami", "Jamiat-e Islami", SAME_LETTERS),
    ("Jamiat−e Islami", "Jamiat-e Islami", SAME_LETTERS),
    ("Hezb--e Wahdat", "Hezb—e Wahdat", SAME_LETTERS),  # a run of dashes for one
    # case
    ("AHMAD SHAH MASSOUD", "Ahmad Shah Massoud", SAME_LETTERS),
    ("ahmad shah massoud", "Ahmad Shah MASSOUD", SAME_LETTERS),
    ("MASʿŪD", "Masʿūd", SAME_LETTERS),
    ("ΟΔΟΣ ΚΑΙ", "οδος και", SAME_LETTERS),  # a final sigma lower-cases to "ς"
    # white space: no-break, thin, ideographic, line breaks, tabs, runs
    ("Ahmad\u00a0Shah Massoud", "Ahmad Shah Massoud", SAME_LETTERS),
    ("Ahmad Shah Massoud", "Ahmad\u00a0Shah\u202fMassoud", SAME_LETTERS),
    ("Ahmad\u2009Shah\u3000Massoud", "Ahmad Shah Massoud", SAME_LETTERS),
    ("Ahmad\nShah\tMassoud", "Ahmad Shah Massoud", SAME_LETTERS),
    ("Ahmad \u00a0 Shah\u2028Massoud", "Ahmad Shah Massoud", SAME_LETTERS),
    # everything at once
    ("“Mas’ud—Dostum”", '"mas\'ud-dostum"', SAME_LETTERS),
    # accents: names, mentions and search forgive them; a quote must keep them
    ("Masʿūd", "Masʿud", OTHER_ACCENTS),
    ("Mazār-i-Sharīf", "Mazar-i-Sharif", OTHER_ACCENTS),
    ("Dóstum", "DOSTUM", OTHER_ACCENTS),
    ("Do\u0301stum", "Dóstum", OTHER_ACCENTS),  # a combining accent for a composed one
]
IDS = [f"{written}|{typed}" for written, typed, _ in TABLE]


def _in_a_text(written: str) -> tuple[str, int, int]:
    text = f"Before it came {written}, and after it more."
    start = text.index(written)
    return text, start, start + len(written)


@pytest.mark.parametrize(("written", "typed", "same_letters"), TABLE, ids=IDS)
def test_anchoring_finds_the_quote_unless_its_letters_differ(written, typed, same_letters):
    text, start, end = _in_a_text(written)
    anchor = find_quote(text, typed)
    if same_letters:
        assert (anchor.start, anchor.end) == (start, end)
    else:
        assert anchor is None


@pytest.mark.parametrize(("written", "typed", "same_letters"), TABLE, ids=IDS)
def test_names_normalise_both_spellings_to_one_key(written, typed, same_letters):
    assert normalise(written) == normalise(typed) != ""


@pytest.mark.parametrize(("written", "typed", "same_letters"), TABLE, ids=IDS)
def test_the_mention_matcher_finds_the_name_as_written(written, typed, same_letters):
    text, start, end = _in_a_text(written)
    [found] = Matcher([name_key(typed)]).find(text)
    assert start <= found.start < found.end <= end
    assert name_key(text[found.start : found.end]) == name_key(typed)
    # The passage found is the written name less the quote marks around it.
    assert text[found.start : found.end] == written.strip(DOUBLE_QUOTES)


@pytest.mark.parametrize(("written", "typed", "same_letters"), TABLE, ids=IDS)
def test_search_folds_both_spellings_alike_and_finds_the_words(written, typed, same_letters):
    text, _, _ = _in_a_text(written)
    assert search_form(written) == search_form(typed) != ""
    assert f" {search_form(typed)} " in f" {search_form(text)} "


def test_the_table_holds_every_kind_of_quote_apostrophe_and_dash():
    both_sides = "".join(written + typed for written, typed, _ in TABLE)
    assert set(APOSTROPHES + DOUBLE_QUOTES + DASHES) <= set(both_sides)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Mas’ud” – Hezb‑e ‘Wahdat’", "\"Mas'ud\" - Hezb-e 'Wahdat'"),
        ("„a‟ «b» ″c″ ‛d′ `e´ ʼfʻ", "\"a\" \"b\" \"c\" 'd' 'e' 'f'"),
        ("‐‑‒–—―−", "-------"),
        ("Dóstum", "Dóstum"),  # letters and accents stay
    ],
)
def test_plain_punctuation(text, expected):
    assert plain_punctuation(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“MAS’UD” — Hezb", '"mas\'ud" - hezb'),
        ("İzmir Ankara", "İzmir ankara"),  # "i̇" would be two characters: the letter stays
        ("Straße ΟΔΟΣ", "straße οδος"),
    ],
)
def test_quote_form_in_place_keeps_every_character_in_place(text, expected):
    assert quote_form_in_place(text) == expected
    assert len(quote_form_in_place(text)) == len(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ahmad Shah Mas’ud", "ahmad shah masud"),
        ("  Mazār-i-Sharīf ", "mazar i sharif"),
        ("Masʿūd", "masʿud"),  # the ʿayn of romanisations is a letter, not an apostrophe
        ("Straße", "strasse"),
        ("ﬁnal 5″ ＇quoted＇", "final 5 quoted"),
        ("Mas´ud Mas′ud", "masud masud"),  # a spacing accent or a prime as an apostrophe
        ("“—”", ""),
    ],
)
def test_name_form(name, expected):
    assert name_form(name) == expected


@pytest.mark.parametrize(
    ("char", "expected"),
    [("É", "e"), ("ß", "ss"), ("’", ""), ("\u0301", ""), ("—", " "), ("\u00a0", " ")],
)
def test_name_form_of_char(char, expected):
    assert name_form_of_char(char) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mas’ud", f"mas{DELETED}ud"),
        ("Do\u0301stum—ok", f"do{DELETED}stum ok"),
        ("Straße ﬁn", "straße ﬁn"),  # several letters in name form: one character kept
        ("Grüße, Straße: ж", "gruße  straße  ж"),
    ],
)
def test_name_form_in_place_keeps_every_character_in_place(text, expected):
    assert name_form_in_place(text) == expected
    assert len(name_form_in_place(text)) == len(text)
