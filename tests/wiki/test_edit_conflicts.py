"""Concurrent edits: merged when they touch different parts, refused when they overlap."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.factories import ActorFactory, curator, editor
from wiki.models import Actor
from wiki.services import EditConflict, page_save

BASE = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


def latest_revision(page):
    return page.history.values_list("history_id", flat=True).first()


def start_edit(page):
    """What an edit form does: load the page and remember the revision it starts from."""
    return Actor.objects.get(pk=page.pk), latest_revision(page)


@pytest.fixture
def page(db):
    return page_save(page=ActorFactory(title="Massoud", summary="Commander"), body=BASE, user=None)


def test_an_edit_with_the_latest_base_saves_plainly(page):
    mine, base = start_edit(page)
    saved = page_save(page=mine, body=BASE.replace("First", "1st"), user=None, base_revision=base)
    assert not saved.was_merged
    assert Actor.objects.get(pk=page.pk).body.startswith("1st")


def test_edits_of_different_paragraphs_are_merged_and_said_so(page):
    mine, base = start_edit(page)
    theirs, _ = start_edit(page)
    page_save(page=theirs, body=BASE.replace("First", "Their first"), user=None)
    before = page.history.count()
    saved = page_save(
        page=mine, body=BASE.replace("Third", "Our third"), user=None, base_revision=base
    )
    assert saved.was_merged
    body = Actor.objects.get(pk=page.pk).body
    assert "Their first" in body and "Our third" in body
    assert page.history.count() == before + 1


def test_a_field_changed_by_the_other_editor_is_kept(page):
    mine, base = start_edit(page)
    theirs, _ = start_edit(page)
    theirs.summary = "Their summary"
    page_save(page=theirs, user=None)
    page_save(page=mine, body=BASE.replace("Third", "Our third"), user=None, base_revision=base)
    assert Actor.objects.get(pk=page.pk).summary == "Their summary"


def test_overlapping_edits_are_refused_and_nothing_is_saved(page):
    mine, base = start_edit(page)
    theirs, _ = start_edit(page)
    page_save(page=theirs, body=BASE.replace("Second", "Their second"), user=None)
    before = page.history.count()
    with pytest.raises(EditConflict) as raised:
        page_save(
            page=mine, body=BASE.replace("Second", "Our second"), user=None, base_revision=base
        )
    conflict = raised.value
    assert "Our second" in conflict.our_body and "Their second" in conflict.their_body
    assert conflict.base_body == BASE
    assert page.history.count() == before
    assert "Their second" in Actor.objects.get(pk=page.pk).body


def test_both_editors_changing_one_field_differently_is_a_conflict(page):
    mine, base = start_edit(page)
    theirs, _ = start_edit(page)
    theirs.summary = "Theirs"
    page_save(page=theirs, user=None)
    mine.summary = "Ours"
    with pytest.raises(EditConflict) as raised:
        page_save(page=mine, user=None, base_revision=base)
    assert raised.value.fields == ["summary"]


def test_concurrent_tag_edits_merge(page):
    page_save(page=page, user=None, tags=["a"])
    mine, base = start_edit(page)
    theirs, _ = start_edit(page)
    page_save(page=theirs, user=None, tags=["a", "theirs"])
    page_save(page=mine, body=BASE + "\nMore.\n", user=None, base_revision=base, tags=["a"])
    assert sorted(Actor.objects.get(pk=page.pk).tags.names()) == ["a", "theirs"]


def test_an_unknown_base_revision_is_refused(page):
    mine, _ = start_edit(page)
    with pytest.raises(ValidationError):
        page_save(page=mine, body="x", user=None, base_revision=999999)


def test_editors_cannot_save_a_locked_page_but_curators_can(page):
    page.is_locked, page.lock_reason = True, "Under legal review"
    page_save(page=page, user=None)
    mine, base = start_edit(page)
    with pytest.raises(PermissionDenied, match="Under legal review"):
        page_save(page=mine, body="Vandalism.", user=editor(), base_revision=base)
    page_save(page=mine, body=BASE + "\nCurated.\n", user=curator(), base_revision=base)
    assert "Curated." in Actor.objects.get(pk=page.pk).body


def _save_at_once(page, bodies, base):
    """Run one page_save per body in its own thread, all released together."""
    barrier, outcomes = threading.Barrier(len(bodies)), []

    def save(body):
        try:
            mine = Actor.objects.get(pk=page.pk)
            barrier.wait()
            page_save(page=mine, body=body, user=None, base_revision=base)
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_overlapping_saves_cannot_both_pass(postgres_only):
    page = page_save(page=ActorFactory(), body=BASE, user=None)
    base, before = latest_revision(page), page.history.count()
    outcomes = _save_at_once(
        page, [BASE.replace("Second", "A's second"), BASE.replace("Second", "B's second")], base
    )
    assert outcomes == ["conflict", "saved"]
    assert page.history.count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_different_parts_both_land(postgres_only):
    page = page_save(page=ActorFactory(), body=BASE, user=None)
    base = latest_revision(page)
    outcomes = _save_at_once(
        page, [BASE.replace("First", "A's first"), BASE.replace("Third", "B's third")], base
    )
    assert outcomes == ["saved", "saved"]
    body = Actor.objects.get(pk=page.pk).body
    assert "A's first" in body and "B's third" in body
