"""The rebuild's text vectors, built in Python, are the ones PostgreSQL's to_tsvector builds."""

import pytest
from django.db import connection

from wiki.search.index import CONFIG
from wiki.search.text import search_form
from wiki.search.vectors import Lexicon, text_vector, words_of

pytestmark = pytest.mark.django_db

TEXTS = {
    "plain prose": "The Battle of Kabul began; Massoud's forces held the pass in 1992.",
    "numbers and codes": "1e5 abc123 2nd 0x1f 12ab34 1992 x e s t",
    "stop words only": "the of a and will",
    "nothing": "",
    "a word past 255 places": " ".join(["kabul"] * 300 + ["dostum"]),
    "past the last position": " ".join([f"w{n}" for n in range(16_500)] + ["kabul", "herat"]),
    "words too long to index": "a" * 3000 + " kabul " + "b" * 2047 + " dostum " + "c" * 2048,
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_a_text_vector_is_what_to_tsvector_gives(postgres_only, text):
    folded = search_form(text)
    words = words_of(folded)
    lexicon = Lexicon(CONFIG)
    lexicon.learn(set(words))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsvector = to_tsvector(%s::regconfig, %s)",
            [text_vector(words, lexicon), CONFIG, folded],
        )
        assert cursor.fetchone()[0]


def test_text_in_another_script_is_left_to_the_database():
    assert words_of(search_form("Жуков")) is None
    assert words_of(search_form("Dóstum’s")) == ["dostums"]
