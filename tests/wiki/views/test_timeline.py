"""/timeline/: lanes, ranges for uncertain dates, filters that combine, zoom, the passages of each
date as each reader may see them, the cap, links from pages, and pinned query counts."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    EventFactory,
    FactionFactory,
    ParticipationFactory,
    SourceFactory,
    editor,
)
from wiki.models import Actor, Claim, Event, Faction
from wiki.services import claim_save

pytestmark = pytest.mark.django_db

TIMELINE = reverse("wiki:timeline")
PASSAGES = [f"Passage {n:02d} tells the day it all happened." for n in range(1, 40)]
SHIELD_QUOTE = "The shieldword alliance was formed in secret"
SECRET_QUOTE = "The hidden man was born far away"


def cite(n):
    return f'[@corpus "{PASSAGES[n]}"]'


def dated(entry, field, value, evidence):
    return claim_save(
        claim=Claim(subject=entry, field=field, value=value, evidence=evidence), user=None
    )


@pytest.fixture
def wiki():
    SourceFactory(key="corpus", text=" ".join(PASSAGES))
    SourceFactory(
        key="shield",
        text=f"{SHIELD_QUOTE} in the valley.",
        is_public=False,
        is_protected=True,
        reliability="B",
    )
    SourceFactory(key="secret", text=f"{SECRET_QUOTE} from here.", is_public=False)
    battle = EventFactory(title="Battle of Kabul", slug="battle-of-kabul", tags=["war"])
    dated(battle, "start", "1996-09-27", cite(0))
    siege = EventFactory(title="Siege of Taloqan", slug="siege")
    dated(siege, "start", "1997~", cite(1))
    massoud = ActorFactory(title="Ahmad Shah Massoud", slug="massoud")
    dated(massoud, "born", "1953", cite(2))
    dated(massoud, "born", "1956", cite(3))  # the sources disagree
    dated(massoud, "died", "2001-09-09", cite(4))
    alliance = FactionFactory(title="Northern Alliance", slug="alliance")
    dated(alliance, "founded", "1992", f'[@shield "{SHIELD_QUOTE}"]')
    hidden = ActorFactory(title="Hidden Man", slug="hidden-man", is_public=False)
    dated(hidden, "born", "1960", f'[@secret "{SECRET_QUOTE}"]')
    ParticipationFactory(event=battle, actor=massoud, evidence=cite(5))
    ParticipationFactory(event=siege, actor=None, faction=alliance, evidence=cite(6))
    return {"battle": battle, "siege": siege, "massoud": massoud, "alliance": alliance}


def team():
    client = Client()
    client.force_login(editor())
    return client


def lanes(response) -> dict[str, list[str]]:
    """What each lane shows, by the accessible name of each item's link."""
    return {
        lane.name: [item.name for item in lane.items] for lane in response.context["timeline"].lanes
    }


def names(client, **query) -> dict[str, list[str]]:
    response = client.get(TIMELINE, query)
    assert response.status_code == 200
    return lanes(response)


def row(html: str, title: str) -> str:
    """The <li> of the item whose link starts with this title."""
    found = re.search(
        rf'<li class="tl-row[^"]*">(?:(?!</li>\s*<li class="tl-row).)*?{title}.*?</svg>', html, re.S
    )
    assert found, f"no row for {title}"
    return found.group(0)


def test_events_and_dated_facts_in_two_lanes_by_date(client, wiki):
    assert names(client) == {
        # "c. 1997" may mean 1996: it starts before the battle.
        "events": ["Siege of Taloqan, c. 1997", "Battle of Kabul, 27 September 1996"],
        "facts": [
            "Ahmad Shah Massoud, born 1953 or 1956",
            "Northern Alliance, founded 1992",
            "Ahmad Shah Massoud, died 9 September 2001",
        ],
    }


def test_each_item_is_a_link_to_its_page_named_by_its_title_and_date(client, wiki):
    html = client.get(TIMELINE).content.decode()
    assert (
        '<a class="tl-item" href="/events/battle-of-kabul/"><span class="tl-item__title">'
        'Battle of Kabul</span><span class="tl-item__comma">, </span>'
        '<time class="tl-when">27 September 1996</time></a>'
    ) in html
    assert '<a class="tl-item" href="/actors/massoud/">' in html


def test_an_uncertain_or_disputed_date_is_a_range_and_a_certain_one_a_point(client, wiki):
    html = client.get(TIMELINE).content.decode()
    battle, siege = row(html, "Battle of Kabul"), row(html, "Siege of Taloqan")
    assert "tl-row--point" in battle and "<circle" in battle and "tl-mark--range" not in battle
    assert "tl-row--range" in siege and 'class="tl-mark tl-mark--range"' in siege
    assert siege.count('class="tl-whisker"') == 2 and "uncertain" in siege
    born = row(html, 'Ahmad Shah Massoud</span><span class="tl-item__fact">, born')
    assert "tl-mark--range" in born and "sources disagree" in born


def test_a_range_runs_from_the_earliest_to_the_latest_day(client, wiki):
    items = {
        i.name: i for lane in client.get(TIMELINE).context["timeline"].lanes for i in lane.items
    }
    born = items["Ahmad Shah Massoud, born 1953 or 1956"]
    assert (born.earliest.isoformat(), born.latest.isoformat()) == ("1953-01-01", "1956-12-31")
    assert born.bar.width > items["Northern Alliance, founded 1992"].bar.width


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "massoud"}, {
            "events": ["Battle of Kabul, 27 September 1996"],
            "facts": ["Ahmad Shah Massoud, born 1953 or 1956",
                      "Ahmad Shah Massoud, died 9 September 2001"],
        }),
        ({"faction": "alliance"}, {
            "events": ["Siege of Taloqan, c. 1997"],
            "facts": ["Northern Alliance, founded 1992"],
        }),
        ({"tag": "war"}, {"events": ["Battle of Kabul, 27 September 1996"], "facts": []}),
        ({"from": "2000", "to": "2005"}, {
            "events": [], "facts": ["Ahmad Shah Massoud, died 9 September 2001"],
        }),
        ({"actor": "massoud", "from": "1990"}, {
            "events": ["Battle of Kabul, 27 September 1996"],
            "facts": ["Ahmad Shah Massoud, died 9 September 2001"],
        }),
        ({"actor": "massoud", "faction": "alliance"}, {
            "events": [],  # no event has both
            "facts": ["Ahmad Shah Massoud, born 1953 or 1956", "Northern Alliance, founded 1992",
                      "Ahmad Shah Massoud, died 9 September 2001"],
        }),
        ({"faction": "alliance", "tag": "war"}, {"events": [], "facts": []}),
    ],
)  # fmt: skip
def test_filters_combine(client, wiki, query, expected):
    assert names(client, **query) == expected


def test_filters_stay_in_the_urls_the_page_offers(client, wiki):
    html = client.get(TIMELINE, {"actor": "massoud", "tag": "war"}).content.decode()
    assert 'href="/timeline/?actor=massoud&amp;tag=war&amp;zoom=month"' in html
    assert 'value="massoud"' in html and 'value="war"' in html  # the form shows them
    assert '<label for="id_from">From year</label>' in html


def test_an_actor_or_faction_the_reader_may_not_see_is_not_found(client, wiki):
    assert client.get(TIMELINE, {"actor": "hidden-man"}).status_code == 404
    assert client.get(TIMELINE, {"faction": "nobody"}).status_code == 404
    assert names(team(), actor="hidden-man") == {"events": [], "facts": ["Hidden Man, born 1960"]}


def test_an_invalid_year_is_shown_with_its_error_and_ignored(client, wiki):
    response = client.get(TIMELINE, {"from": "soon"})
    assert response.status_code == 200 and "Enter a whole number." in response.content.decode()
    assert len(lanes(response)["facts"]) == 3


@pytest.mark.parametrize(
    ("query", "zoom", "first_label"),
    [
        ({}, "decade", "1950s"),  # 1953 to 2001: the zoom that fits
        ({"from": "1995", "to": "1998"}, "year", "1995"),
        ({"tag": "war"}, "month", "Sep 1996"),
        ({"zoom": "year"}, "year", "1953"),  # forty years at most: the rest is later
        ({"zoom": "month", "from": "1996", "to": "1996"}, "month", "Jan 1996"),
    ],
)
def test_zoom_by_decade_year_and_month(client, wiki, query, zoom, first_label):
    shown = client.get(TIMELINE, query).context["timeline"]
    assert shown.zoom == zoom and shown.ticks[0].label == first_label


def test_a_cut_frame_pages_on_and_a_tick_zooms_in(client, wiki):
    html = client.get(TIMELINE, {"zoom": "year"}).content.decode()
    assert 'href="/timeline/?zoom=year&amp;from=1993" rel="next">Later' in html
    assert "more outside these dates" in html  # Massoud's death lies after 1992
    decades = client.get(TIMELINE).content.decode()
    assert (
        '<a href="/timeline/?zoom=year&amp;from=1990&amp;to=1999" aria-label="Zoom in on 1990s">'
        in decades
    )


def test_each_item_shows_the_passages_for_its_date(client, wiki):
    html = client.get(TIMELINE).content.decode()
    battle = html.split("Battle of Kabul</span>", 1)[1].split("</li>\n", 1)[0]
    assert PASSAGES[0] in battle and 'href="/sources/corpus/#c' in battle
    born = html.split(", born</span>", 1)[1].split('<li class="tl-row', 1)[0]
    assert PASSAGES[2] in born and PASSAGES[3] in born


def test_the_public_sees_a_protected_source_withheld_and_nothing_unpublished(client, wiki):
    html = client.get(TIMELINE).content.decode()
    founded = html.split(", founded</span>", 1)[1].split('<li class="tl-row', 1)[0]
    assert '<span class="withheld-source">Withheld source</span>' in founded
    assert "shieldword" not in html.lower() and "/sources/shield/" not in html
    assert "Hidden Man" not in html and SECRET_QUOTE not in html


def test_the_team_sees_every_entry_and_passage(wiki):
    html = team().get(TIMELINE).content.decode()
    assert SHIELD_QUOTE in html and "Withheld source" not in html
    assert "Hidden Man" in html and SECRET_QUOTE in html and "Draft" in html


def test_too_many_items_are_capped_with_a_message(client, wiki, monkeypatch):
    monkeypatch.setattr("wiki.timeline.items.CAP", 2)
    response = client.get(TIMELINE)
    assert response.context["timeline"].count == 2
    assert "Narrow the filters" in response.content.decode()


def test_actor_and_faction_pages_link_to_their_own_timeline(client, wiki):
    assert 'href="/timeline/?actor=massoud"' in client.get("/actors/massoud/").content.decode()
    assert (
        'href="/timeline/?faction=alliance"' in client.get("/factions/alliance/").content.decode()
    )
    assert "/timeline/?" not in client.get("/events/battle-of-kabul/").content.decode()
    assert 'href="/timeline/"' in client.get("/").content.decode()  # in the site's header


@pytest.mark.parametrize("events", [3, 30])
def test_query_count_does_not_grow_with_the_items(client, django_assert_num_queries, events):
    SourceFactory(key="corpus", text=" ".join(PASSAGES))
    faction = FactionFactory(slug="party")
    for n in range(events):
        event = EventFactory(title=f"Clash {n}")
        dated(event, "start", f"{1960 + n}", cite(n))
        ParticipationFactory(event=event, actor=None, faction=faction, evidence=cite(n))
        dated(ActorFactory(), "born", f"{1930 + n}~", cite(n))
    ContentType.objects.get_for_models(Actor, Faction, Event)  # cached per process
    # The events, the actors, the factions, their date claims, the claims' passages.
    with django_assert_num_queries(5):
        response = client.get(TIMELINE, {"zoom": "decade"})
    assert response.context["timeline"].count == 2 * events
    # The faction named, its events, its facts (no actor lane), claims, passages.
    with django_assert_num_queries(5):
        response = client.get(TIMELINE, {"faction": "party"})
    assert response.context["timeline"].count == events


def test_an_event_with_an_end_is_a_span_and_an_unsourced_date_says_so(client, wiki):
    EventFactory(title="Long siege", slug="long-siege", start="1998-05", end="1999-02")
    html = client.get(TIMELINE, {"from": "1998", "to": "1999"}).content.decode()
    siege = html.split("Long siege</span>", 1)[1].split('<li class="tl-row', 1)[0]
    assert "May 1998 – February 1999" in siege and 'class="tl-mark tl-mark--span"' in siege
    assert "No passage states this date." in siege
    assert html.count('class="tl-grid"') == 1  # the ticks behind the one lane that has items


def test_an_open_ended_date_runs_on_to_the_end_of_the_axis(client, wiki):
    FactionFactory(title="Resistance", slug="resistance", founded="1994/..")
    items = {i.entry.title: i for lane in lanes_of(client.get(TIMELINE)) for i in lane.items}
    resistance = items["Resistance"]
    assert resistance.shape == "range" and resistance.bar.end == 100.0
    assert resistance.bar.x < items["Siege of Taloqan"].bar.x


def lanes_of(response):
    return response.context["timeline"].lanes


def test_an_open_ended_date_is_kept_by_a_year_filter_after_its_start(client, wiki):
    front = FactionFactory(title="Open Front", slug="open-front")
    dated(front, "founded", "1994/..", cite(7))
    facts = names(client, **{"from": "2000"})["facts"]
    assert any(name.startswith("Open Front") for name in facts)
    assert not any(name.startswith("Northern Alliance") for name in facts)  # 1992: before
