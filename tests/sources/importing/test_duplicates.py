"""A new source that repeats one in the archive: same URL, same text, nearly the same text."""

import pytest

from sources.importing.duplicates import (
    BANDS,
    find_duplicates,
    normalise_url,
    shingles,
    similarity,
    text_fingerprint,
)
from sources.models import Source
from tests.factories import SourceFactory

WORDS = [f"word{i}" for i in range(300)]
LONG = " ".join(WORDS)


def reworded(changes: int) -> str:
    """LONG with `changes` words, spread through it, replaced."""
    words = list(WORDS)
    for n in range(changes):
        words[(n + 1) * len(words) // (changes + 1)] = f"other{n}"
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# Pure: addresses and texts


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTPS://Example.ORG/a/", "https://example.org/a"),
        ("https://example.org/a#section-2", "https://example.org/a"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org/a?utm_source=x&utm_medium=y", "https://example.org/a"),
        ("https://example.org/a?id=3&utm_campaign=z&fbclid=q", "https://example.org/a?id=3"),
        ("https://example.org/", "https://example.org"),
        ("https://example.org", "https://example.org"),
        ("https://example.org/Case/Path", "https://example.org/Case/Path"),  # paths keep case
        ("  https://example.org/a  ", "https://example.org/a"),
        ("ftp://example.org/a", ""),
        ("not a url", ""),
        ("", ""),
        ("https://[::1]/a", "https://[::1]/a"),
    ],
)
def test_normalise_url(url, normalised):
    assert normalise_url(url) == normalised


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("The convoy left at dawn.", "the  convoy\nleft at DAWN.", True),
        ("Mas'ud’s men – 400 of them", "Mas’ud's men - 400 of them", True),
        ("The convoy left at dawn.", "The convoy left at dusk.", False),
    ],
)
def test_the_fingerprint_ignores_what_a_reader_cannot_see(a, b, same):
    assert (text_fingerprint(a) == text_fingerprint(b)) is same


@pytest.mark.parametrize(
    ("a", "b", "least", "most"),
    [
        (LONG, LONG, 1.0, 1.0),
        (LONG, reworded(3), 0.85, 0.95),
        (LONG, reworded(30), 0.0, 0.6),
        (LONG, "something else entirely, from another report", 0.0, 0.0),
    ],
)
def test_similarity_is_the_share_of_shingles(a, b, least, most):
    assert least <= similarity(shingles(a), shingles(b)) <= most


def test_a_short_text_is_one_shingle():
    assert shingles("Three short words") == {"three short words"}
    assert shingles("") == set()


# ---------------------------------------------------------------------------------------------
# Against the archive


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        "https://www.irinnews.org/report/75059",
        "HTTPS://WWW.IRINNEWS.ORG/report/75059/",
        "https://www.irinnews.org/report/75059?utm_source=feed#top",
    ],
)
def test_the_same_url_is_found(typed):
    SourceFactory(key="irin", url="https://www.irinnews.org/report/75059/", text="Sirte.")
    SourceFactory(key="other", url="https://www.irinnews.org/report/75058", text="Tripoli.")
    found = find_duplicates(text="", url=typed)
    assert [(d.source.key, d.why) for d in found] == [("irin", "same URL")]


@pytest.mark.django_db
def test_the_same_text_is_found_whatever_its_white_space_and_quotes():
    SourceFactory(key="ric", text="Ahmad Shah Mas'ud,  head of the\nJamiat-e Islami Party")
    found = find_duplicates(text="ahmad shah Mas’ud, head of the Jamiat-e Islami party", url="")
    assert [(d.source.key, d.why) for d in found] == [("ric", "same text")]


@pytest.mark.django_db
def test_nearly_the_same_text_is_found_with_its_share():
    SourceFactory(key="long", text=LONG)
    SourceFactory(key="unrelated", text=reworded(60))
    found = find_duplicates(text=reworded(3), url="")
    assert [d.source.key for d in found] == ["long"]
    assert found[0].why.startswith("nearly the same text (")
    assert found[0].why.endswith(" %)")
    assert 0.85 <= found[0].similarity < 1


@pytest.mark.django_db
def test_each_source_is_named_once_under_its_strongest_sign():
    SourceFactory(key="same", url="https://example.org/a", text=LONG)
    found = find_duplicates(text=LONG, url="https://example.org/a/")
    assert [(d.source.key, d.why) for d in found] == [("same", "same URL")]


@pytest.mark.django_db
def test_the_source_being_edited_is_not_its_own_duplicate():
    source = SourceFactory(key="self", url="https://example.org/a", text=LONG)
    assert find_duplicates(text=LONG, url="https://example.org/a", exclude_pk=source.pk) == []


@pytest.mark.django_db
def test_nothing_is_found_for_a_new_document():
    SourceFactory(key="long", text=LONG)
    assert find_duplicates(text="A different report altogether.", url="https://x.org/") == []


@pytest.mark.django_db
def test_the_index_follows_a_changed_and_a_deleted_text():
    source = SourceFactory(key="long", text=LONG)
    assert find_duplicates(text=reworded(3), url="")  # the index now holds LONG
    Source.objects.filter(pk=source.pk).update(text="Now another text.", text_fingerprint="x")
    assert find_duplicates(text=reworded(3), url="") == []
    SourceFactory(key="again", text=LONG)
    assert [d.source.key for d in find_duplicates(text=reworded(3), url="")] == ["again"]
    Source.objects.filter(key="again").delete()
    assert find_duplicates(text=reworded(3), url="") == []


@pytest.mark.parametrize("archive", [3, 30])
@pytest.mark.django_db
def test_a_check_costs_the_same_queries_and_reads_no_text_but_the_candidates(
    archive, django_assert_num_queries
):
    for n in range(archive):
        SourceFactory(key=f"s{n}", text=f"Report {n} on something else entirely, in its words.")
    near = SourceFactory(key="near", text=reworded(3))
    # Same text, the sources sharing a band (an index lookup), the candidate's text, the
    # source it names: the same four whatever the archive holds.
    with django_assert_num_queries(4):
        found = find_duplicates(text=LONG, url="")
    assert [d.source.pk for d in found] == [near.pk]


@pytest.mark.django_db
def test_a_saved_text_gets_its_bands_and_a_changed_one_new_bands():
    source = SourceFactory(key="long", text=LONG)
    first = set(source.text_bands.values_list("band", "value"))
    assert len(first) == BANDS
    source.title = "Renamed"
    source.save()
    assert set(source.text_bands.values_list("band", "value")) == first  # text as it was
    source.text = reworded(150)
    source.save()
    assert set(source.text_bands.values_list("band", "value")) != first
    assert set(source.text_bands.values_list("fingerprint", flat=True)) == {
        text_fingerprint(reworded(150))
    }
