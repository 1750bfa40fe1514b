"""Curators delete a source that nothing cites; history keeps the record with the reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sources.models import Citation, Source
from sources.services import source_delete
from tests.factories import (
    ActorFactory,
    CitationFactory,
    MembershipFactory,
    SourceFactory,
    curator,
    editor,
)
from wiki.services import page_save, relation_save

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"


def delete_url(source):
    return reverse("sources:source-delete", args=[source.key])


def test_a_curator_is_asked_first(client):
    source = SourceFactory(key="ric")
    client.force_login(curator())
    response = client.get(delete_url(source))
    assert response.status_code == 200
    assert "Delete the source “ric”?" in response.content.decode()
    assert 'name="change_reason"' in response.content.decode()
    assert Source.objects.filter(key="ric").exists()


def test_a_curator_deletes_with_a_reason_history_keeps(client):
    source = SourceFactory(key="ric")
    CitationFactory(source=source)  # a passage no page uses any more goes with it
    user = curator()
    client.force_login(user)
    response = client.post(delete_url(source), {"change_reason": "A duplicate of ric-2"})
    assert response.status_code == 302
    assert response.url == reverse("sources:source-list")
    assert not Source.objects.filter(key="ric").exists()
    assert not Citation.objects.filter(source_id=source.pk).exists()
    record = Source.history.filter(id=source.pk).latest("history_id")
    assert record.history_type == "-"
    assert record.history_change_reason == "A duplicate of ric-2"
    assert record.history_user == user
    passage = Citation.history.filter(source_id=source.pk).latest("history_id")
    assert passage.history_type == "-"


def test_a_source_a_page_cites_is_not_deleted_and_the_page_is_named(client):
    source = SourceFactory(key="ric")
    actor = ActorFactory(title="Ahmad Shah Massoud")
    page_save(page=actor, body=f'He led it. [@ric "{QUOTE}"]', user=None)
    client.force_login(curator())
    response = client.post(delete_url(source), {"change_reason": "gone"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "cannot be deleted while it is cited" in content
    assert f'href="{actor.get_absolute_url()}"' in content
    assert "Ahmad Shah Massoud" in content
    assert Source.objects.filter(key="ric").exists()


def test_the_confirmation_names_what_cites_it_before_anything_is_posted(client):
    source = SourceFactory(key="ric")
    page_save(page=ActorFactory(title="Dostum"), body=f'A. [@ric "{QUOTE}"]', user=None)
    client.force_login(curator())
    content = client.get(delete_url(source)).content.decode()
    assert "Remove these citations first" in content
    assert "Dostum" in content
    assert 'name="change_reason"' not in content


def test_a_relation_citing_it_is_named_in_the_refusal():
    source = SourceFactory(key="sample-source")
    membership = MembershipFactory()
    relation_save(relation=membership, user=None)
    with pytest.raises(ValidationError, match="cannot be deleted while it is cited") as refusal:
        source_delete(source=source, user=curator())
    assert str(membership) in str(refusal.value)
    assert Source.objects.filter(pk=source.pk).exists()


def test_an_editor_may_not_delete(client):
    source = SourceFactory(key="ric")
    client.force_login(editor())
    assert client.get(delete_url(source)).status_code == 403
    assert client.post(delete_url(source)).status_code == 403
    assert Source.objects.filter(key="ric").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    source = SourceFactory(key="ric")
    response = client.post(delete_url(source))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Source.objects.filter(key="ric").exists()


def test_the_service_refuses_an_editor_whatever_the_view():
    source = SourceFactory(key="ric")
    with pytest.raises(PermissionDenied):
        source_delete(source=source, user=editor())


def test_the_viewer_offers_delete_to_curators_only(client):
    source = SourceFactory(key="ric")
    link = f'href="{delete_url(source)}"'
    client.force_login(editor())
    assert link not in client.get(source.get_absolute_url()).content.decode()
    client.force_login(curator())
    assert link in client.get(source.get_absolute_url()).content.decode()


def test_the_public_no_longer_finds_a_deleted_source(client):
    source = SourceFactory(key="ric")
    assert client.get(source.get_absolute_url()).status_code == 200  # cached for the public
    source_delete(source=source, user=curator(), change_reason="Withdrawn")
    assert client.get(source.get_absolute_url()).status_code == 404
