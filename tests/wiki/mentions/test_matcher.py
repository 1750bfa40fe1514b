"""The name matcher: whole words, any case, accents and apostrophes, exact original offsets."""

import time

import pytest

from wiki.mentions.matcher import Found, Matcher, match_form, name_key, squeeze


def found(names: list[str], text: str) -> list[str]:
    """The passages of text the matcher finds for these names, cut by its offsets."""
    matcher = Matcher(name_key(name) for name in names)
    return [text[f.start : f.end] for f in matcher.find(text)]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Ahmad Shah Mas’ud", "ahmad shah masud"),
        ("Ahmad Shah Mas'ud", "ahmad shah masud"),
        ("  MASSOUD ", "massoud"),
        ("Jamiat-e Islami", "jamiat e islami"),
        ("Hezb-e-Wahdat", "hezb e wahdat"),
        ("Abdul Rashid Dōstum", "abdul rashid dostum"),
        ("Dostum\u0301", "dostum"),  # a combining accent on its own
        ("al-Qa’ida", "al qaida"),
        ("Strauß", "strauß"),  # folds to one character, so offsets stay put
        ("'''", ""),
    ],
)
def test_name_key(name, key):
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("names", "text", "expected"),
    [
        # word boundaries
        (["Masoud"], "Masoudi met Masoud.", ["Masoud"]),
        (["Masoud"], "Al-Masoud and Masoud's men", ["Masoud", "Masoud"]),
        (["Ali"], "Italian alliance, Alibek; ali", ["ali"]),
        (["Noor"], "Noor1 Noorx 1Noor Noor", ["Noor"]),
        # case, accents, apostrophes, in the name or in the text
        (["Mas'ud"], "Mas'ud, Masud, Mas’ud, MAS`UD", ["Mas'ud", "Masud", "Mas’ud", "MAS`UD"]),
        (["Masud"], "Mas’ud", ["Mas’ud"]),
        (["Dostum"], "Dóstum and DOSTUM", ["Dóstum", "DOSTUM"]),
        (["Dóstum"], "Dostum", ["Dostum"]),
        (["Dostum"], "Do\u0301stum\u0301 left", ["Do\u0301stum\u0301"]),
        # possessives leave the name a whole word
        (["Taliban"], "the Taliban’s offensive and the Talibans", ["Taliban"]),
        # separators: any run of spaces, line breaks and punctuation between the words
        (["Ahmad Shah Massoud"], "Ahmad  Shah\nMassoud", ["Ahmad  Shah\nMassoud"]),
        (["Jamiat-e Islami"], "the Jamiat e Islami party", ["Jamiat e Islami"]),
        (["Northern Alliance"], "“Northern Alliance”—", ["Northern Alliance"]),
        # overlapping names: the longest wins, then the first
        (
            ["Massoud", "Ahmad Shah Massoud"],
            "Ahmad Shah Massoud, later Massoud",
            ["Ahmad Shah Massoud", "Massoud"],
        ),
        (["Alliance", "Northern Alliance"], "the Northern Alliance", ["Northern Alliance"]),
        (["Ahmad Shah", "Shah Massoud"], "Ahmad Shah Massoud", ["Ahmad Shah"]),
        # neighbours share the space between them
        (["Dostum", "Noor"], "Dostum Noor", ["Dostum", "Noor"]),
        # a longer name that is not whole words does not hide a shorter one that is
        (["ab", "ab cd"], "ab cde", ["ab"]),
        ([], "Massoud", []),
        (["Massoud"], "", []),
    ],
)
def test_find(names, text, expected):
    assert found(names, text) == expected


def test_offsets_point_into_the_original_text_after_every_kind_of_shrinking():
    prefix = "  “Mas’ud’s”,  the Jamiat-e  Islami’s … Don’t\u0301 — "
    text = prefix + "Ahmad\n\nShah   Mas’ud"
    matcher = Matcher([name_key("Ahmad Shah Massoud"), name_key("Ahmad Shah Masud")])
    assert matcher.find(text) == [Found("ahmad shah masud", len(prefix), len(text))]


def test_match_form_keeps_every_character_in_place():
    text = "Mas’ud’s “Ḥezb” — Straße\u0301 ﬁn"
    assert len(match_form(text)) == len(text)
    assert squeeze(match_form(text)) == "masud s hezb straße ﬁn"


@pytest.mark.parametrize(
    "text",
    [
        "Die Straße: Dóstum and Mas’ud",  # a letter with no ASCII form
        "Grüße, Straße: Dóstum and Mas’ud",  # next to a letter that has one
        "Straße, ж, ш, щ, ю, я, ф, ц, ч: Dóstum and Mas’ud",  # more than the fast path holds
        "\x01Straße\x02: Dóstum and Mas’ud",  # control characters of its own
    ],
)
def test_letters_without_an_ascii_form_fold_like_the_rest(text):
    assert len(match_form(text)) == len(text)
    assert found(["Dostum", "Masud", "STRASSE"], text) == ["Dóstum", "Mas’ud"]
    assert found(["Dostum", "Masud", "straße"], text) == ["Straße", "Dóstum", "Mas’ud"]


def test_every_key_found_and_whether_any_occurs():
    matcher = Matcher(["massoud", "ahmad shah massoud", "noor"])
    assert matcher.keys_in("Ahmad Shah Massoud") == {"massoud", "ahmad shah massoud"}
    assert matcher.occurs_in("Governor Noor spoke")
    assert not matcher.occurs_in("Noorzai spoke")


def test_thousands_of_names_match_a_long_text_well_under_a_second():
    names = [f"Name{n} Family{n % 97}" for n in range(5000)]
    matcher = Matcher(name_key(name) for name in names)
    text = " ".join(f"said Name{n} Family{n % 97}, and" for n in range(0, 5000, 7)) * 3
    started = time.perf_counter()
    mentions = matcher.find(text)
    assert time.perf_counter() - started < 1
    assert len(mentions) == 3 * len(range(0, 5000, 7))
    assert text[mentions[1].start : mentions[1].end] == "Name7 Family7"
