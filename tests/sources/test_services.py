"""source_save: one revision per save, merged with a save that crossed it, under the row lock."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from sources.common.history.merging import ConflictingEdit
from sources.models import Source
from sources.services import source_save
from sources.views import edit as edit_views
from tests.factories import SourceFactory, curator, editor

PARAGRAPHS = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


def latest(source):
    return source.history.order_by("-history_id").values_list("history_id", flat=True).first()


def loaded(source):
    return Source.objects.get(pk=source.pk)


@pytest.fixture
def source(db):
    return source_save(source=SourceFactory.build(key="ric", text=PARAGRAPHS), user=None)


def test_an_edit_with_the_latest_base_saves_plainly(source):
    mine = loaded(source)
    mine.text = PARAGRAPHS.replace("First", "1st")
    saved = source_save(source=mine, user=None, base_revision=latest(source))
    assert not saved.was_merged
    assert loaded(source).text.startswith("1st")


def test_an_edit_that_crossed_another_is_merged_paragraph_by_paragraph(source):
    mine, base = loaded(source), latest(source)
    theirs = loaded(source)
    theirs.text, theirs.publisher = PARAGRAPHS.replace("Third", "Their third"), "Theirs"
    source_save(source=theirs, user=None, tags=["theirs"])
    mine.text = PARAGRAPHS.replace("First", "My first")
    saved = source_save(source=mine, user=None, base_revision=base, tags=[])
    assert saved.was_merged
    now = loaded(source)
    assert now.text == "My first paragraph.\n\nSecond paragraph.\n\nTheir third paragraph."
    assert (now.publisher, list(now.tags.names())) == ("Theirs", ["theirs"])


def test_an_edit_of_the_same_lines_is_refused_and_changes_nothing(source):
    mine, base = loaded(source), latest(source)
    theirs = loaded(source)
    theirs.text = PARAGRAPHS.replace("Second", "Their second")
    source_save(source=theirs, user=None)
    before = source.history.count()
    mine.text = PARAGRAPHS.replace("Second", "My second")
    with pytest.raises(ConflictingEdit) as raised:
        source_save(source=mine, user=None, base_revision=base)
    assert raised.value.fields == ["text"]
    assert "My second" in raised.value.ours["text"]
    assert "Their second" in raised.value.theirs["text"]
    assert (source.history.count(), loaded(source).text) == (before, theirs.text)


def test_a_save_carrying_some_fields_leaves_the_published_flag_as_it_stands(source):
    mine = loaded(source)
    publisher = loaded(source)
    publisher.is_public = not mine.is_public
    source_save(source=publisher, user=None)
    mine.title = "Mine"
    source_save(source=mine, user=None, fields=["title", "text"])
    assert (loaded(source).title, loaded(source).is_public) == ("Mine", publisher.is_public)


def _post_at_once(url, bodies: list[dict], monkeypatch):
    """Post each form from its own browser; the saves start together, after both checks."""
    barrier, answers = threading.Barrier(len(bodies)), []
    real_save = edit_views.source_save

    def save_together(**kwargs):
        barrier.wait(timeout=10)
        return real_save(**kwargs)

    monkeypatch.setattr(edit_views, "source_save", save_together)

    def post(data, person):
        try:
            browser = Client()
            browser.force_login(person)
            answers.append(browser.post(url, data).status_code)
        finally:
            connection.close()

    people = [editor(f"ed-{n}") for n in range(len(bodies))]
    pairs = zip(bodies, people, strict=True)
    threads = [threading.Thread(target=post, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(answers)


def _form(source, **changes):
    fields = ("key", "title", "kind", "authors", "publisher", "published", "text", "language")
    data = {name: getattr(source, name) for name in fields}
    data |= {"url": "", "document_symbol": "", "accessed": "", "notes": "", "tags": ""}
    return data | {"change_reason": "", "base_revision": latest(source)} | changes


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_of_different_paragraphs_both_land(postgres_only, monkeypatch):
    source = source_save(source=SourceFactory.build(key="ric", text=PARAGRAPHS), user=None)
    url = reverse("sources:source-edit", args=["ric"])
    answers = _post_at_once(
        url,
        [
            _form(source, text=PARAGRAPHS.replace("First", "A's first")),
            _form(source, text=PARAGRAPHS.replace("Third", "B's third")),
        ],
        monkeypatch,
    )
    assert answers == [302, 302]
    both = "A's first paragraph.\n\nSecond paragraph.\n\nB's third paragraph."
    assert loaded(source).text == both


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_of_the_same_lines_cannot_both_pass(postgres_only, monkeypatch):
    source = source_save(source=SourceFactory.build(key="ric", text=PARAGRAPHS), user=None)
    before = source.history.count()
    url = reverse("sources:source-edit", args=["ric"])
    answers = _post_at_once(
        url,
        [
            _form(source, text=PARAGRAPHS.replace("Second", "A's second")),
            _form(source, text=PARAGRAPHS.replace("Second", "B's second")),
        ],
        monkeypatch,
    )
    assert answers == [302, 409]
    assert source.history.count() == before + 1


def test_a_curator_may_save_over_a_conflict_once_shown(source):
    mine, base = loaded(source), latest(source)
    theirs = loaded(source)
    theirs.title = "Theirs"
    source_save(source=theirs, user=curator())
    mine.title = "Mine"
    with pytest.raises(ConflictingEdit):
        source_save(source=mine, user=None, base_revision=base)
    source_save(source=loaded_with(source, title="Mine"), user=None, base_revision=latest(source))
    assert loaded(source).title == "Mine"


def loaded_with(source, **values):
    copy = loaded(source)
    for name, value in values.items():
        setattr(copy, name, value)
    return copy


def test_a_revert_that_crossed_an_edit_is_refused_under_the_lock(source):
    from django.core.exceptions import ValidationError

    from sources.services import source_revert

    old = source.history.order_by("history_id").last()
    seen = latest(source)
    theirs = loaded(source)
    theirs.title = "Saved meanwhile"
    source_save(source=theirs, user=None)
    with pytest.raises(ValidationError, match="there was an edit after the one you saw"):
        source_revert(source=loaded(source), revision=old, user=editor(), base_revision=seen)
    assert loaded(source).title == "Saved meanwhile"
    source_revert(source=loaded(source), revision=old, user=editor(), base_revision=latest(source))
    assert loaded(source).title == old.title


def test_a_revert_leaves_the_published_flag_as_it_stands(source):
    from sources.services import source_revert

    old = source.history.order_by("history_id").last()
    reverter = loaded(source)
    publisher = loaded(source)
    publisher.is_public = not reverter.is_public
    source_save(source=publisher, user=None, change_reason="Published")
    source_revert(source=reverter, revision=old, user=editor())
    assert loaded(source).is_public == publisher.is_public
