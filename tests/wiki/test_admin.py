"""The curators' admin for pages and relations: saves go through the services, one revision each."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sources.models import Citation, CitationUse, Mention
from sources.services import source_save
from tests.factories import (
    ActorFactory,
    EventFactory,
    FactionFactory,
    FactionRelationFactory,
    MembershipFactory,
    ParticipationFactory,
    SourceFactory,
    UserFactory,
    curator,
    editor,
)
from wiki.benchmarks.browser import form_with
from wiki.models import Actor, Membership
from wiki.services import page_lock, page_publish, page_save, publish_blockers, relation_save

pytestmark = pytest.mark.django_db

GOOD_EVIDENCE = '[@sample-source "the Northern Alliance was established"]'
BAD_EVIDENCE = '[@sample-source "the Northern Alliance was dissolved in Paris"]'


@pytest.fixture
def curator_client(client):
    client.force_login(curator())
    return client


def admin_url(model_name, view, *args):
    return reverse(f"admin:wiki_{model_name}_{view}", args=args)


def management_form(prefix, total=0, initial=0):
    """The hidden fields an inline formset posts."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def actor_form(actor, **changes):
    """The actor change form as a curator posts it, with no inline rows."""
    data = {
        "title": actor.title,
        "slug": actor.slug,
        "aliases": actor.aliases,
        "summary": actor.summary,
        "body": actor.body,
        "tags": ", ".join(sorted(actor.tags.names())),
        "is_public": "on" if actor.is_public else "",
        "change_reason": "",
        **management_form("memberships"),
        **management_form("participations"),
    }
    return {**data, **changes}


def membership_form(membership, **changes):
    data = {
        "actor": membership.actor_id,
        "faction": membership.faction_id,
        "role": membership.role,
        "start": membership.start,
        "end": membership.end,
        "evidence": membership.evidence,
        "rank": membership.rank,
        "rank_reason": membership.rank_reason,
        "change_reason": "",
    }
    return {**data, **changes}


def one_of_each():
    """One object of every wiki model, keyed by admin model name."""
    membership = MembershipFactory()
    return {
        "actor": membership.actor,
        "faction": membership.faction,
        "event": EventFactory(),
        "membership": membership,
        "factionrelation": FactionRelationFactory(),
        "participation": ParticipationFactory(),
    }


MODEL_NAMES = ["actor", "faction", "event", "membership", "factionrelation", "participation"]


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_curator_opens_change_list_add_change_and_history_pages(curator_client, model_name):
    obj = one_of_each()[model_name]
    for url in (
        admin_url(model_name, "changelist"),
        admin_url(model_name, "add"),
        admin_url(model_name, "change", obj.pk),
        admin_url(model_name, "history", obj.pk),
    ):
        assert curator_client.get(url).status_code == 200, url


def _build_rows(model_name, count):
    user = UserFactory()
    for i in range(count):
        tags = ["common", f"tag-{model_name}-{i}"]
        if model_name == "actor":
            ActorFactory(tags=tags, updated_by=user, born=f"{1900 + i * 3}")
        elif model_name == "faction":
            FactionFactory(tags=tags, updated_by=user, founded=f"{1900 + i * 3}")
        elif model_name == "event":
            EventFactory(tags=tags, updated_by=user, start=f"{1900 + i * 3}")
        elif model_name == "membership":
            MembershipFactory(updated_by=user, start=f"{1900 + i * 3}")
        elif model_name == "factionrelation":
            FactionRelationFactory(updated_by=user)
        elif i % 2:  # participations by actors and by factions
            ParticipationFactory(actor=None, faction=FactionFactory())
        else:
            ParticipationFactory()


def _change_list_queries(client, url, rows):
    client.get(url)  # warm the per-process caches (content types) out of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows
    return len(queries)


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_change_list_query_count_does_not_grow_with_rows(curator_client, model_name):
    url = admin_url(model_name, "changelist")
    _build_rows(model_name, 2)
    with_two = _change_list_queries(curator_client, url, 2)
    _build_rows(model_name, 18)
    assert _change_list_queries(curator_client, url, 20) == with_two


def test_saving_an_actor_with_new_tags_writes_one_history_row_holding_the_tags(curator_client):
    actor = ActorFactory(title="Ahmad Shah Massoud")
    before = actor.history.count()
    data = actor_form(actor, tags="Panjshir, jamiat", change_reason="Tagged")
    response = curator_client.post(admin_url("actor", "change", actor.pk), data)
    assert response.status_code == 302
    assert actor.history.count() == before + 1
    latest = actor.history.first()
    assert latest.tag_list == "jamiat, panjshir"
    assert latest.history_change_reason == "Tagged"
    assert latest.history_user.username == "curator"
    assert sorted(actor.tags.names()) == ["Panjshir", "jamiat"]


def test_adding_an_actor_writes_one_history_row_with_its_tags_and_creator(curator_client):
    data = {
        "title": "Abdul Rashid Dostum",
        "slug": "dostum",
        "tags": "jumbish",
        **management_form("memberships"),
        **management_form("participations"),
    }
    response = curator_client.post(admin_url("actor", "add"), data)
    assert response.status_code == 302
    actor = Actor.objects.get(slug="dostum")
    assert actor.created_by.username == "curator"
    assert [row.tag_list for row in actor.history.all()] == ["jumbish"]


def test_history_page_shows_the_tag_change(curator_client):
    actor = ActorFactory()
    page_save(page=actor, user=None, tags=["jamiat"])
    curator_client.post(
        admin_url("actor", "change", actor.pk), actor_form(actor, tags="jamiat, panjshir")
    )
    content = curator_client.get(admin_url("actor", "history", actor.pk)).content.decode()
    assert "Tags (as saved)" in content
    assert "jamiat, panjshir" in content


def test_reverting_an_actor_restores_that_revisions_tags_in_one_new_row(curator_client):
    actor = ActorFactory()
    page_save(page=actor, user=None, tags=["first"])
    old = actor.history.first()
    page_save(page=actor, user=None, tags=["second"])
    url = reverse("admin:wiki_actor_simple_history", args=[actor.pk, old.history_id])
    form = curator_client.get(url).context["adminform"].form
    assert [tag.name for tag in form.initial["tags"]] == ["first"]
    before = actor.history.count()
    data = actor_form(actor, tags="first", change_reason=form.initial["change_reason"])
    assert curator_client.post(url, data).status_code == 302
    assert actor.history.count() == before + 1
    assert actor.history.first().tag_list == "first"
    assert actor.history.first().history_change_reason.startswith("Revert to the revision of")
    assert list(actor.tags.names()) == ["first"]


def test_a_body_quote_absent_from_its_source_is_a_form_error_and_saves_nothing(curator_client):
    SourceFactory(key="ric-1999")
    actor = ActorFactory(body="Old body.")
    before = actor.history.count()
    body = 'He led Jamiat. [@ric-1999 "head of the Taliban"]'
    response = curator_client.post(
        admin_url("actor", "change", actor.pk), actor_form(actor, body=body)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert any("ric-1999" in error and "head of the Taliban" in error for error in errors)
    actor.refresh_from_db()
    assert actor.body == "Old body."
    assert actor.history.count() == before
    assert not Citation.objects.exists()


def test_a_relation_quote_absent_from_the_source_is_a_form_error_and_changes_nothing(
    curator_client,
):
    membership = MembershipFactory()
    before = membership.history.count()
    response = curator_client.post(
        admin_url("membership", "change", membership.pk),
        membership_form(membership, evidence=BAD_EVIDENCE, role="leader"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["evidence"]
    assert any("sample-source" in error and "Closest passage" in error for error in errors)
    membership.refresh_from_db()
    assert (membership.evidence, membership.role) == (GOOD_EVIDENCE, "member")
    assert membership.history.count() == before
    assert not Citation.objects.exists()


def test_saving_a_relation_records_the_curator_reason_and_its_citations(curator_client):
    membership = MembershipFactory()
    response = curator_client.post(
        admin_url("membership", "change", membership.pk),
        membership_form(membership, role="leader", change_reason="Promoted"),
    )
    assert response.status_code == 302
    latest = membership.history.first()
    assert (latest.role, latest.history_change_reason) == ("leader", "Promoted")
    assert latest.updated_by.username == "curator"
    assert [use.citation.quote for use in membership.citation_uses.all()] == [
        "the Northern Alliance was established"
    ]


def test_an_inline_membership_is_saved_through_relation_save(curator_client):
    actor, faction = ActorFactory(), FactionFactory()
    SourceFactory(key="sample-source")
    data = actor_form(
        actor,
        **management_form("memberships", total=1),
        **{
            "memberships-0-faction": faction.pk,
            "memberships-0-role": "commander",
            "memberships-0-start": "1992",
            "memberships-0-evidence": GOOD_EVIDENCE,
        },
    )
    response = curator_client.post(admin_url("actor", "change", actor.pk), data)
    assert response.status_code == 302
    membership = Membership.objects.get(actor=actor, faction=faction)
    assert membership.created_by.username == "curator"
    assert membership.history.count() == 1
    assert membership.citation_uses.count() == 1


def test_an_inline_membership_with_a_missing_quote_is_refused_and_nothing_saved(curator_client):
    actor, faction = ActorFactory(), FactionFactory()
    SourceFactory(key="sample-source")
    before = actor.history.count()
    data = actor_form(
        actor,
        title="Renamed",
        **management_form("memberships", total=1),
        **{
            "memberships-0-faction": faction.pk,
            "memberships-0-role": "member",
            "memberships-0-evidence": BAD_EVIDENCE,
        },
    )
    response = curator_client.post(admin_url("actor", "change", actor.pk), data)
    assert response.status_code == 200
    inline_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert any("sample-source" in error for error in inline_form.errors["evidence"])
    actor.refresh_from_db()
    assert actor.title != "Renamed"
    assert actor.history.count() == before
    assert not Membership.objects.exists()


def test_deleting_an_inline_membership_records_the_deletion_in_history(curator_client):
    membership = MembershipFactory()
    actor = membership.actor
    data = actor_form(
        actor,
        change_reason="Duplicate",
        **management_form("memberships", total=1, initial=1),
        **{
            "memberships-0-id": membership.pk,
            "memberships-0-actor": actor.pk,
            "memberships-0-faction": membership.faction_id,
            "memberships-0-role": membership.role,
            "memberships-0-evidence": membership.evidence,
            "memberships-0-DELETE": "on",
        },
    )
    assert curator_client.post(admin_url("actor", "change", actor.pk), data).status_code == 302
    assert not Membership.objects.exists()
    deletion = Membership.history.filter(id=membership.pk).first()
    assert (deletion.history_type, deletion.history_change_reason) == ("-", "Duplicate")


def test_publish_action_publishes_with_one_history_row_each_and_a_reason(curator_client):
    drafts = [ActorFactory(is_public=False), ActorFactory(is_public=False)]
    already = ActorFactory(is_public=True)
    before = {actor.pk: actor.history.count() for actor in [*drafts, already]}
    response = curator_client.post(
        admin_url("actor", "changelist"),
        {"action": "publish", "_selected_action": [actor.pk for actor in [*drafts, already]]},
        follow=True,
    )
    assert "Published 2 actors." in response.content.decode()
    for actor in drafts:
        actor.refresh_from_db()
        assert actor.is_public
        assert actor.history.count() == before[actor.pk] + 1
        latest = actor.history.first()
        assert (latest.history_change_reason, latest.history_user.username) == (
            "Published",
            "curator",
        )
    assert already.history.count() == before[already.pk]


def test_unpublish_and_lock_actions_record_their_reason(curator_client):
    event = EventFactory(is_public=True)
    url = admin_url("event", "changelist")
    curator_client.post(url, {"action": "unpublish", "_selected_action": [event.pk]})
    curator_client.post(url, {"action": "lock", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert (event.is_public, event.is_locked) == (False, True)
    reasons = [row.history_change_reason for row in event.history.all()[:2]]
    assert reasons == ["Locked", "Unpublished"]


def test_publish_action_reports_a_page_whose_citations_no_longer_hold(curator_client):
    source = SourceFactory(key="ric-1999")
    actor = ActorFactory(is_public=False)
    page_save(page=actor, body='X. [@ric-1999 "led by President Najibullah"]', user=None)
    source.text = "A text that was corrected."
    source_save(source=source, user=None)  # the passage is orphaned
    response = curator_client.post(
        admin_url("actor", "changelist"),
        {"action": "publish", "_selected_action": [actor.pk]},
        follow=True,
    )
    assert "Not published" in response.content.decode()
    actor.refresh_from_db()
    assert not actor.is_public


def test_staff_outside_the_curators_group_is_not_offered_publishing_or_locking(client):
    client.force_login(UserFactory(username="staffer", is_staff=True, groups=["Editors"]))
    response = client.get(admin_url("actor", "changelist"))
    assert response.status_code == 200
    offered = response.context["cl"].model_admin.get_actions(response.wsgi_request)
    assert not {"publish", "unpublish", "lock", "unlock"} & set(offered)


def test_tag_filter_offers_this_models_tags_and_filters_by_them(curator_client):
    ActorFactory(title="Massoud", tags=["jamiat"])
    ActorFactory(title="Dostum", tags=["jumbish"])
    FactionFactory(tags=["faction-only"])
    response = curator_client.get(admin_url("actor", "changelist"))
    tag_filter = next(spec for spec in response.context["cl"].filter_specs if spec.title == "tag")
    assert [name for _, name in tag_filter.lookup_choices] == ["jamiat", "jumbish"]
    response = curator_client.get(admin_url("actor", "changelist") + "?tag=jamiat")
    assert [actor.title for actor in response.context["cl"].result_list] == ["Massoud"]


def test_decade_filter_selects_events_by_their_earliest_start(curator_client):
    EventFactory(title="Jalalabad", start="1989-03")
    EventFactory(title="Kabul", start="1996~")
    response = curator_client.get(admin_url("event", "changelist") + "?start_earliest_decade=1990")
    assert [event.title for event in response.context["cl"].result_list] == ["Kabul"]


def test_an_editor_who_is_not_staff_is_sent_to_the_admin_login(client):
    client.force_login(editor())
    response = client.get(admin_url("actor", "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("bulk", [False, True])
def test_deleting_a_page_in_the_admin_forgets_its_derived_rows(curator_client, bulk):
    from django.contrib.contenttypes.models import ContentType

    from wiki.models import Name, PageLink, SearchDocument

    SourceFactory(key="ric")
    actor = page_save(
        page=ActorFactory(slug="gone", title="Gone Person", aliases="Gone"),
        body='Was here. [@ric "led by President Najibullah"] See [[Elsewhere]].',
        user=None,
    )
    of_actor = {"content_type": ContentType.objects.get_for_model(Actor), "object_id": actor.pk}
    assert Name.objects.filter(**of_actor).exists() and PageLink.objects.filter(**of_actor).exists()
    if bulk:
        data = {"action": "delete_selected", "_selected_action": [actor.pk], "post": "yes"}
        response = curator_client.post(admin_url("actor", "changelist"), data)
    else:
        response = curator_client.post(admin_url("actor", "delete", actor.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Actor.objects.filter(pk=actor.pk).exists()
    for derived in (Name, PageLink, CitationUse, Mention, SearchDocument):
        assert not derived.objects.filter(**of_actor).exists(), derived.__name__
    assert actor.history.first().history_type == "-"


# ---------------------------------------------------------------------------------------------
# Publishing in the admin follows the site's rules


SOURCED = 'The alliance was formed. [@ric "the Northern Alliance was established"]'
FACTORIES = {"actor": ActorFactory, "faction": FactionFactory, "event": EventFactory}


def draft(model_name, body):
    return page_save(page=FACTORIES[model_name](is_public=False), body=body, user=None)


def action_messages(client, model_name, action, pages):
    data = {"action": action, "_selected_action": [page.pk for page in pages]}
    response = client.post(admin_url(model_name, "changelist"), data)
    assert response.status_code == 302
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def refusal_for(page, said):
    """The one error message that names page."""
    (message,) = [text for level, text in said if level == "error" and f"“{page}”" in text]
    return message


@pytest.mark.parametrize("model_name", ["actor", "faction", "event"])
def test_publish_action_refuses_what_the_site_refuses_and_publishes_the_rest(
    curator_client, model_name
):
    SourceFactory(key="ric")
    SourceFactory(key="unpublished", is_public=False)
    ready = draft(model_name, SOURCED)
    gappy = draft(model_name, f"{SOURCED} Nobody knows why it was formed.")
    private = draft(model_name, SOURCED.replace("@ric", "@unpublished"))
    said = action_messages(curator_client, model_name, "publish", [ready, gappy, private])
    assert ("info", f"Published 1 {model_name}.") in said
    for page in (ready, gappy, private):
        page.refresh_from_db()
    assert (ready.is_public, gappy.is_public, private.is_public) == (True, False, False)
    assert ready.history.first().history_change_reason == "Published"
    gap = refusal_for(gappy, said)
    assert gap.startswith(f"Not published “{gappy}”: This page cannot be published yet.")
    assert "1 statement(s) have no citation (50 % sourced)" in gap
    assert "The cited source “unpublished” is not published." in refusal_for(private, said)


def test_publish_action_names_every_blocker_of_each_page(curator_client):
    SourceFactory(key="ric")
    SourceFactory(key="unpublished", is_public=False)
    whole = draft("actor", "The alliance was formed. [@ric]")
    orphaned = draft("actor", 'He led it. [@ric "head of the Jamiat-e Islami Party"]')
    everything = draft(
        "actor",
        'He led it. [@ric "head of the Jamiat-e Islami Party"] It grew. [@ric] '
        'It split. [@unpublished "the Northern Alliance was established"] Nobody knows why.',
    )
    Citation.objects.filter(quote__startswith="head of").update(status=Citation.Status.ORPHANED)
    pages = [whole, orphaned, everything]
    blockers = {page.pk: publish_blockers(page) for page in pages}
    assert all(blockers.values())
    said = action_messages(curator_client, "actor", "publish", pages)
    assert ("info", "Published 0 actors.") in said
    for page in pages:
        page.refresh_from_db()
        assert not page.is_public
        assert page.history.first().history_change_reason != "Published"
        message = refusal_for(page, said)
        assert all(reason in message for reason in blockers[page.pk]), message
    assert len(blockers[everything.pk]) == 4
    assert "names the whole document" in refusal_for(whole, said)
    assert "is no longer in its text" in refusal_for(orphaned, said)


def test_the_change_forms_published_box_obeys_the_publishing_rules(curator_client):
    SourceFactory(key="ric")
    ready = draft("actor", SOURCED)
    gappy = draft("actor", "Nobody knows why.")
    before = gappy.history.count()
    for page in (ready, gappy):
        data = actor_form(page, is_public="on", summary="Edited in the admin.")
        response = curator_client.post(admin_url("actor", "change", page.pk), data)
        assert response.status_code == 302
        page.refresh_from_db()
        assert page.summary == "Edited in the admin."  # the edit is saved either way
    said = [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]
    assert "no citation" in refusal_for(gappy, said)
    assert (ready.is_public, gappy.is_public) == (True, False)
    assert [row.history_change_reason for row in ready.history.all()[:2]] == ["Published", ""]
    assert gappy.history.count() == before + 1  # the edit, no publication


def test_a_page_added_as_published_is_published_only_if_nothing_blocks_it(curator_client):
    data = {
        "title": "Nobody",
        "slug": "nobody",
        "body": "An unsourced sentence.",
        "is_public": "on",
        **management_form("memberships"),
        **management_form("participations"),
    }
    assert curator_client.post(admin_url("actor", "add"), data).status_code == 302
    assert not Actor.objects.get(slug="nobody").is_public


def test_reverting_to_a_published_revision_does_not_republish_a_blocked_page(curator_client):
    actor = page_save(page=ActorFactory(is_public=True), body="Nobody knows why.", user=None)
    published = actor.history.first()
    actor.is_public = False
    page_save(page=actor, user=None, change_reason="Unpublished")
    url = reverse("admin:wiki_actor_simple_history", args=[actor.pk, published.history_id])
    form = curator_client.get(url).context["adminform"].form
    assert form.initial["is_public"]
    data = actor_form(actor, is_public="on", change_reason=form.initial["change_reason"])
    response = curator_client.post(url, data)
    assert response.status_code == 302
    actor.refresh_from_db()
    assert not actor.is_public
    said = [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]
    assert "no citation" in refusal_for(actor, said)


# ---------------------------------------------------------------------------------------------
# A change form opened a while ago: merged with what was saved since, never applied over it

STALE_BODY = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


def opened(client, url, **changes) -> dict:
    """The change form as the curator's browser holds it once opened, as it would post it."""
    form = form_with(client.get(url).content.decode(), "change_reason")
    data = {}
    for name, value in form.data(**changes, _save="Save"):
        data.setdefault(name, []).append(value)
    return data


def test_the_change_form_carries_the_revision_it_was_opened_at(curator_client):
    actor = page_save(page=ActorFactory(), body=STALE_BODY, user=None)
    data = opened(curator_client, admin_url("actor", "change", actor.pk))
    assert data["base_revision"] == [str(actor.history.first().history_id)]


def test_a_stale_change_form_keeps_the_edits_saved_since(curator_client):
    actor = page_save(page=ActorFactory(summary="Old"), body=STALE_BODY, user=None)
    data = opened(curator_client, admin_url("actor", "change", actor.pk), summary="Curated")
    edited = Actor.objects.get(pk=actor.pk)
    page_save(page=edited, body=STALE_BODY.replace("Third", "Edited third"), user=editor())
    response = curator_client.post(admin_url("actor", "change", actor.pk), data)
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.body == STALE_BODY.replace("Third", "Edited third")
    assert actor.summary == "Curated"


def test_a_stale_change_form_does_not_undo_a_publication_or_a_lock(curator_client):
    SourceFactory(key="ric")
    actor = page_save(page=ActorFactory(is_public=False), body=SOURCED, user=None)
    data = opened(curator_client, admin_url("actor", "change", actor.pk), summary="Curated")
    page_publish(page=Actor.objects.get(pk=actor.pk), user=curator())
    page_lock(page=Actor.objects.get(pk=actor.pk), user=curator(), reason="Checked")
    assert curator_client.post(admin_url("actor", "change", actor.pk), data).status_code == 302
    actor.refresh_from_db()
    assert (actor.summary, actor.is_public, actor.is_locked) == ("Curated", True, True)


def test_a_change_form_both_changed_is_refused_keeping_the_curators_values(curator_client):
    actor = page_save(page=ActorFactory(summary="Old"), body=STALE_BODY, user=None)
    url = admin_url("actor", "change", actor.pk)
    data = opened(curator_client, url, summary="Curated")
    edited = Actor.objects.get(pk=actor.pk)
    edited.summary = "Edited"
    page_save(page=edited, user=editor())
    before = actor.history.count()
    response = curator_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "Nothing was saved: editor saved this actor" in errors[0]
    assert "summary now “Edited”" in errors[0]
    assert 'value="Curated"' in response.content.decode()
    assert (actor.history.count(), Actor.objects.get(pk=actor.pk).summary) == (before, "Edited")
    # The form now starts from their revision: saved again, the curator's value goes over it.
    again = opened_again(response, data)
    assert curator_client.post(url, again).status_code == 302
    assert Actor.objects.get(pk=actor.pk).summary == "Curated"


def opened_again(response, data) -> dict:
    form = response.context["adminform"].form
    return {**data, "base_revision": [str(form["base_revision"].value())]}


def test_a_stale_relation_change_form_keeps_the_edits_saved_since(curator_client):
    membership = relation_save(
        relation=MembershipFactory.build(actor=ActorFactory(), faction=FactionFactory()), user=None
    )
    url = admin_url("membership", "change", membership.pk)
    data = opened(curator_client, url, change_reason="Checked")
    edited = Membership.objects.get(pk=membership.pk)
    edited.role = "leader"
    relation_save(relation=edited, user=editor())
    assert curator_client.post(url, data).status_code == 302
    assert Membership.objects.get(pk=membership.pk).role == "leader"


def test_a_stale_inline_relation_row_keeps_the_edits_saved_since(curator_client):
    membership = relation_save(
        relation=MembershipFactory.build(actor=ActorFactory(), faction=FactionFactory()), user=None
    )
    actor = membership.actor
    data = opened(curator_client, admin_url("actor", "change", actor.pk), summary="Curated")
    edited = Membership.objects.get(pk=membership.pk)
    edited.role, edited.start = "leader", "1992"
    relation_save(relation=edited, user=editor())
    before = membership.history.count()
    assert curator_client.post(admin_url("actor", "change", actor.pk), data).status_code == 302
    saved = Membership.objects.get(pk=membership.pk)
    assert (saved.role, saved.start) == ("leader", "1992")
    assert membership.history.count() == before  # the row was not touched: nothing to save
    assert Actor.objects.get(pk=actor.pk).summary == "Curated"
