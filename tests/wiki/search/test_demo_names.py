"""Search over the demo: every spelling the demo's sources and aliases use finds its page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from sources.models import Source
from wiki.demo.loader import demo_load
from wiki.models import ENTRY_MODELS, SearchDocument
from wiki.search.query import search

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield
        transaction.set_rollback(True)


def titles(query, **filters):
    return [result.title for result in search(query, user=AnonymousUser(), **filters).results]


MASSOUD = "Ahmad Shah Massoud"
RIC = "Afghanistan: Background on the Anti-Taliban group, the Northern Alliance"
TODAY = "Dostum and Noor announce new alliance to fight Taliban in the north"


def test_loading_the_demo_leaves_every_page_and_source_indexed(demo):
    expected = sum(model.objects.count() for model in (*ENTRY_MODELS, Source))
    assert SearchDocument.objects.count() == expected
    assert SearchDocument.objects.filter(kind="source").count() == 4


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Ahmad Shah Massoud", MASSOUD),
        ("Masood", MASSOUD),
        ("Masud", MASSOUD),
        ("Mas'ud", MASSOUD),
        ("Mas’ud", MASSOUD),
        ("Ahmed Shah Masoud", MASSOUD),
        ("ahmad shah massoud", MASSOUD),
        ("Lion of Panjshir", MASSOUD),
        ("Dostum", "Abdul Rashid Dostum"),
        ("General Dostum", "Abdul Rashid Dostum"),
        ("Dostam", "Abdul Rashid Dostum"),
        ("Taleban", "Taliban"),
        ("al-Qaida", "Al-Qaeda"),
        ("Al Qaeda", "Al-Qaeda"),
        ("Jamiat-e Islami", "Jamiat-e Islami"),
        ("Jamiat Islami", "Jamiat-e Islami"),
        ("Hezb-e-Wahdat", "Hezb-e Wahdat"),
    ],
)
def test_spelling_variants_find_the_page_first(demo, query, first):
    assert titles(query)[0] == first


@pytest.mark.parametrize("query", ["Mazar-e Sharif", "Mazar-i-Sharif", "mazar e sharif"])
def test_every_spelling_of_mazar_i_sharif_finds_both_spellings_in_the_texts(demo, query):
    found = titles(query, kind="source")
    assert RIC in found  # writes Mazar-i-Sharif
    assert TODAY in found  # writes Mazar-e Sharif
    assert set(titles(query, kind="event")[:2]) == {
        "Fall of Mazar-i-Sharif (1998)",
        "Killing of Taliban soldiers near Mazar-i-Sharif (1997)",
    }


def test_source_text_is_searched_and_the_snippet_marks_the_spelling_it_uses(demo):
    found = search("Mazar-e Sharif", user=AnonymousUser(), kind="source").results
    today = next(result for result in found if result.title == TODAY)
    assert "<mark>Mazar</mark>-e <mark>Sharif</mark>" in today.snippet


def test_source_metadata_is_searched(demo):
    assert titles("Waheed Orya") == [TODAY]
    assert titles("AFG00001.REF") == [RIC]
