"""Grading and protection in the curators' admin: the source's reliability and protection, a
passage's credibility (through the grading service, with its base revision)."""

import pytest
from django.contrib.messages import get_messages

from sources.common.history.merging import latest_history_id
from sources.models import Citation, Source
from sources.services import citation_grade
from tests.factories import CitationFactory, SourceFactory, curator
from tests.sources.test_admin import admin_url, source_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client):
    client.force_login(curator())
    return client


def test_the_source_change_form_sets_reliability_and_protection(curator_client):
    source = SourceFactory(key="inside", is_public=False)
    data = source_form(source, reliability="D", reliability_reason="Self-serving account")
    data |= {"is_protected": "on", "base_revision": latest_history_id(source) or ""}
    response = curator_client.post(admin_url("source", "change", source.pk), data)
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.reliability, source.is_protected) == ("D", True)
    assert source.history.first().reliability_reason == "Self-serving account"


@pytest.mark.parametrize("published", ["on", ""])
def test_a_published_source_is_not_protected_in_the_admin(curator_client, published):
    source = SourceFactory(key="ric")
    data = source_form(source, is_public=published, is_protected="on")
    response = curator_client.post(admin_url("source", "change", source.pk), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["is_protected"]
    assert "a curator must unpublish it before it can be protected" in errors[0]
    source.refresh_from_db()
    assert source.is_public and not source.is_protected


def test_the_publish_action_refuses_a_protected_source(curator_client):
    source = SourceFactory(key="inside", is_public=False, is_protected=True)
    response = curator_client.post(
        admin_url("source", "changelist"), {"action": "publish", "_selected_action": [source.pk]}
    )
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("“inside” is protected" in message for message in messages)
    assert not Source.objects.get(key="inside").is_public


def test_a_curator_grades_a_passage_in_the_citation_admin(curator_client):
    citation = CitationFactory()
    data = {"credibility": "3", "change_reason": "Doubtful", "base_revision": ""}
    data["base_revision"] = latest_history_id(citation)
    response = curator_client.post(admin_url("citation", "change", citation.pk), data)
    assert response.status_code == 302
    citation.refresh_from_db()
    record = citation.history.first()
    assert citation.credibility == 3 and citation.history.count() == 2
    assert record.history_change_reason == "Doubtful" and record.history_user.username == "curator"


def test_a_stale_citation_admin_form_is_refused_then_saved_again_on_purpose(curator_client):
    citation = CitationFactory()
    base = latest_history_id(citation)
    citation_grade(citation=citation, credibility=1, user=None)
    url = admin_url("citation", "change", citation.pk)
    response = curator_client.post(url, {"credibility": "5", "base_revision": base})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Someone graded this passage after you opened it" in form.errors["credibility"][0]
    assert Citation.objects.get(pk=citation.pk).credibility == 1
    again = {"credibility": "5", "base_revision": form.data["base_revision"]}
    assert curator_client.post(url, again).status_code == 302
    assert Citation.objects.get(pk=citation.pk).credibility == 5


def test_the_lists_show_and_filter_by_grades(curator_client):
    citation = CitationFactory(source=SourceFactory(key="ric", reliability="B"), credibility=2)
    sources = curator_client.get(admin_url("source", "changelist"), {"reliability": "B"})
    assert "ric" in sources.content.decode()
    passages = curator_client.get(admin_url("citation", "changelist"), {"credibility": "2"})
    assert citation.quote[:40] in passages.content.decode() and ">B2<" in passages.content.decode()
