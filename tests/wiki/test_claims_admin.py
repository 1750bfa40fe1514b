"""Curators rank and correct a page's facts (claims) in the admin, through claim_save."""

import pytest
from django.urls import reverse

from tests.factories import FactionFactory, SourceFactory, curator
from wiki.models import Claim
from wiki.services import claim_save

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"


@pytest.fixture
def curator_client(client):
    client.force_login(curator())
    return client


@pytest.fixture
def claim():
    SourceFactory(key="ric")
    faction = FactionFactory(slug="na")
    return claim_save(
        claim=Claim(subject=faction, field="founded", value="1992", evidence=f'[@ric "{QUOTE}"]'),
        user=None,
    )


def change_url(claim):
    return reverse("admin:wiki_claim_change", args=[claim.pk])


def posted(claim, **changes):
    data = {
        "value": claim.value,
        "evidence": claim.evidence,
        "rank": claim.rank,
        "rank_reason": claim.rank_reason,
        "change_reason": "",
        "base_revision": claim.history.first().history_id,
    }
    return data | changes


def test_a_curator_ranks_a_value_with_a_reason_and_the_page_records_it(curator_client, claim):
    reason = "The report's own chronology"
    response = curator_client.post(
        change_url(claim), posted(claim, rank="preferred", rank_reason=reason)
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.rank, claim.rank_reason, claim.updated_by.username) == (
        "preferred",
        reason,
        "curator",
    )
    page = claim.subject
    assert reason in page.history.first().history_change_reason
    assert "preferred" in page.claim_list


def test_a_rank_without_a_reason_and_a_bad_value_are_form_errors(curator_client, claim):
    before = claim.history.count()
    response = curator_client.post(
        change_url(claim), posted(claim, value="sometime", rank="deprecated", rank_reason="")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"value", "rank_reason"}
    assert claim.history.count() == before


def test_a_quote_not_in_the_source_is_a_form_error(curator_client, claim):
    response = curator_client.post(
        change_url(claim), posted(claim, evidence='[@ric "words the report does not have"]')
    )
    assert response.status_code == 200
    assert "ric" in str(response.context["adminform"].form.errors["evidence"])


def test_values_are_added_on_the_page_not_in_the_admin(curator_client, claim):
    assert curator_client.get(reverse("admin:wiki_claim_add")).status_code == 403
    listed = curator_client.get(reverse("admin:wiki_claim_changelist"))
    assert listed.status_code == 200 and "Founded: 1992" in listed.content.decode()


def test_deleting_a_value_in_the_admin_derives_the_page_again(curator_client, claim):
    response = curator_client.post(
        reverse("admin:wiki_claim_delete", args=[claim.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()
    page = type(claim.subject).objects.get(pk=claim.object_id)
    assert (page.founded, page.fact_count) == ("", 0)
    assert claim.history.filter(history_type="-").exists()
