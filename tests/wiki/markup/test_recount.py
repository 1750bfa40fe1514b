"""Pages saved under the earlier rule are counted again when the database is migrated."""

import importlib

import pytest
from django.apps import apps

from tests.factories import ActorFactory, EventFactory
from wiki.models import Actor, Event

pytestmark = pytest.mark.django_db

recount = importlib.import_module("wiki.migrations.0007_recount_statements").recount


def test_the_migration_counts_stored_pages_under_the_stricter_rule():
    # As page_save stored them before: the last citation sourced the whole paragraph.
    stale = ActorFactory(body='One. Two. [@a "the first passage"]', sentence_count=2)
    stale.sourced_count, stale.coverage = 2, 1.0
    stale.save()
    before_rule = EventFactory(body='Saved before the passage rule. [@a "Kabul"]', sentence_count=1)
    before_rule.sourced_count, before_rule.coverage = 1, 1.0
    before_rule.save()
    history = Actor.history.count()
    recount(apps, None)
    stale = Actor.objects.get(pk=stale.pk)
    assert (stale.sentence_count, stale.sourced_count, stale.coverage) == (2, 1, 0.5)
    event = Event.objects.get(pk=before_rule.pk)
    assert (event.sentence_count, event.sourced_count) == (1, 1)
    assert Actor.history.count() == history  # derived counts only: no revision
