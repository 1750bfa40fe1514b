"""Relations are ranked as facts are: by curators, with a reason the page shows beside them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import ActorFactory, FactionFactory, SourceFactory, curator, editor
from wiki.models import Membership
from wiki.services import relation_save

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"


@pytest.fixture
def membership():
    SourceFactory(key="src")
    built = Membership(
        actor=ActorFactory(slug="massoud"),
        faction=FactionFactory(slug="jamiat", title="Jamiat"),
        role="member",
        evidence=f'[@src "{QUOTE}"]',
    )
    return relation_save(relation=built, user=None)


def edit_url(membership):
    return reverse("wiki:relation-edit", args=["membership", membership.pk])


def posted(client, membership, **changes):
    form = client.get(edit_url(membership)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    return client.post(
        edit_url(membership), data | {"actor": "massoud", "faction": "jamiat"} | changes
    )


def test_only_the_curators_form_offers_the_rank(editor_client, curator_client, membership):
    assert "rank" not in editor_client.get(edit_url(membership)).context["form"].fields
    assert "rank" in curator_client.get(edit_url(membership)).context["form"].fields


def test_an_editor_posting_a_rank_changes_nothing_of_it(editor_client, membership):
    response = posted(editor_client, membership, rank="deprecated", rank_reason="Because")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.rank, membership.rank_reason) == ("normal", "")


def test_a_curator_deprecates_a_relation_with_a_reason_the_page_shows(curator_client, membership):
    reason = "The report confuses him with his brother."
    response = posted(curator_client, membership, rank="deprecated", rank_reason=reason)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.rank, membership.rank_reason) == ("deprecated", reason)
    html = curator_client.get(membership.actor.get_absolute_url()).content.decode()
    assert 'class="relation relation--deprecated"' in html
    assert f"Deprecated: {reason}" in html and "<del>Member</del>" in html


def test_a_rank_without_a_reason_is_a_form_error(curator_client, membership):
    response = posted(curator_client, membership, rank="preferred", rank_reason="")
    assert response.status_code == 200 and "rank_reason" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.rank == "normal"


def test_relation_save_refuses_an_editors_ranking_and_a_rank_without_reason(membership):
    membership.rank, membership.rank_reason = "preferred", "Two sources agree."
    with pytest.raises(PermissionDenied):
        relation_save(relation=membership, user=editor())
    membership.rank_reason = ""
    with pytest.raises(ValidationError) as refusal:
        relation_save(relation=membership, user=curator())
    assert "rank_reason" in refusal.value.message_dict
    assert Membership.objects.get(pk=membership.pk).rank == "normal"
