import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import (
    ActorFactory,
    EventFactory,
    FactionFactory,
    FactionRelationFactory,
    ParticipationFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["1997", "1992-04", "2021-08-15", "1997~", "1990/1992"])
def test_edtf_dates_are_accepted(value):
    actor = ActorFactory.build(born=value)
    actor.full_clean()


def test_an_unparseable_date_is_refused_with_the_expected_form():
    actor = ActorFactory.build(born="Aug 1998")
    with pytest.raises(ValidationError) as raised:
        actor.full_clean()
    message = raised.value.message_dict["born"][0]
    assert "Aug 1998" in message and "EDTF" in message


def test_saving_stores_date_bounds_for_sorting():
    event = EventFactory(start="1996-09", end="2001~")
    event.refresh_from_db()
    assert event.start_earliest == datetime.date(1996, 9, 1)
    assert event.start_latest == datetime.date(1996, 9, 30)
    assert event.end_earliest == datetime.date(2000, 1, 1)


def test_entries_sort_by_date_bounds():
    EventFactory(slug="late", start="2001-09-09")
    EventFactory(slug="early", start="1992-04")
    EventFactory(slug="middle", start="1996")
    from wiki.models import Event

    assert [e.slug for e in Event.objects.order_by("start_earliest")] == ["early", "middle", "late"]


def test_slugs_are_unique_in_the_database():
    ActorFactory(slug="massoud")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActorFactory(slug="massoud")


def test_source_keys_are_unique_in_the_database():
    from sources.models import Source

    SourceFactory(key="ric-1999")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(key="ric-1999", title="Another")


def test_source_key_must_be_a_slug():
    source = SourceFactory.build(key="Has Spaces")
    with pytest.raises(ValidationError) as raised:
        source.full_clean()
    assert "key" in raised.value.message_dict


def test_a_participation_names_exactly_one_participant():
    event, actor, faction = EventFactory(), ActorFactory(), FactionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(event=event, actor=actor, faction=faction)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(event=event, actor=None, faction=None)


def test_a_participation_with_two_participants_fails_validation_with_a_message():
    participation = ParticipationFactory.build(
        event=EventFactory(), actor=ActorFactory(), faction=FactionFactory()
    )
    with pytest.raises(ValidationError) as raised:
        participation.full_clean()
    assert "exactly one participant" in str(raised.value)


def test_a_faction_cannot_be_related_to_itself():
    faction = FactionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        FactionRelationFactory(faction=faction, other=faction)


def test_event_coordinates_are_range_checked():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(latitude=95)


def test_published_and_visible_to():
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import editor
    from wiki.models import Actor

    ActorFactory(slug="public", is_public=True)
    ActorFactory(slug="draft", is_public=False)
    assert list(Actor.objects.visible_to(AnonymousUser()).values_list("slug", flat=True)) == [
        "public"
    ]
    assert Actor.objects.visible_to(editor()).count() == 2
