"""On PostgreSQL the search index names the sources a changed name may occur in: never fewer
than reading every text finds, whatever the spelling."""

import pytest

from sources.services import source_save
from tests.factories import SourceFactory
from wiki.mentions.index import names_tsquery, sources_maybe_naming, sources_naming
from wiki.mentions.matcher import Matcher, name_key
from wiki.search.index import MAX_INDEXED_CHARS

pytestmark = pytest.mark.django_db

TEXTS = [
    "Ahmad Shah Mas’ud crossed the pass.",
    "Massoud’s forces held; so did Bass's men and Thomas's.",
    "DÓSTUM and Dostu\u0301m, then the TALIBAN.",
    "He fell at the Battle of Kabul, later at the battle-of-Kabul site.",
    "From Mazar-e-Sharif to Hezb-e-Wahdat and the Jamiat-e Islami.",
    "Al arrived; Agent X left; the UN stayed. Will came too.",
    "The U.S. Army and McDonald's Farm; also McDonald s Farm.",
    "Massoud™ and Strauß wrote in Kabul, 1992. Hi's hat.",
    "A page break: Massoud\x0cThe next page, and Noor\x02 too.",
    "Nothing here names anyone at all.",
]
NAMES = [
    "Ahmad Shah Mas'ud",
    "Massoud",
    "Bass",
    "Thomas",
    "Dostum",
    "Taliban",
    "Battle of Kabul",
    "Mazar-e Sharif",
    "Hezb-e Wahdat",
    "Jamiat-e Islami",
    "Al",
    "X",
    "UN",
    "U.S. Army",
    "McDonald's Farm",
    "Strauß",
    "Kabul 1992",
    "Hi",
    "Noor",
    "The",
    "Will",
]
# Every word of these is a stop word (or one whose possessive is): no lexeme to ask for.
EVERY_TEXT = {"Will", "The", "Hi"}


@pytest.fixture
def texts(postgres_only):
    """The sources as saved (so indexed), by id."""
    saved = {}
    for n, text in enumerate(TEXTS):
        source = source_save(source=SourceFactory.build(key=f"s{n}", text=text), user=None)
        saved[source.pk] = text
    return saved


def scanned(texts: dict[int, str], key: str) -> set[int]:
    matcher = Matcher([key])
    return {pk for pk, text in texts.items() if matcher.occurs_in(text)}


@pytest.mark.parametrize("name", NAMES)
def test_the_candidates_hold_every_source_the_matcher_finds(texts, name):
    key = name_key(name)
    found = scanned(texts, key)
    candidates = sources_maybe_naming({key})
    if name in EVERY_TEXT:
        assert candidates is None
        return
    assert found, "the table should name something"
    assert candidates is not None and found <= candidates
    assert len(candidates) < len(texts)  # the index narrows, or it would not be worth asking


def test_names_are_confirmed_by_the_matcher(texts):
    keys = {name_key(name) for name in NAMES}
    assert sources_naming(keys) == {pk for key in keys for pk in scanned(texts, key)}


def test_a_name_past_the_indexed_part_of_a_long_text_is_a_candidate(postgres_only):
    filler = "word " * (MAX_INDEXED_CHARS // 5)
    long = source_save(source=SourceFactory.build(key="book", text=filler + "Dostum"), user=None)
    source_save(source=SourceFactory.build(key="short", text="Nobody."), user=None)
    assert sources_maybe_naming({"dostum"}) == {long.pk}


def test_a_source_the_search_index_lacks_is_a_candidate(postgres_only):
    raw = SourceFactory(key="raw", text="Dostum")  # written without source_save: no document
    assert sources_maybe_naming({"dostum"}) == {raw.pk}


def test_the_query_asks_each_word_as_written_and_as_a_possessive(postgres_only):
    assert names_tsquery({"bass of kabul"}) == "(('bass' | 'basss') & ('kabul'))"
