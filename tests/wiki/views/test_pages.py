"""Read pages of the wiki: home, lists, entry pages and tags; visibility and query counts."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    EventFactory,
    FactionFactory,
    FactionRelationFactory,
    MembershipFactory,
    ParticipationFactory,
    SourceFactory,
    editor,
)
from wiki.models import Claim
from wiki.services import claim_save, page_save, relation_save

pytestmark = pytest.mark.django_db

# A source whose text has many distinct passages, so that each relation cites its own.
PASSAGES = [f"Passage {n:02d} says who stood where." for n in range(1, 13)]


def corpus(key="corpus", **kwargs):
    return SourceFactory(key=key, text=" ".join(PASSAGES), **kwargs)


def evidence(n, key="corpus"):
    return f'[@{key} "{PASSAGES[n]}"]'


def detail_url(entry):
    return entry.get_absolute_url()


def list_url(segment, **params):
    url = reverse("wiki:entry-list", args=[segment])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def editor_client():
    """A second browser, logged in as an editor (the `client` fixture stays anonymous)."""
    browser = Client()
    browser.force_login(editor(username="team-member"))
    return browser


# ---------------------------------------------------------------------------------------------
# Every page answers


@pytest.mark.parametrize("segment", ["actors", "factions", "events"])
def test_list_pages_answer(client, segment):
    factory = {"actors": ActorFactory, "factions": FactionFactory, "events": EventFactory}[segment]
    entry = factory(title="Visible entry")
    response = client.get(list_url(segment))
    assert response.status_code == 200
    assert entry.title in response.content.decode()


@pytest.mark.parametrize("factory", [ActorFactory, FactionFactory, EventFactory])
def test_detail_pages_answer(client, factory):
    entry = factory(title="Visible entry", summary="One line about it.")
    response = client.get(detail_url(entry))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Visible entry" in html and "One line about it." in html


def test_home_answers_with_counts_and_a_search_box(client):
    ActorFactory.create_batch(3)
    ActorFactory(is_public=False)
    response = client.get(reverse("wiki:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="/search/"' in html and 'name="q"' in html
    assert dict((label, n) for label, _, n in response.context["counts"])["Actors"] == 3


def test_home_counts_drafts_for_the_team(editor_client):
    ActorFactory.create_batch(3)
    ActorFactory(is_public=False)
    response = editor_client.get(reverse("wiki:home"))
    assert dict((label, n) for label, _, n in response.context["counts"])["Actors"] == 4


def test_an_unknown_page_is_a_friendly_404(client):
    response = client.get("/actors/nobody-at-all/")
    assert response.status_code == 404
    assert "There is no page here" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Visibility


@pytest.mark.parametrize("factory", [ActorFactory, FactionFactory, EventFactory])
def test_an_unpublished_entry_is_404_for_the_public(client, factory):
    entry = factory(is_public=False)
    assert client.get(detail_url(entry)).status_code == 404


@pytest.mark.parametrize("factory", [ActorFactory, FactionFactory, EventFactory])
def test_an_unpublished_entry_is_shown_to_the_team_with_a_draft_badge(editor_client, factory):
    entry = factory(is_public=False)
    response = editor_client.get(detail_url(entry))
    assert response.status_code == 200
    assert "badge--draft" in response.content.decode()


def test_lists_hide_drafts_from_the_public(client):
    ActorFactory(title="Published person")
    ActorFactory(title="Draft person", is_public=False)
    html = client.get(list_url("actors")).content.decode()
    assert "Published person" in html and "Draft person" not in html


def test_lists_show_drafts_to_the_team(editor_client):
    ActorFactory(title="Draft person", is_public=False)
    html = editor_client.get(list_url("actors")).content.decode()
    assert "Draft person" in html and "badge--draft" in html


def test_a_relation_to_an_unpublished_entry_is_hidden_from_the_public(client, editor_client):
    corpus()
    actor = ActorFactory()
    hidden = FactionFactory(title="Secret faction", is_public=False)
    shown = FactionFactory(title="Open faction")
    for n, faction in enumerate([hidden, shown]):
        membership = MembershipFactory.build(actor=actor, faction=faction, evidence=evidence(n))
        relation_save(relation=membership, user=None)
    public_html = client.get(detail_url(actor)).content.decode()
    assert "Open faction" in public_html and "Secret faction" not in public_html
    assert "Secret faction" in editor_client.get(detail_url(actor)).content.decode()


def test_a_participant_that_is_unpublished_is_hidden_from_the_public(client):
    corpus()
    event = EventFactory()
    for n, actor in enumerate([ActorFactory(title="Open actor"), ActorFactory(title="Hid actor")]):
        actor.is_public = n == 0
        actor.save()
        relation_save(
            relation=ParticipationFactory.build(event=event, actor=actor, evidence=evidence(n)),
            user=None,
        )
    relation_save(
        relation=ParticipationFactory.build(
            event=event,
            actor=None,
            faction=FactionFactory(title="Open faction"),
            evidence=evidence(2),
        ),
        user=None,
    )
    html = client.get(detail_url(event)).content.decode()
    assert "Open actor" in html and "Open faction" in html and "Hid actor" not in html


def test_anonymous_visitors_never_see_editor_names(client):
    author = editor(username="ed-the-writer")
    actor = ActorFactory(title="Written person")
    page_save(page=actor, body="Some text.", user=author, change_reason="First draft")
    home = client.get(reverse("wiki:home")).content.decode()
    page = client.get(detail_url(actor)).content.decode()
    assert "Written person" in home and "First draft" not in home  # summaries are the team's
    assert "ed-the-writer" not in home and "ed-the-writer" not in page


def test_the_team_sees_who_edited(editor_client):
    actor = ActorFactory(title="Written person")
    page_save(page=actor, body="Some text.", user=editor(username="ed-the-writer"))
    assert "by ed-the-writer" in editor_client.get(reverse("wiki:home")).content.decode()
    assert "by ed-the-writer" in editor_client.get(detail_url(actor)).content.decode()


def test_recent_changes_hide_unpublished_things_from_the_public(client):
    page_save(page=ActorFactory(title="Hidden person", is_public=False), body="x", user=None)
    page_save(page=ActorFactory(title="Open person"), body="x", user=None)
    html = client.get(reverse("wiki:home")).content.decode()
    assert "Open person" in html and "Hidden person" not in html


def test_recent_changes_cover_entries_and_sources_newest_first(client):
    page_save(page=ActorFactory(title="First person"), body="x", user=None)
    SourceFactory(title="Second source")
    page_save(page=EventFactory(title="Third event"), body="x", user=None)
    changes = client.get(reverse("wiki:home")).context["changes"]
    titles = [change.title for change in changes]
    assert (
        titles.index("Third event") < titles.index("Second source") < titles.index("First person")
    )
    assert len(changes) <= 10


# ---------------------------------------------------------------------------------------------
# Entry pages


def test_the_entry_page_shows_aliases_dates_tags_and_the_rendered_body(client):
    actor = ActorFactory(
        title="Ahmad Shah Massoud",
        aliases="Mas'ud\nMassoud",
        born="1953-09-02",
        died="2001-09-09",
        tags=["Panjshir"],
    )
    page_save(page=actor, body="He *led* <script>alert(1)</script> Jamiat.", user=None)
    html = client.get(detail_url(actor)).content.decode()
    assert "Also known as" in html and "Mas&#x27;ud" in html
    assert "2 September 1953" in html and "9 September 2001" in html
    assert '<a class="tag" rel="tag" href="/tags/panjshir/">Panjshir</a>' in html
    assert "<em>led</em>" in html
    assert "<script>alert" not in html


def test_the_entry_page_lists_the_passages_its_body_cites(client):
    source = corpus(title="The corpus report")
    actor = ActorFactory()
    page_save(page=actor, body=f"A statement. {evidence(3)}", user=None)
    citation = source.citations.get()
    html = client.get(detail_url(actor)).content.decode()
    assert PASSAGES[3] in html
    assert f'href="/sources/corpus/#c{citation.pk}"' in html
    assert "The corpus report" in html


def test_the_public_does_not_see_citations_of_unpublished_sources(client):
    corpus(title="Hidden report", is_public=False)
    actor = ActorFactory()
    page_save(page=actor, body=f"A statement. {evidence(3)}", user=None)
    assert "Hidden report" not in client.get(detail_url(actor)).content.decode()


def test_relation_rows_show_their_cited_passage_and_link(client):
    source = corpus()
    faction = FactionFactory()
    relation_save(
        relation=MembershipFactory.build(
            actor=ActorFactory(title="A member"), faction=faction, evidence=evidence(4)
        ),
        user=None,
    )
    citation = source.citations.get()
    html = client.get(detail_url(faction)).content.decode()
    assert "A member" in html and PASSAGES[4] in html
    assert f'href="/sources/corpus/#c{citation.pk}"' in html


def test_a_faction_shows_relations_in_both_directions(client):
    corpus()
    faction = FactionFactory()
    relation_save(
        relation=FactionRelationFactory.build(
            faction=faction, other=FactionFactory(title="Its ally"), evidence=evidence(0)
        ),
        user=None,
    )
    relation_save(
        relation=FactionRelationFactory.build(
            faction=FactionFactory(title="Its part"),
            other=faction,
            kind="part of",
            evidence=evidence(1),
        ),
        user=None,
    )
    html = client.get(detail_url(faction)).content.decode()
    assert "Relations to other factions" in html and "Its ally" in html
    assert "Relations from other factions" in html and "Its part" in html


def test_a_wrong_type_in_the_address_is_404(client):
    actor = ActorFactory()
    assert client.get(f"/factions/{actor.slug}/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Lists: tags, sorting, pagination


def test_a_list_filters_by_tag(client):
    ActorFactory(title="Sailor", tags=["navy"])
    ActorFactory(title="Soldier", tags=["army"])
    html = client.get(list_url("actors", tag="navy")).content.decode()
    assert "Sailor" in html and "Soldier" not in html


def test_an_unknown_tag_filter_shows_an_empty_list(client):
    ActorFactory(title="Sailor", tags=["navy"])
    response = client.get(list_url("actors", tag="no/such"))
    assert response.status_code == 200
    assert "Sailor" not in response.content.decode()


def test_a_list_sorts_by_date(client):
    ActorFactory(title="Younger", born="1970")
    ActorFactory(title="Older", born="1920")
    ActorFactory(title="Undated")
    rows = client.get(list_url("actors", sort="date")).context["rows"]
    assert [row.entry.title for row in rows] == ["Older", "Younger", "Undated"]


def test_a_list_sorts_by_last_edit(client):
    first, second = ActorFactory(title="B first"), ActorFactory(title="A second")
    first.save()  # edited last
    rows = client.get(list_url("actors", sort="-updated")).context["rows"]
    assert [row.entry.title for row in rows] == ["B first", "A second"]
    assert second


def test_a_list_paginates_by_fifty(client):
    ActorFactory.create_batch(51)
    first = client.get(list_url("actors"))
    second = client.get(list_url("actors", page=2))
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 1
    assert 'rel="next" href="?page=2"' in first.content.decode()


def test_pagination_keeps_the_filters(client):
    ActorFactory.create_batch(51, tags=["navy"])
    html = client.get(list_url("actors", tag="navy", sort="date")).content.decode()
    assert 'href="?tag=navy&amp;sort=date&amp;page=2"' in html


def test_an_out_of_range_page_shows_the_last_page(client):
    ActorFactory.create_batch(3)
    assert client.get(list_url("actors", page=99)).status_code == 200


# ---------------------------------------------------------------------------------------------
# Tags


def test_the_tag_page_groups_everything_visible_by_type(client):
    ActorFactory(title="Tagged actor", tags=["north"])
    EventFactory(title="Tagged event", tags=["north"])
    ActorFactory(title="Draft actor", tags=["north"], is_public=False)
    source = SourceFactory(title="Tagged source")
    source.tags.add("north")
    response = client.get(reverse("wiki:tag-detail", args=["north"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tagged actor" in html and "Tagged event" in html and "Tagged source" in html
    assert "Draft actor" not in html


def test_a_tag_on_drafts_only_is_404_for_the_public(client, editor_client):
    ActorFactory(tags=["secret"], is_public=False)
    url = reverse("wiki:tag-detail", args=["secret"])
    assert client.get(url).status_code == 404


def test_a_tag_on_drafts_is_shown_to_the_team(editor_client):
    ActorFactory(tags=["secret"], is_public=False)
    assert editor_client.get(reverse("wiki:tag-detail", args=["secret"])).status_code == 200


def test_an_unknown_tag_is_404(client):
    assert client.get(reverse("wiki:tag-detail", args=["nothing"])).status_code == 404


# ---------------------------------------------------------------------------------------------
# Layout


def test_the_header_offers_login_to_the_public_and_a_logout_form_to_the_team(client, editor_client):
    public_html = client.get(reverse("wiki:home")).content.decode()
    assert "/accounts/login/?next=/" in public_html
    team_html = editor_client.get(reverse("wiki:home")).content.decode()
    assert 'action="/accounts/logout/" method="post"' in team_html
    assert "csrfmiddlewaretoken" in team_html and "team-member" in team_html


def test_the_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_a_failed_login_says_so(client):
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Query counts: fixed whatever the size (anonymous visitor)


@pytest.mark.parametrize("rows", [1, 10])
@pytest.mark.parametrize("segment", ["actors", "factions", "events"])
def test_list_query_count_is_constant(client, django_assert_num_queries, segment, rows):
    factory = {"actors": ActorFactory, "factions": FactionFactory, "events": EventFactory}[segment]
    factory.create_batch(rows, tags=["navy", "1850s"])
    with django_assert_num_queries(3):  # count, page of entries, their tags
        response = client.get(list_url(segment))
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_tag_filtered_list_query_count_is_constant(client, django_assert_num_queries, rows):
    ActorFactory.create_batch(rows, tags=["navy"])
    with django_assert_num_queries(4):  # the tag, count, page of entries, their tags
        client.get(list_url("actors", tag="navy"))


def _with_claims(entry, field, size):
    """size values of one fact, each with its passage (sources that disagree, size ways)."""
    for n in range(size):
        claim = Claim(subject=entry, field=field, value=str(1900 + n), evidence=evidence(n))
        claim_save(claim=claim, user=None)


def _actor_with_relations(size):
    corpus()
    actor = ActorFactory(tags=["a", "b"])
    page_save(page=actor, body=" ".join(f"Fact. {evidence(n)}" for n in range(size)), user=None)
    _with_claims(actor, "born", size)
    for n in range(size):
        faction, event = FactionFactory(), EventFactory()
        relation_save(
            relation=MembershipFactory.build(actor=actor, faction=faction, evidence=evidence(n)),
            user=None,
        )
        relation_save(
            relation=ParticipationFactory.build(event=event, actor=actor, evidence=evidence(n)),
            user=None,
        )
    return actor


def _faction_with_relations(size):
    corpus()
    faction = FactionFactory(tags=["a"])
    page_save(page=faction, body=" ".join(f"Fact. {evidence(n)}" for n in range(size)), user=None)
    _with_claims(faction, "founded", size)
    for n in range(size):
        for relation in [
            MembershipFactory.build(actor=ActorFactory(), faction=faction, evidence=evidence(n)),
            FactionRelationFactory.build(
                faction=faction, other=FactionFactory(), evidence=evidence(n)
            ),
            FactionRelationFactory.build(
                faction=FactionFactory(), other=faction, evidence=evidence(n)
            ),
            ParticipationFactory.build(
                event=EventFactory(), actor=None, faction=faction, evidence=evidence(n)
            ),
        ]:
            relation_save(relation=relation, user=None)
    return faction


def _event_with_relations(size):
    corpus()
    event = EventFactory(tags=["a"])
    page_save(page=event, body=" ".join(f"Fact. {evidence(n)}" for n in range(size)), user=None)
    _with_claims(event, "end", size)
    for n in range(size):
        relation_save(
            relation=ParticipationFactory.build(
                event=event, actor=ActorFactory(), evidence=evidence(n)
            ),
            user=None,
        )
        relation_save(
            relation=ParticipationFactory.build(
                event=event, actor=None, faction=FactionFactory(), evidence=evidence(n)
            ),
            user=None,
        )
    return event


@pytest.mark.parametrize("size", [1, 10])
@pytest.mark.parametrize(
    ("build", "queries"),
    [
        # the content clock (public page cache), entry, its tags, the body's citations, its
        # link targets, what links here, the sources that mention it, its claims (the facts)
        # with their cited passages, then rows + cited passages per relation table
        (_actor_with_relations, 9 + 2 * 2),  # memberships, events
        (_faction_with_relations, 9 + 4 * 2),  # members, relations out, relations in, events
        (_event_with_relations, 9 + 1 * 2),  # participants
    ],
)
def test_detail_query_count_is_constant(client, django_assert_num_queries, build, queries, size):
    entry = build(size)
    for n in range(size):  # pages that link here, and links out of the page
        page_save(page=ActorFactory(), body=f"See [[{entry.title}]]. {evidence(n)}", user=None)
    entry.body += " " + " ".join(f"Link [[Page {n}]]. {evidence(n)}" for n in range(size))
    page_save(page=entry, user=None)
    with django_assert_num_queries(queries):
        response = client.get(detail_url(entry))
    assert len(response.context["body"].references) == size
    assert len(response.context["links_here"]) == size
    assert all(len(section.rows) >= size for section in response.context["sections"])


@pytest.mark.parametrize("size", [1, 10])
def test_home_query_count_is_constant(client, django_assert_num_queries, size):
    for _ in range(size):
        page_save(page=ActorFactory(), body="x", user=None)
        page_save(page=FactionFactory(), body="x", user=None)
        page_save(page=EventFactory(), body="x", user=None)
        SourceFactory()
    with django_assert_num_queries(8):  # four counts, four history tables
        client.get(reverse("wiki:home"))


@pytest.mark.parametrize("size", [1, 10])
def test_tag_page_query_count_is_constant(client, django_assert_num_queries, size):
    for _ in range(size):
        ActorFactory(tags=["north"])
        FactionFactory(tags=["north"])
        EventFactory(tags=["north"])
        SourceFactory().tags.add("north")
    with django_assert_num_queries(9):  # the tag, then rows and their tags for four types
        client.get(reverse("wiki:tag-detail", args=["north"]))
