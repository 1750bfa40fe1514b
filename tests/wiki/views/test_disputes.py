"""The disputes list (the team's: filters, newest first, pages of 50, query counts) and ranking a
value of a disputed fact (curators only, with a reason, refused when the form is stale)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sources.common.history.merging import latest_history_id
from tests.factories import (
    ActorFactory,
    EventFactory,
    FactionFactory,
    SourceFactory,
    UserFactory,
    curator,
    editor,
)
from wiki.claims import disputes
from wiki.models import Claim, Faction, Rank
from wiki.services import claim_save

pytestmark = pytest.mark.django_db

PASSAGES = [f"Passage {n:02d} tells the year it all began." for n in range(1, 30)]
DISPUTES = reverse("wiki:disputes")


def evidence(n):
    return f'[@corpus "{PASSAGES[n]}"]'


@pytest.fixture(autouse=True)
def corpus():
    return SourceFactory(key="corpus", text=" ".join(PASSAGES))


def claims(entry, field, *values, first=0):
    """One claim per value, each citing its own passage, saved as an editor would."""
    return [
        claim_save(
            claim=Claim(subject=entry, field=field, value=value, evidence=evidence(first + n)),
            user=None,
        )
        for n, value in enumerate(values)
    ]


def browser(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def team():
    return browser(editor("team-editor"))


@pytest.fixture
def curating():
    return browser(curator("team-curator"))


def shown(response) -> list[tuple[str, str]]:
    """The (entry title, field) of each dispute listed."""
    return [(row.entry.title, row.field) for row in response.context["page_obj"].object_list]


def rank_url(claim):
    return reverse("wiki:claim-rank", args=[claim.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# ---------------------------------------------------------------------------------------------
# Who sees the list


def test_the_public_and_outsiders_get_404(client):
    FactionFactory(title="Hidden", is_public=False)
    assert client.get(DISPUTES).status_code == 404
    assert browser(UserFactory(username="outsider")).get(DISPUTES).status_code == 404


def test_the_header_links_the_team_to_the_disputes(client, team):
    assert f'href="{DISPUTES}"' in team.get(reverse("wiki:home")).content.decode()
    assert f'href="{DISPUTES}"' not in client.get(reverse("wiki:home")).content.decode()


# ---------------------------------------------------------------------------------------------
# What it lists


def test_a_disputed_fact_is_listed_with_every_value_and_its_passage(team):
    faction = FactionFactory(title="Northern Alliance", is_public=False)
    claims(faction, "founded", "1992", "1996")
    html = team.get(DISPUTES).content.decode()
    assert f'href="{faction.get_absolute_url()}"' in html and "Draft" in html
    assert f'href="{faction.get_absolute_url()}#fact-founded"' in html
    assert "Founded" in html and ">1992<" in html and ">1996<" in html
    assert PASSAGES[0] in html and PASSAGES[1] in html and 'href="/sources/corpus/#c' in html
    assert html.count("claim__rank--normal") == 2
    assert 'class="grade"' not in html  # ungraded passages: no grade shown


def test_the_passages_show_their_grade(team, corpus):
    corpus.reliability = "B"
    corpus.save()
    claims(FactionFactory(), "founded", "1992", "1996")
    assert "B" in team.get(DISPUTES).content.decode().split('class="grade"', 1)[1][:80]


def test_values_that_agree_or_stand_alone_are_not_listed(team):
    claims(FactionFactory(title="Agreeing"), "founded", "1992", "1992-04")
    claims(ActorFactory(title="Alone"), "born", "1950")
    claims(EventFactory(title="Counted"), "fatalities", "70", "60-80")
    claims(EventFactory(title="Placed"), "place", "Mazar-i-Sharif", "mazar i sharif")
    assert shown(team.get(DISPUTES)) == []


def test_open_lists_only_what_ranking_has_not_settled(team):
    preferred = claims(FactionFactory(title="Preferred"), "founded", "1992", "1996")[0]
    deprecated = claims(ActorFactory(title="Deprecated"), "born", "1950", "1953")[1]
    claims(EventFactory(title="Open"), "start", "1997", "1998")
    for claim, rank in ((preferred, Rank.PREFERRED), (deprecated, Rank.DEPRECATED)):
        claim.rank, claim.rank_reason = rank, "The report is the better witness"
        claim_save(claim=claim, user=None)
    assert shown(team.get(DISPUTES)) == [("Open", "start")]
    resolved = shown(team.get(DISPUTES, {"status": "resolved"}))
    assert sorted(resolved) == [("Deprecated", "born"), ("Preferred", "founded")]


def test_two_preferred_values_that_disagree_stay_open(team):
    for claim in claims(FactionFactory(title="Twice"), "founded", "1992", "1996"):
        claim.rank, claim.rank_reason = Rank.PREFERRED, "Both reports are official"
        claim_save(claim=claim, user=None)
    assert shown(team.get(DISPUTES)) == [("Twice", "founded")]


def test_newest_change_first(team):
    rows = [("Older", "founded"), ("Newest", "dissolved"), ("Middle", "founded")]
    now = timezone.now()
    for age, (title, field) in zip((3, 1, 2), rows, strict=True):
        made = claims(FactionFactory(title=title), field, "1992", "1996")
        Claim.objects.filter(pk__in=[c.pk for c in made]).update(
            updated_at=now - timedelta(days=age)
        )
    assert shown(team.get(DISPUTES)) == [rows[1], rows[2], rows[0]]


def test_filters_combine_and_stay_in_the_links(team):
    tagged = FactionFactory(title="Tagged faction", tags=["north"])
    claims(tagged, "founded", "1992", "1996")
    claims(tagged, "dissolved", "2001", "2002", first=2)
    claims(ActorFactory(title="Tagged actor", tags=["north"]), "born", "1950", "1953", first=4)
    claims(FactionFactory(title="Untagged"), "founded", "1990", "1994", first=6)
    assert len(shown(team.get(DISPUTES))) == 4
    assert len(shown(team.get(DISPUTES, {"tag": "north"}))) == 3
    assert len(shown(team.get(DISPUTES, {"type": "factions"}))) == 3
    response = team.get(DISPUTES, {"type": "factions", "tag": "north", "field": "founded"})
    assert shown(response) == [("Tagged faction", "founded")]
    html = response.content.decode()
    assert 'href="?type=factions&amp;tag=north&amp;field=founded&amp;status=resolved"' in html
    assert 'value="north"' in html and '<option value="founded" selected>' in html
    by_page = {"type": "factions", "entry": tagged.slug}
    assert sorted(shown(team.get(DISPUTES, by_page))) == [
        ("Tagged faction", "dissolved"),
        ("Tagged faction", "founded"),
    ]
    assert shown(team.get(DISPUTES, {"type": "actors", "field": "founded"})) == []


def test_unknown_filter_values_are_ignored(team):
    claims(FactionFactory(title="F"), "founded", "1992", "1996")
    query = {"type": "planets", "field": "colour", "status": "maybe"}
    assert shown(team.get(DISPUTES, query)) == [("F", "founded")]


def test_fifty_to_a_page(team):
    faction_type = ContentType.objects.get_for_model(Faction)
    values = []
    for faction in FactionFactory.create_batch(51):
        values += [("1992", faction.pk), ("1996", faction.pk)]
    Claim.objects.bulk_create(
        Claim(content_type=faction_type, object_id=pk, field="founded", value=value)
        for value, pk in values
    )
    first = team.get(DISPUTES)
    assert len(shown(first)) == 50 and "1–50 of 51" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    assert len(shown(team.get(DISPUTES, {"page": 2}))) == 1


def _disputes_of_each_type(size):
    for _ in range(size):
        claims(ActorFactory(tags=["t"]), "born", "1950", "1953")
        claims(FactionFactory(tags=["t"]), "founded", "1992", "1996", first=2)
        claims(EventFactory(tags=["t"]), "place", "Kabul", "Herat", first=4)


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(("role", "queries"), [(editor, 10), (curator, 11)])
def test_query_count_is_constant(django_assert_num_queries, size, role, queries):
    _disputes_of_each_type(size)
    client = browser(role("reader"))
    client.get(DISPUTES)  # content types cached, as in a running site
    # session, user, groups, candidates, [curators: revisions], claims, passages, and the
    # entries of each type
    with django_assert_num_queries(queries - 1):
        response = client.get(DISPUTES)
    assert len(shown(response)) == 3 * size
    with django_assert_num_queries(queries):  # the tag too
        assert len(shown(client.get(DISPUTES, {"tag": "t"}))) == 3 * size


# ---------------------------------------------------------------------------------------------
# Ranking


def test_editors_see_no_ranking_form_and_curators_one_per_value(team, curating):
    made = claims(FactionFactory(), "founded", "1992", "1996")
    assert "rank_reason" not in team.get(DISPUTES).content.decode()
    html = curating.get(DISPUTES).content.decode()
    for claim in made:
        assert f'action="{rank_url(claim)}"' in html
        assert f'name="base_revision" value="{latest_history_id(claim)}"' in html
    assert html.count("csrfmiddlewaretoken") >= 2
    assert "Required for preferred and deprecated" in html


def rank(client, claim, rank, reason="", **extra):
    data = {"rank": rank, "rank_reason": reason, "base_revision": latest_history_id(claim)}
    return client.post(rank_url(claim), {**data, **extra})


def test_a_curator_prefers_a_value_and_the_fact_is_settled(curating):
    faction = FactionFactory(title="Alliance")
    preferred, other = claims(faction, "founded", "1992", "1996")
    reason = "The UN report dates the founding"
    back = f"{DISPUTES}?type=factions#dispute-x"
    response = rank(curating, preferred, Rank.PREFERRED, reason, next=back)
    assert response.status_code == 302 and response.url == back
    assert messages_of(response) == [f"Founded “1992” is preferred: {reason}."]
    preferred.refresh_from_db()
    assert (preferred.rank, preferred.rank_reason) == (Rank.PREFERRED, reason)
    faction.refresh_from_db()
    assert faction.founded == "1992"
    assert shown(curating.get(DISPUTES)) == []
    assert shown(curating.get(DISPUTES, {"status": "resolved"})) == [("Alliance", "founded")]
    assert preferred.history.first().history_user.username == "team-curator"
    assert faction.history.first().history_change_reason == f"Founded 1992 preferred: {reason}"


def test_the_reason_is_on_the_page_and_in_its_history(curating):
    faction = FactionFactory(title="Alliance")
    wrong = claims(faction, "founded", "1992", "1996")[1]
    rank(curating, wrong, Rank.DEPRECATED, "A misprint in the later report")
    page = curating.get(faction.get_absolute_url()).content.decode()
    assert "Deprecated: A misprint in the later report" in page and "<del>1996</del>" in page
    history = curating.get(reverse("wiki:entry-history", args=["factions", faction.slug]))
    assert "Founded 1996 deprecated: A misprint in the later report" in history.content.decode()


def test_ranking_back_to_normal_reopens_the_dispute(curating):
    faction = FactionFactory(title="Alliance")
    first = claims(faction, "founded", "1992", "1996")[0]
    rank(curating, first, Rank.PREFERRED, "The UN report")
    first.refresh_from_db()
    rank(curating, first, Rank.NORMAL, "")
    assert shown(curating.get(DISPUTES)) == [("Alliance", "founded")]
    assert faction.history.first().history_change_reason == "Founded 1992 ranked normal"


def test_a_reason_is_required_for_preferred_and_deprecated(curating):
    faction = FactionFactory()
    claim = claims(faction, "founded", "1992", "1996")[0]
    before = (Claim.history.count(), Faction.history.count())
    response = rank(curating, claim, Rank.PREFERRED, "  ")
    assert response.status_code == 302 and response.url == DISPUTES
    assert "Say why this value is preferred" in messages_of(response)[0]
    claim.refresh_from_db()
    assert claim.rank == Rank.NORMAL
    assert (Claim.history.count(), Faction.history.count()) == before


def test_a_stale_form_is_refused_and_changes_nothing(curating):
    faction = FactionFactory()
    claim = claims(faction, "founded", "1992", "1996")[0]
    drawn = latest_history_id(claim)
    claim.value = "1993"  # someone corrects the value after the list was drawn
    claim_save(claim=claim, user=None)
    before = (Claim.history.count(), Faction.history.count())
    data = {"rank": Rank.PREFERRED, "rank_reason": "The report", "base_revision": drawn}
    response = curating.post(rank_url(claim), data)
    assert response.status_code == 302
    assert messages_of(response) == [
        "Nothing was ranked: this value changed after you opened the list. It now reads "
        "“1993”, normal; look again and rank it if you still mean to."
    ]
    claim.refresh_from_db()
    assert (claim.rank, claim.value) == (Rank.NORMAL, "1993")
    assert (Claim.history.count(), Faction.history.count()) == before


def test_a_save_landing_under_the_lock_is_refused_not_merged(monkeypatch):
    """A save between the form's check and claim_save's lock: refused, all rolled back."""
    faction = FactionFactory()
    claim = claims(faction, "founded", "1992", "1996")[0]
    drawn = latest_history_id(claim)
    claim.value = "1993"
    claim_save(claim=claim, user=None)
    before = (Claim.history.count(), Faction.history.count(), Faction.objects.get().founded)
    monkeypatch.setattr(disputes, "latest_history_id", lambda claim: drawn)
    ranking = Claim.objects.get(pk=claim.pk)
    with pytest.raises(disputes.StaleRanking):
        disputes.claim_rank(
            claim=ranking, user=None, rank=Rank.PREFERRED, rank_reason="x", base_revision=drawn
        )
    after = (Claim.history.count(), Faction.history.count(), Faction.objects.get().founded)
    assert after == before and Claim.objects.get(pk=claim.pk).rank == Rank.NORMAL


def test_an_editor_gets_403_and_nothing_changes(team):
    claim = claims(FactionFactory(), "founded", "1992", "1996")[0]
    response = rank(team, claim, Rank.PREFERRED, "Mine")
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.rank == Rank.NORMAL


def test_the_public_is_sent_to_log_in(client):
    claim = claims(FactionFactory(), "founded", "1992", "1996")[0]
    response = rank(client, claim, Rank.PREFERRED, "Mine")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")
    assert Claim.objects.get(pk=claim.pk).rank == Rank.NORMAL


def test_ranking_by_get_is_405(curating):
    claim = claims(FactionFactory(), "founded", "1992", "1996")[0]
    assert curating.get(rank_url(claim)).status_code == 405


def test_an_unknown_value_is_404(curating):
    assert curating.post(reverse("wiki:claim-rank", args=[999999]), {}).status_code == 404


def test_a_page_links_its_disputes_for_curators_to_resolve_and_editors_to_see():
    faction = FactionFactory(slug="northern-alliance")
    link = disputes.dispute_link(faction, curator("c"))
    assert link.url == f"{DISPUTES}?type=factions&entry=northern-alliance"
    assert link.label == "resolve"
    assert disputes.dispute_link(faction, editor("e")).label == "see the dispute"


def test_an_outside_next_goes_back_to_the_list(curating):
    claim = claims(FactionFactory(), "founded", "1992", "1996")[0]
    response = rank(curating, claim, Rank.PREFERRED, "Report", next="https://evil.example/")
    assert response.url == DISPUTES


def test_a_pages_disputed_fact_links_the_team_to_its_dispute(client, team, curating):
    faction = FactionFactory(slug="na", is_public=True)
    claims(faction, "founded", "1992", "1996")
    url = f"{reverse('wiki:disputes')}?type=factions&amp;entry=na&amp;field=founded"
    assert f'href="{url}">resolve</a>' in curating.get(faction.get_absolute_url()).content.decode()
    assert ">see the dispute</a>" in team.get(faction.get_absolute_url()).content.decode()
    public = client.get(faction.get_absolute_url()).content.decode()
    assert "sources disagree" in public and "dispute-link" not in public
