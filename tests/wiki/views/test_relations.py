"""Editing a relation from a form opened a while ago: merged with what was saved since, or
shown again with the other save's values and the editor's own, never applied over them."""

import pytest
from django.urls import reverse

from tests.factories import ActorFactory, FactionFactory, SourceFactory, curator
from wiki.models import Membership
from wiki.services import relation_save

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"


@pytest.fixture
def membership():
    SourceFactory(key="src")
    built = Membership(
        actor=ActorFactory(slug="massoud"),
        faction=FactionFactory(slug="jamiat"),
        role="member",
        start="1990",
        evidence=f'[@src "{QUOTE}"]',
    )
    return relation_save(relation=built, user=None)


def edit_url(membership):
    return reverse("wiki:relation-edit", args=["membership", membership.pk])


def opened(browser, membership) -> dict:
    """The form as the browser holds it once opened: what it posts back."""
    form = browser.get(edit_url(membership)).context["form"]
    return {name: form[name].value() or "" for name in form.fields} | {
        "actor": "massoud",
        "faction": "jamiat",
    }


def saved_meanwhile(membership, **values):
    other = Membership.objects.get(pk=membership.pk)
    for name, value in values.items():
        setattr(other, name, value)
    relation_save(relation=other, user=curator(), change_reason="Meanwhile")


def test_the_form_carries_the_revision_it_was_opened_at(editor_client, membership):
    data = opened(editor_client, membership)
    assert data["base_revision"] == membership.history.first().history_id
    html = editor_client.get(edit_url(membership)).content.decode()
    assert 'name="base_revision"' in html


def test_edits_of_different_fields_are_merged_and_said_so(editor_client, membership):
    data = opened(editor_client, membership)
    saved_meanwhile(membership, start="1992")
    response = editor_client.post(edit_url(membership), data | {"end": "2001"}, follow=True)
    now = Membership.objects.get(pk=membership.pk)
    assert (now.start, now.end) == ("1992", "2001")
    messages = [str(message) for message in response.context["messages"]]
    assert any("merged" in message for message in messages)


def test_edits_of_one_field_are_refused_keeping_the_editors_value(editor_client, membership):
    data = opened(editor_client, membership)
    saved_meanwhile(membership, role="leader")
    before = membership.history.count()
    response = editor_client.post(edit_url(membership), data | {"role": "commander"})
    assert response.status_code == 409
    (error,) = response.context["form"].non_field_errors()
    assert "Nothing was saved" in error and "Role now reads “leader”" in error
    assert response.context["form"]["role"].value() == "commander"
    assert (membership.history.count(), Membership.objects.get().role) == (before, "leader")
    # Saved again, from the revision now shown, the editor's value goes over theirs.
    again = {**data, "role": "commander"}
    again["base_revision"] = response.context["form"]["base_revision"].value()
    assert editor_client.post(edit_url(membership), again).status_code == 302
    assert Membership.objects.get().role == "commander"


def test_a_stale_form_changing_nothing_saves_nothing(editor_client, membership):
    data = opened(editor_client, membership)
    saved_meanwhile(membership, start="1992")
    before = membership.history.count()
    assert editor_client.post(edit_url(membership), data).status_code == 302
    assert (Membership.objects.get().start, membership.history.count()) == ("1992", before)
