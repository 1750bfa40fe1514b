"""Page history in the browser: revision lists, old revisions, diffs, revert, recent changes."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from sources.services import source_save
from tests.factories import (
    ActorFactory,
    EventFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
    curator,
    editor,
)
from wiki.benchmarks.history import add_revisions
from wiki.claims.saving import ClaimEdit
from wiki.models import Actor, Claim, Membership
from wiki.services import page_save, relation_save

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"


def history_url(entry, **params):
    url = reverse("wiki:entry-history", args=[entry.url_segment, entry.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def revision_url(entry, rev):
    return reverse("wiki:entry-revision", args=[entry.url_segment, entry.slug, rev])


def revert_url(entry, rev):
    return reverse("wiki:entry-revert", args=[entry.url_segment, entry.slug, rev])


def revisions(entry):
    """History ids, oldest first."""
    return list(entry.history.order_by("history_date", "history_id").values_list("history_id"))


def ids(entry):
    return [rev for (rev,) in revisions(entry)]


def text(response) -> str:
    return response.content.decode()


def edited(entry, *, user=None, reason="", tags=None, **fields):
    """Save one edit of a page through page_save, as the edit form does: a fact (born=…) as
    the value of its one claim, blank to remove it."""
    claims = []
    for name, value in fields.items():
        if name not in entry.claim_fields:
            setattr(entry, name, value)
            continue
        claim = Claim.objects.of(entry).filter(field=name).first() or Claim(field=name)
        claim.value = value
        claims.append(ClaimEdit(claim, delete=not value))
    return page_save(page=entry, user=user, change_reason=reason, tags=tags, claims=claims)


# ---------------------------------------------------------------------------------------------
# History list


def test_history_lists_user_or_system_summary_and_size_change(team, team_user):
    actor = ActorFactory(title="Ahmad Shah Massoud")  # created by the system
    edited(actor, user=team_user, reason="First text", body="Commander of the north.")
    edited(actor, user=team_user, reason="Shorter", body="Commander.")
    response = team.get(history_url(actor))
    assert response.status_code == 200
    page = text(response)
    assert "system" in page and ">ed</a>" in page
    assert "First text" in page and "Shorter" in page
    rows = response.context["page_obj"].object_list
    assert [row.size_change for row in rows] == [-13, 23, 0]
    assert [row.action for row in rows] == ["changed", "changed", "created"]
    assert "+23" in page and "−13" in page


def test_history_row_names_changed_fields_and_tags(team):
    actor = ActorFactory(title="Massoud", summary="Old summary")
    edited(actor, summary="New summary", tags=["panjshir"])
    row = team.get(history_url(actor)).context["page_obj"].object_list[0]
    assert [(c.label, c.old, c.new) for c in row.changes] == [
        ("Summary", "Old summary", "New summary")
    ]
    assert row.tags_added == ["panjshir"] and row.tags_removed == []


def test_history_says_when_the_text_changed_but_not_its_length(team):
    actor = ActorFactory()
    edited(actor, body="The cat sat.")
    edited(actor, body="The dog sat.")
    rows = team.get(history_url(actor)).context["page_obj"].object_list
    assert [row.edited_same_size for row in rows] == [True, False, False]
    assert "Text edited (same length)" in text(team.get(history_url(actor)))


def test_history_links_each_row_to_its_revision_and_diff(team):
    actor = ActorFactory()
    edited(actor, body="Some text.")
    first, second = ids(actor)
    page = text(team.get(history_url(actor)))
    assert revision_url(actor, second) in page
    assert f"?diff={first}..{second}" in page


def test_history_paginates_fifty_a_page(team):
    actor = ActorFactory()
    add_revisions(actor, 59)
    first = team.get(history_url(actor))
    second = team.get(history_url(actor, page=2))
    assert len(first.context["page_obj"].object_list) == 50
    assert len(second.context["page_obj"].object_list) == 10
    # The oldest row on page 1 is still compared with the row below it, on page 2.
    last_on_first = first.context["page_obj"].object_list[-1]
    assert last_on_first.previous_id == second.context["page_obj"].object_list[0].history_id
    assert second.context["page_obj"].object_list[-1].action == "created"


def test_compare_form_sends_on_to_the_diff(team):
    actor = ActorFactory()
    edited(actor, body="Text.")
    first, second = ids(actor)
    response = team.get(history_url(actor, old=first, new=second))
    assert response.status_code == 302
    assert response.url == history_url(actor, diff=f"{first}..{second}")


# ---------------------------------------------------------------------------------------------
# Old revisions


def test_old_revision_renders_old_body_fields_and_tags(team):
    actor = ActorFactory(title="Massoud", summary="Then", aliases="Mas'ud")
    edited(actor, body="The old words.", born="1953", tags=["jamiat"])
    old = ids(actor)[-1]
    edited(actor, title="Ahmad Shah Massoud", summary="Now", body="New words.", tags=["nra"])
    response = team.get(revision_url(actor, old))
    page = text(response)
    assert response.status_code == 200
    assert "The old words." in page and "New words." not in page
    assert "<h1>Massoud" in page and "Then" in page and "Mas&#x27;ud" in page
    assert "1953" in page
    assert "jamiat" in page and "nra" not in page
    assert "This is an old revision" in page
    assert "View the current page." in page and actor.get_absolute_url() in page


def test_old_revision_banner_names_date_and_user(team, team_user):
    actor = ActorFactory()
    edited(actor, user=team_user, body="Text.")
    old = ids(actor)[-1]
    edited(actor, body="Later.")
    response = team.get(revision_url(actor, old))
    assert "by <a" in text(response) and ">ed</a>" in text(response)
    assert response.context["record"].history_id == old


def test_latest_revision_says_it_is_current_and_offers_no_revert(team):
    actor = ActorFactory()
    edited(actor, body="Text.")
    page = text(team.get(revision_url(actor, ids(actor)[-1])))
    assert "This is the current revision" in page
    assert "Revert to this revision" not in page


def test_old_revision_resolves_citations_and_links_without_writing(team):
    source = SourceFactory(key="ric")
    target = edited(ActorFactory(title="Burhanuddin Rabbani"))  # page_save indexes its name
    actor = ActorFactory()
    edited(actor, body=f'Founded in 1992 [@ric "{QUOTE}"]. Led by [[Burhanuddin Rabbani]].')
    old = ids(actor)[-1]
    citation = source.citations.get()
    edited(actor, body="Rewritten.")
    citations_before = source.citations.count()
    page = text(team.get(revision_url(actor, old)))
    assert f"/sources/ric/#c{citation.pk}" in page
    assert target.get_absolute_url() in page
    assert source.citations.count() == citations_before


def test_old_revision_flags_a_quote_no_longer_in_its_source(team):
    source = SourceFactory(key="ric")
    actor = ActorFactory()
    edited(actor, body=f'Founded in 1992 [@ric "{QUOTE}"].')
    old = ids(actor)[-1]
    source.text = "A different text altogether."
    source_save(source=source, user=None)
    page = text(team.get(revision_url(actor, old)))
    assert "passage not in the source's current text" in page


def test_revision_of_another_page_is_404(team):
    actor, other = ActorFactory(), ActorFactory()
    assert team.get(revision_url(actor, ids(other)[0])).status_code == 404
    assert team.get(revision_url(actor, 999999)).status_code == 404


# ---------------------------------------------------------------------------------------------
# Diffs


def test_diff_marks_inserted_and_deleted_words(team):
    actor = ActorFactory()
    edited(actor, body="The commander held the valley.")
    first = ids(actor)[-1]
    edited(actor, body="The commander lost the northern valley.")
    second = ids(actor)[-1]
    page = text(team.get(history_url(actor, diff=f"{first}..{second}")))
    assert "<del> held</del>" in page
    assert "<ins> lost</ins>" in page and "<ins> northern</ins>" in page


def test_diff_lists_field_changes_and_tags(team):
    actor = ActorFactory(title="Massoud", summary="Old")
    edited(actor, tags=["jamiat", "panjshir"])
    first = ids(actor)[-1]
    edited(actor, title="Ahmad Shah Massoud", born="1953", tags=["jamiat", "nra"])
    second = ids(actor)[-1]
    response = team.get(history_url(actor, diff=f"{first}..{second}"))
    diff = response.context["diff"]
    assert {(c.label, c.old, c.new) for c in diff.fields} == {
        ("Title", "Massoud", "Ahmad Shah Massoud"),
        ("Facts", "", "Born: 1953 [no source]"),
    }
    assert diff.tags_added == ["nra"] and diff.tags_removed == ["panjshir"]
    page = text(response)
    assert "<ins>nra</ins>" in page and "<del>panjshir</del>" in page


def test_diff_is_shown_older_first_whichever_way_it_is_asked(team):
    actor = ActorFactory()
    edited(actor, body="One.")
    first, second = ids(actor)[-2:]
    diff = team.get(history_url(actor, diff=f"{second}..{first}")).context["diff"]
    assert (diff.old.history_id, diff.new.history_id) == (first, second)


def test_diff_escapes_html_in_bodies(team):
    actor = ActorFactory()
    edited(actor, body="Plain text.")
    first = ids(actor)[-1]
    edited(actor, body="Plain text. <script>alert('x')</script> <b>bold</b>")
    second = ids(actor)[-1]
    page = text(team.get(history_url(actor, diff=f"{first}..{second}")))
    assert "<script>alert" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


@pytest.mark.parametrize("diff", ["abc", "1..", "..2", "1-2", "1..2..3", ""])
def test_malformed_diff_is_404(team, diff):
    actor = ActorFactory()
    assert team.get(history_url(actor) + f"?diff={diff}").status_code == 404


def test_diff_with_a_revision_of_another_page_is_404(team):
    actor, other = ActorFactory(), ActorFactory()
    response = team.get(history_url(actor, diff=f"{ids(actor)[0]}..{ids(other)[0]}"))
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# Revert


def _history_rows(entry):
    return list(entry.history.order_by("history_id").values())


def test_revert_creates_a_new_revision_equal_to_the_old_one(team, team_user):
    actor = ActorFactory(title="Massoud", summary="First summary")
    edited(actor, body="First body.", born="1953", tags=["jamiat"])
    old = actor.history.order_by("-history_id").first()
    edited(actor, title="Renamed", summary="Second", body="Second body.", born="", tags=["x"])
    before = _history_rows(actor)
    response = team.post(revert_url(actor, old.history_id), {"change_reason": "Vandalism"})
    assert response.status_code == 302 and response.url == actor.get_absolute_url()
    actor.refresh_from_db()
    assert (actor.title, actor.summary, actor.body, actor.born) == (
        "Massoud",
        "First summary",
        "First body.",
        "1953",
    )
    assert sorted(actor.tags.names()) == ["jamiat"] and actor.tag_list == "jamiat"
    after = _history_rows(actor)
    assert after[:-1] == before  # nothing rewritten
    assert len(after) == len(before) + 1
    newest = actor.history.order_by("-history_id").first()
    assert newest.history_change_reason == "Vandalism"
    assert newest.history_user == team_user
    assert (newest.title, newest.body, newest.tag_list) == (old.title, old.body, old.tag_list)


def test_revert_without_a_summary_says_which_revision_it_restored(team):
    actor = ActorFactory()
    edited(actor, body="Old.")
    old = ids(actor)[-1]
    edited(actor, body="New.")
    team.post(revert_url(actor, old), {"change_reason": ""})
    reason = actor.history.order_by("-history_id").first().history_change_reason
    assert reason.startswith("Reverted to the revision of ") and reason.endswith(" by system")


def test_revert_rebuilds_derived_fields_through_page_save(team):
    SourceFactory(key="ric")
    actor = ActorFactory()
    edited(actor, body=f'Founded. [@ric "{QUOTE}"] Unsourced sentence.')
    old = ids(actor)[-1]
    edited(actor, body="Only one sentence.")
    team.post(revert_url(actor, old))
    actor.refresh_from_db()
    assert (actor.sentence_count, actor.sourced_count) == (2, 1)


def test_revert_keeps_publishing_and_the_address(team):
    actor = ActorFactory(is_public=False, slug="old-address")
    edited(actor, body="Draft.")
    old = ids(actor)[-1]
    actor.is_public = True
    actor.slug = "new-address"
    edited(actor, body="Published text.")
    team.post(revert_url(actor, old))
    actor.refresh_from_db()
    assert actor.body == "Draft." and actor.is_public and actor.slug == "new-address"


def test_revert_of_a_locked_page_is_refused_to_an_editor(team):
    actor = ActorFactory()
    edited(actor, body="Old.")
    old = ids(actor)[-1]
    edited(actor, body="New.", is_locked=True, lock_reason="Disputed")
    count = actor.history.count()
    response = team.post(revert_url(actor, old))
    assert response.status_code == 403
    actor.refresh_from_db()
    assert actor.body == "New." and actor.history.count() == count
    page = text(team.get(revision_url(actor, old)))
    assert "Only curators can revert it" in page and "Revert to this revision" not in page


def test_a_curator_may_revert_a_locked_page(client):
    actor = ActorFactory()
    edited(actor, body="Old.")
    old = ids(actor)[-1]
    edited(actor, body="New.", is_locked=True)
    client.force_login(curator())
    assert client.post(revert_url(actor, old)).status_code == 302
    actor.refresh_from_db()
    assert actor.body == "Old." and actor.is_locked


def test_revert_by_get_is_not_allowed(team):
    actor = ActorFactory()
    response = team.get(revert_url(actor, ids(actor)[0]))
    assert response.status_code == 405


def test_revert_sends_anonymous_visitors_to_log_in(client):
    actor = ActorFactory()
    edited(actor, body="New.")
    response = client.post(revert_url(actor, ids(actor)[0]))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    actor.refresh_from_db()
    assert actor.body == "New."


def test_revert_to_a_quote_no_longer_in_its_source_shows_the_error_and_changes_nothing(team):
    source = SourceFactory(key="ric")
    actor = ActorFactory()
    edited(actor, body=f'Founded in 1992 [@ric "{QUOTE}"].')
    old = ids(actor)[-1]
    edited(actor, body="Rewritten without the citation.")
    source.text = "A different text altogether."
    source_save(source=source, user=None)
    before = _history_rows(actor)
    response = team.post(revert_url(actor, old), follow=True)
    page = text(response)
    assert "Nothing was reverted" in page and "ric" in page
    actor.refresh_from_db()
    assert actor.body == "Rewritten without the citation."
    assert _history_rows(actor) == before


def test_revert_after_an_edit_the_reverter_did_not_see_is_refused(team):
    actor = ActorFactory()
    edited(actor, body="Old.")
    old = ids(actor)[-1]
    edited(actor, body="Seen.")
    seen = ids(actor)[-1]
    edited(actor, body="Saved meanwhile.")
    response = team.post(revert_url(actor, old), {"base_revision": seen}, follow=True)
    assert "there was an edit after the one you saw" in text(response)
    actor.refresh_from_db()
    assert actor.body == "Saved meanwhile."


def test_revert_summary_longer_than_history_allows_is_refused(team):
    actor = ActorFactory()
    edited(actor, body="New.")
    count = actor.history.count()
    response = team.post(revert_url(actor, ids(actor)[0]), {"change_reason": "x" * 101})
    assert response.status_code == 302
    assert actor.history.count() == count


# ---------------------------------------------------------------------------------------------
# Recent changes and contributions


def test_recent_changes_lists_pages_sources_and_relations_newest_first(team):
    source = SourceFactory(title="RIC report")
    membership = MembershipFactory(actor__title="Massoud", faction__title="Jamiat")
    membership.role = Membership.Role.LEADER
    relation_save(relation=membership, user=None, change_reason="Led it")
    response = team.get(reverse("wiki:changes"))
    rows = response.context["page_obj"].object_list
    assert rows[0].kind == "membership" and rows[0].reason == "Led it"
    assert rows[0].title == "Massoud — leader — Jamiat"
    assert [(c.label, c.old, c.new) for c in rows[0].changes] == [("Role", "Member", "Leader")]
    kinds = {row.kind for row in rows}
    assert {"actor", "faction", "source", "membership"} <= kinds
    dates = [row.date for row in rows]
    assert dates == sorted(dates, reverse=True)
    assert source.title in text(response)


def test_recent_changes_link_to_the_page_the_diff_and_the_user(team, team_user):
    actor = ActorFactory()
    edited(actor, user=team_user, body="Text.", reason="Wrote it")
    first, second = ids(actor)
    page = text(team.get(reverse("wiki:changes")))
    assert actor.get_absolute_url() in page
    assert history_url(actor, diff=f"{first}..{second}") in page
    assert reverse("wiki:user-contributions", args=["ed"]) in page


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("actor", {"actor"}),
        ("faction", {"faction"}),
        ("event", {"event"}),
        ("source", {"source"}),
        ("relation", {"membership"}),
    ],
)
def test_recent_changes_filter_by_type(team, kind, expected):
    MembershipFactory()
    EventFactory()
    response = team.get(reverse("wiki:changes") + f"?type={kind}")
    assert {row.kind for row in response.context["page_obj"].object_list} == expected


def test_recent_changes_filter_by_user(team, team_user):
    mine, theirs = ActorFactory(title="Mine"), ActorFactory(title="Theirs")
    edited(mine, user=team_user, body="Mine.")
    edited(theirs, user=editor(username="other"), body="Theirs.")
    rows = team.get(reverse("wiki:changes") + "?user=ed").context["page_obj"].object_list
    assert [row.title for row in rows] == ["Mine"]
    nobody = team.get(reverse("wiki:changes") + "?user=nobody")
    assert list(nobody.context["page_obj"].object_list) == []


def test_recent_changes_paginate_fifty_a_page(team):
    actor = ActorFactory()
    add_revisions(actor, 60)
    first = team.get(reverse("wiki:changes") + "?type=actor")
    second = team.get(reverse("wiki:changes") + "?type=actor&page=2")
    assert len(first.context["page_obj"].object_list) == 50
    assert len(second.context["page_obj"].object_list) == 11


def test_recent_changes_count_no_deeper_than_the_feed_depth(team, monkeypatch):
    monkeypatch.setattr("wiki.changes.FEED_DEPTH", 60)
    add_revisions(ActorFactory(), 80)
    response = team.get(reverse("wiki:changes") + "?page=9")
    page = response.context["page_obj"]
    assert page.paginator.count == 60 and page.number == 2  # the last page there is
    assert "Only the latest 60 changes are listed here" in text(response)


def test_a_deleted_page_stays_in_recent_changes_without_a_link(team):
    actor = ActorFactory(title="Gone")
    actor.delete()
    rows = team.get(reverse("wiki:changes")).context["page_obj"].object_list
    assert rows[0].title == "Gone" and rows[0].action == "deleted" and rows[0].url == ""


def test_user_contributions_list_only_that_users_changes(team, team_user):
    mine, theirs = ActorFactory(title="Mine"), ActorFactory(title="Theirs")
    edited(mine, user=team_user, body="Mine.", reason="My edit")
    edited(theirs, user=editor(username="other"), body="Theirs.")
    response = team.get(reverse("wiki:user-contributions", args=["ed"]))
    assert response.status_code == 200
    rows = response.context["page_obj"].object_list
    assert [(row.title, row.reason) for row in rows] == [("Mine", "My edit")]
    assert "Contributions of ed" in text(response)


def test_user_contributions_of_an_unknown_user_is_404(team):
    assert team.get(reverse("wiki:user-contributions", args=["nobody"])).status_code == 404


# ---------------------------------------------------------------------------------------------
# The public sees none of it


def _history_urls(actor):
    first, second = ids(actor)
    return [
        history_url(actor),
        revision_url(actor, first),
        history_url(actor, diff=f"{first}..{second}"),
        reverse("wiki:changes"),
        reverse("wiki:user-contributions", args=["ed"]),
    ]


@pytest.mark.parametrize("who", ["anonymous", "logged in, not in the team"])
def test_history_is_404_for_anyone_outside_the_team(client, team_user, who):
    actor = ActorFactory(is_public=True)
    edited(actor, user=team_user, body="Published text.")
    if who != "anonymous":
        client.force_login(UserFactory(username="reader"))
    for url in _history_urls(actor):
        assert client.get(url).status_code == 404, url
    response = client.post(revert_url(actor, ids(actor)[0]))
    assert response.status_code == (302 if who == "anonymous" else 404)
    actor.refresh_from_db()
    assert actor.body == "Published text."


# ---------------------------------------------------------------------------------------------
# Query counts: the same whatever the length of the history

# Every request by a logged-in team member: session, user, the user's groups.
REQUEST = 3


@pytest.fixture(params=[2, 200], ids=["2 revisions", "200 revisions"])
def long_history(request, team_user):
    SourceFactory(key="ric")
    actor = ActorFactory(tags=["jamiat"])
    body = f'Text with [[A link]] and a citation [@ric "{QUOTE}"].'
    edited(actor, user=team_user, body=body, tags=["jamiat"])
    add_revisions(actor, request.param - 2, user=team_user)
    return actor


def test_history_list_query_count_is_fixed(team, django_assert_num_queries, long_history):
    with django_assert_num_queries(REQUEST + 3):  # page, count, revisions of the page
        response = team.get(history_url(long_history))
    assert len(response.context["page_obj"].object_list) == min(50, long_history.history.count())


def test_revision_query_count_is_fixed(team, django_assert_num_queries, long_history):
    rev = ids(long_history)[len(ids(long_history)) // 2]
    # page, revision, older, newer, latest; names, sources and citations the body cites
    with django_assert_num_queries(REQUEST + 8):
        response = team.get(revision_url(long_history, rev))
    assert response.status_code == 200


def test_diff_query_count_is_fixed(team, django_assert_num_queries, long_history):
    first, *_, last = ids(long_history)
    with django_assert_num_queries(REQUEST + 2):  # page, both revisions
        response = team.get(history_url(long_history, diff=f"{first}..{last}"))
    assert response.status_code == 200


def test_recent_changes_query_count_is_fixed(team, django_assert_num_queries, long_history):
    membership = MembershipFactory()  # newer than the long history: on the first page
    membership.role = Membership.Role.LEADER
    relation_save(relation=membership, user=None)
    # count, merged page, then per model shown: actor, faction, source, membership, and the
    # membership revisions the rows changed
    with django_assert_num_queries(REQUEST + 2 + 5):
        response = team.get(reverse("wiki:changes"))
    kinds = {row.kind for row in response.context["page_obj"].object_list}
    assert kinds == {"actor", "faction", "source", "membership"}


def test_recent_changes_of_one_type_query_count_is_fixed(
    team, django_assert_num_queries, long_history
):
    with django_assert_num_queries(REQUEST + 3):  # count, page, actor revisions
        response = team.get(reverse("wiki:changes") + "?type=actor")
    assert len(response.context["page_obj"].object_list) == min(50, Actor.history.count())


# ---------------------------------------------------------------------------------------------
# The benchmark command


def test_benchmark_command_reports_its_figures_and_leaves_nothing_behind():
    counts = (Actor.history.count(), Actor.objects.count(), User.objects.count())
    out = StringIO()
    call_command("benchmark_history", revisions=60, runs=3, other_pages=5, explain=True, stdout=out)
    output = out.getvalue()
    assert "revisions: 60 of the page" in output
    assert "history list, first page of 50: median" in output
    assert "p95" in output and "queries 3" in output
    assert "history list, page 2 of 50" in output and "recent changes, first page" in output
    assert "plans for page 1 of the history list" in output
    assert "rolled back" in output
    assert (Actor.history.count(), Actor.objects.count(), User.objects.count()) == counts


def test_faction_and_event_pages_have_history_too(team):
    for entry in (FactionFactory(), EventFactory()):
        edited(entry, body="Text.")
        assert team.get(history_url(entry)).status_code == 200
        assert team.get(revision_url(entry, ids(entry)[0])).status_code == 200


# ---------------------------------------------------------------------------------------------
# A revert is checked under the row lock, in the service


def test_a_revert_crossed_by_an_edit_after_the_view_looked_is_refused(team, monkeypatch):
    from wiki.views.history import EntryHistory

    actor = ActorFactory()
    edited(actor, body="Old.")
    old = ids(actor)[-1]
    edited(actor, body="Seen.")
    seen = ids(actor)[-1]
    real_save = EntryHistory.revert_save

    def edit_slips_in_then_revert(self, entry, *args, **kwargs):
        # Another editor's save lands after the view has read the form, before the revert.
        edited(Actor.objects.get(pk=entry.pk), body="Saved meanwhile.")
        return real_save(self, entry, *args, **kwargs)

    monkeypatch.setattr(EntryHistory, "revert_save", edit_slips_in_then_revert)
    response = team.post(revert_url(actor, old), {"base_revision": seen}, follow=True)
    assert "there was an edit after the one you saw" in text(response)
    assert Actor.objects.get(pk=actor.pk).body == "Saved meanwhile."


def test_page_revert_refuses_under_the_lock_when_the_latest_revision_moved_on():
    from django.core.exceptions import ValidationError

    from wiki.revisions import page_revert

    actor = ActorFactory()
    edited(actor, body="Old.")
    old = actor.history.first()
    edited(actor, body="Seen.")
    seen = actor.history.first().history_id
    edited(Actor.objects.get(pk=actor.pk), body="Saved meanwhile.")
    before = actor.history.count()
    with pytest.raises(ValidationError, match="there was an edit after the one you saw"):
        page_revert(page=actor, revision=old, user=editor(), base_revision=seen)
    assert (actor.history.count(), Actor.objects.get(pk=actor.pk).body) == (
        before,
        "Saved meanwhile.",
    )
    latest = actor.history.first().history_id
    page_revert(
        page=Actor.objects.get(pk=actor.pk), revision=old, user=editor(), base_revision=latest
    )
    assert Actor.objects.get(pk=actor.pk).body == "Old."


def test_a_revert_leaves_flags_set_since_the_page_was_loaded_as_they_stand(team):
    from wiki.revisions import page_revert
    from wiki.services import page_lock

    actor = ActorFactory(is_public=False)
    edited(actor, body="Old.")
    old = actor.history.first()
    edited(actor, body="New.")
    loaded = Actor.objects.get(pk=actor.pk)
    page_lock(page=Actor.objects.get(pk=actor.pk), user=curator(), reason="Checked")
    page_revert(page=loaded, revision=old, user=curator())
    now = Actor.objects.get(pk=actor.pk)
    assert (now.body, now.is_locked, now.lock_reason) == ("Old.", True, "Checked")


# ---------------------------------------------------------------------------------------------
# A renamed page keeps its old addresses


@pytest.fixture
def renamed():
    actor = page_save(page=ActorFactory(slug="first-name"), body="Text.\n", user=None)
    for slug in ("second-name", "third-name"):
        moved = Actor.objects.get(pk=actor.pk)
        moved.slug = slug
        page_save(page=moved, user=None, change_reason="Renamed")
    return Actor.objects.get(pk=actor.pk)


@pytest.mark.parametrize("old", ["first-name", "second-name"])
@pytest.mark.parametrize(
    ("suffix", "query"), [("", ""), ("edit/", "?append=x"), ("history/", "?page=1")]
)
def test_a_get_through_an_old_slug_is_sent_to_the_pages_address(team, renamed, old, suffix, query):
    response = team.get(f"/actors/{old}/{suffix}{query}")
    assert response.status_code == 302
    assert response["Location"] == f"/actors/third-name/{suffix}{query}"


def test_an_old_revision_is_found_through_an_old_slug(team, renamed):
    rev = ids(renamed)[0]
    response = team.get(f"/actors/first-name/history/{rev}/")
    assert response["Location"] == f"/actors/third-name/history/{rev}/"


def test_the_public_is_sent_on_only_to_a_published_page(client, renamed):
    assert client.get("/actors/first-name/").status_code == 302
    Actor.objects.filter(pk=renamed.pk).update(is_public=False)
    assert client.get("/actors/first-name/").status_code == 404


def test_a_slug_nobody_ever_had_is_still_404(team, renamed):
    assert team.get("/actors/no-such-name/").status_code == 404


def test_a_save_posted_through_an_old_slug_lands_on_the_page_as_it_stands(team, renamed):
    first = renamed.history.filter(slug="first-name").first()  # the latest as "first-name"
    data = {
        "title": renamed.title,
        "slug": "first-name",  # as the form showed it before the renames
        "summary": renamed.summary,
        "aliases": "",
        "body": "Text.\n\nMore text.\n",
        "tags": "",
        "change_reason": "Opened before the rename",
        "base_revision": first.history_id,
        "born": "",
        "died": "",
    }
    response = team.post("/actors/first-name/edit/", data)
    assert response.status_code == 302
    assert response["Location"] == "/actors/third-name/"
    now = Actor.objects.get(pk=renamed.pk)
    assert (now.slug, now.body) == ("third-name", "Text.\n\nMore text.\n")
