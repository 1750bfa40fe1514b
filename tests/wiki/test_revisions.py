"""Every model is versioned: one edit, one history row, with the acting user, reason and tags."""

import pytest

from sources.services import source_save
from tests.factories import (
    ActorFactory,
    MembershipFactory,
    SourceFactory,
    editor,
)
from wiki.services import page_save, relation_save

pytestmark = pytest.mark.django_db


def test_one_page_edit_with_tags_writes_exactly_one_history_row():
    actor = ActorFactory(title="Ahmad Shah Massoud")
    before = actor.history.count()
    page_save(page=actor, body="New text.", user=editor(), change_reason="Rewrite", tags=["jamiat"])
    assert actor.history.count() == before + 1


def test_history_row_records_user_reason_and_tags():
    user = editor()
    actor = ActorFactory()
    page_save(page=actor, user=user, change_reason="Tagging", tags=["Commander", "panjshir"])
    latest = actor.history.first()
    assert latest.history_user == user
    assert latest.history_change_reason == "Tagging"
    assert latest.tag_list == "commander, panjshir"
    assert sorted(actor.tags.names()) == ["Commander", "panjshir"]


def test_a_tag_change_appears_in_the_history_diff():
    actor = ActorFactory()
    page_save(page=actor, user=None, tags=["jamiat"])
    page_save(page=actor, user=None, tags=["jamiat", "panjshir"])
    new, old = actor.history.all()[:2]
    changes = {change.field: (change.old, change.new) for change in new.diff_against(old).changes}
    assert changes == {"tag_list": ("jamiat", "jamiat, panjshir")}


def test_an_old_revision_keeps_its_own_tags():
    actor = ActorFactory()
    page_save(page=actor, user=None, tags=["first"])
    page_save(page=actor, user=None, tags=["second"])
    assert actor.history.last().tag_list in ("", "first")
    assert actor.history.all()[1].tag_list == "first"


def test_one_source_edit_with_tags_writes_exactly_one_history_row():
    source = SourceFactory()
    before = source.history.count()
    source.title = "Renamed"
    source_save(source=source, user=editor(), change_reason="Title", tags=["uscis"])
    assert source.history.count() == before + 1
    assert source.history.first().tag_list == "uscis"


def test_relation_save_writes_one_history_row_with_reason():
    membership = MembershipFactory()
    before = membership.history.count()
    membership.role = "leader"
    relation_save(relation=membership, user=editor(), change_reason="Role from the RIC report")
    assert membership.history.count() == before + 1
    assert membership.history.first().history_change_reason == "Role from the RIC report"


def test_reverting_an_old_revision_records_a_new_row():
    actor = ActorFactory(summary="First")
    page_save(page=actor, user=None)
    actor.summary = "Second"
    page_save(page=actor, user=None)
    count = actor.history.count()
    actor.history.last().instance.save()
    actor.refresh_from_db()
    assert actor.summary == "First"
    assert actor.history.count() == count + 1
