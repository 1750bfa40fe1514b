"""The three-way merge of a write with the saves made since it started, and the revision an
edit form carries."""

import pytest

from sources.common.history.merging import (
    ConflictingEdit,
    latest_history_id,
    merge_edit,
    revision_shown,
)
from sources.models import Source
from sources.services import source_save
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

TEXT = "One.\n\nTwo.\n\nThree."


@pytest.fixture
def source():
    return source_save(source=SourceFactory.build(key="ric", text=TEXT, title="T"), user=None)


def saved_meanwhile(source, **values):
    other = Source.objects.get(pk=source.pk)
    for name, value in values.items():
        setattr(other, name, value)
    return source_save(source=other, user=None)


def test_a_form_loaded_before_a_save_shows_and_carries_that_save(source):
    loaded = Source.objects.get(pk=source.pk)
    saved_meanwhile(source, title="Newer", text=TEXT.replace("Two", "2"))
    base = revision_shown(loaded)
    assert base == latest_history_id(source)
    assert (loaded.title, loaded.text, loaded.revision_refreshed) == (
        "Newer",
        TEXT.replace("Two", "2"),
        True,
    )


def test_a_form_loaded_as_it_stands_carries_the_latest_revision_in_one_query(
    source, django_assert_num_queries
):
    loaded, latest = Source.objects.get(pk=source.pk), latest_history_id(source)
    with django_assert_num_queries(1):
        assert revision_shown(loaded) == latest
    assert not loaded.revision_refreshed


def test_merge_edit_merges_the_text_by_lines_and_other_fields_one_by_one(source):
    mine, base = Source.objects.get(pk=source.pk), latest_history_id(source)
    current = saved_meanwhile(source, title="Theirs", text=TEXT.replace("Three", "3"))
    mine.text, mine.publisher = TEXT.replace("One", "1"), "Mine"
    assert merge_edit(mine, current, base, ["title", "text", "publisher"], text_field="text")
    assert (mine.title, mine.text, mine.publisher) == ("Theirs", "1.\n\nTwo.\n\n3.", "Mine")


def test_merge_edit_refuses_what_both_changed_and_says_what(source):
    mine, base = Source.objects.get(pk=source.pk), latest_history_id(source)
    current = saved_meanwhile(source, title="Theirs", text=TEXT.replace("Two", "2"))
    mine.title, mine.text = "Mine", TEXT.replace("Two", "II")
    with pytest.raises(ConflictingEdit) as raised:
        merge_edit(mine, current, base, ["title", "text"], text_field="text")
    assert raised.value.fields == ["text", "title"]
    assert (raised.value.theirs["title"], raised.value.ours["title"]) == ("Theirs", "Mine")
    assert mine.title == "Mine"  # left as sent


def test_merge_edit_with_the_latest_base_merges_nothing(source):
    mine = Source.objects.get(pk=source.pk)
    mine.title = "Mine"
    assert not merge_edit(mine, source, latest_history_id(source), ["title"])
    assert mine.title == "Mine"
