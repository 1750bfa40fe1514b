"""Unpublishing a source: refused while anything public cites it, naming what must go first."""

import pytest
from django.core.exceptions import ValidationError

from sources.models import Source
from sources.publishing import source_publish
from sources.services import source_save
from tests.factories import ActorFactory, FactionFactory, MembershipFactory, SourceFactory
from wiki.services import page_publish, page_save, relation_save

pytestmark = pytest.mark.django_db

CITE = '[@ric "the Northern Alliance was established"]'


def cite_on(title, slug, *, is_public=True):
    page = ActorFactory(title=title, slug=slug, is_public=is_public)
    return page_save(page=page, body=f"A statement. {CITE}", user=None)


def refusal(source) -> str:
    with pytest.raises(ValidationError) as raised:
        source_publish(source=source, user=None, publish=False)
    assert raised.value.code == "publicly_cited"
    return raised.value.messages[0]


def test_the_refusal_names_every_public_page_and_relation_that_must_go_first():
    source = SourceFactory(key="ric")
    cite_on("Dostum", "dostum")
    cite_on("Massoud", "massoud")
    relation_save(
        relation=MembershipFactory.build(
            actor=ActorFactory(title="Rabbani"),
            faction=FactionFactory(title="Jamiat"),
            evidence=CITE,
        ),
        user=None,
    )
    message = refusal(source)
    assert "“ric” cannot be unpublished while public pages cite it" in message
    assert "Dostum (actor, /actors/dostum/)" in message
    assert "Massoud (actor, /actors/massoud/)" in message
    assert "Rabbani — member of Jamiat (membership, " in message


def test_drafts_that_cite_it_are_not_named_and_do_not_hold_it():
    source = SourceFactory(key="ric")
    cite_on("Dostum", "dostum")
    cite_on("Draft person", "draft-person", is_public=False)
    message = refusal(source)
    assert "Dostum" in message and "Draft person" not in message


def test_a_relation_with_an_unpublished_end_does_not_hold_it():
    source = SourceFactory(key="ric")
    relation_save(
        relation=MembershipFactory.build(
            actor=ActorFactory(), faction=FactionFactory(is_public=False), evidence=CITE
        ),
        user=None,
    )
    source_publish(source=source, user=None, publish=False)
    source.refresh_from_db()
    assert not source.is_public


def test_a_refusal_changes_nothing():
    source = SourceFactory(key="ric")
    cite_on("Dostum", "dostum")
    revisions = source.history.count()
    refusal(source)
    source.refresh_from_db()
    assert source.is_public
    assert source.history.count() == revisions


def test_once_the_named_pages_are_unpublished_the_source_can_be():
    source = SourceFactory(key="ric")
    page = cite_on("Dostum", "dostum")
    refusal(source)
    page_publish(page=page, user=None, publish=False)
    source_publish(source=source, user=None, publish=False)
    source.refresh_from_db()
    assert not source.is_public
    assert source.history.first().history_change_reason == "Unpublished"


def test_publishing_a_copy_loaded_before_an_edit_keeps_the_edit():
    source = SourceFactory(key="ric", is_public=False)
    seen_by_curator = Source.objects.get(pk=source.pk)
    editing = Source.objects.get(pk=source.pk)
    editing.text, editing.title = "A corrected text.", "A corrected title"
    source_save(source=editing, user=None, change_reason="Corrected")
    before = source.history.count()
    source_publish(source=seen_by_curator, user=None, publish=True)
    saved = Source.objects.get(pk=source.pk)
    assert (saved.is_public, saved.text, saved.title) == (
        True,
        "A corrected text.",
        "A corrected title",
    )
    assert source.history.count() == before + 1
    assert source.history.first().history_change_reason == "Published"


def test_unpublishing_what_is_already_unpublished_writes_no_revision():
    source = SourceFactory(key="ric", is_public=False)
    source_save(source=source, user=None)
    before = source.history.count()
    source_publish(source=Source.objects.get(pk=source.pk), user=None, publish=False)
    assert source.history.count() == before
