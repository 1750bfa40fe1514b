import pytest

from wiki.names import names_of, normalise


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ahmad Shah Mas'ud", "ahmad shah masud"),
        ("Ahmad Shah Mas’ud", "ahmad shah masud"),
        ("Ahmad Shah Mas´ud", "ahmad shah masud"),  # a spacing accent as an apostrophe
        ("Ahmad Shah Mas′ud", "ahmad shah masud"),  # and a prime
        ("MAZAR-E SHARIF", "mazar e sharif"),
        ("  Mazar-i-Sharif ", "mazar i sharif"),
        ("Hezb-e Wahdat", "hezb e wahdat"),
        ("Jamiat‑e Islami", "jamiat e islami"),  # non-breaking hyphen
        ("Dóstum", "dostum"),
    ],
)
def test_normalise_folds_case_accents_apostrophes_and_punctuation(name, expected):
    assert normalise(name) == expected


def test_names_of_drops_aliases_that_normalise_like_the_title():
    assert names_of("Ahmad Shah Massoud", ["ahmad shah massoud", "Mas'ud", "Mas’ud"]) == [
        ("Ahmad Shah Massoud", True),
        ("Mas'ud", False),
    ]
