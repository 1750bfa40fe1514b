"""The API over HTTP: filters, cursor pagination, ETag and 304, throttling of the public."""

import pytest

from tests.factories import ActorFactory, EventFactory, SourceFactory
from wiki.api.views import PublicThrottle
from wiki.models import Actor

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["born-1950", "born-1970", "born-1990", "tagged", "undated"]),
        ("?tag=navy", ["tagged"]),
        ("?tag=nothing", []),
        ("?from=1960", ["born-1970", "born-1990"]),
        ("?to=1960", ["born-1950"]),
        ("?from=1960&to=1980", ["born-1970"]),
        ("?from=1950&to=1950", ["born-1950"]),
        ("?from=0", None),
        ("?from=abc", None),
    ],
)
def test_entries_filter_by_tag_and_years(client, query, expected):
    for year in (1950, 1970, 1990):
        ActorFactory(slug=f"born-{year}", born=str(year))
    ActorFactory(slug="tagged", tags=["navy"]), ActorFactory(slug="undated")
    response = client.get(f"/api/actors/{query}")
    if expected is None:
        assert response.status_code == 400
    else:
        assert sorted(slugs(response)) == expected


def test_a_life_covers_the_years_between_birth_and_death(client):
    ActorFactory(slug="long-life", born="1900", died="1990")
    assert slugs(client.get("/api/actors/?from=1950&to=1960")) == ["long-life"]


def test_events_filter_by_type(client):
    EventFactory(slug="battle", kind="battle"), EventFactory(slug="truce", kind="agreement")
    assert slugs(client.get("/api/events/?type=agreement")) == ["truce"]
    assert client.get("/api/events/?type=picnic").status_code == 400


def test_sources_filter_by_kind_and_year_published(client):
    SourceFactory(key="news-2001", kind="news", published="2001-05")
    SourceFactory(key="report-1999", kind="report", published="1999")
    keys = [s["key"] for s in client.get("/api/sources/?type=news").json()["results"]]
    assert keys == ["news-2001"]
    keys = [s["key"] for s in client.get("/api/sources/?from=1998&to=2000").json()["results"]]
    assert keys == ["report-1999"]


def test_relations_filter_by_years(client, world):
    found = client.get("/api/relations/memberships/?from=1990&to=1995").json()["results"]
    assert [m["id"] for m in found] == [world["membership"].pk]
    assert client.get("/api/relations/memberships/?to=1980").json()["results"] == []


def test_claims_filter_by_field(client, world):
    fields = {c["field"] for c in client.get("/api/claims/?field=born").json()["results"]}
    assert fields == {"born"}


def test_updated_since(client):
    old, new = ActorFactory(slug="old"), ActorFactory(slug="new")
    Actor.objects.filter(pk=old.pk).update(updated_at="2001-01-01T00:00:00Z")
    Actor.objects.filter(pk=new.pk).update(updated_at="2020-01-01T00:00:00Z")
    assert slugs(client.get("/api/actors/?updated_since=2010-01-01T00:00:00Z")) == ["new"]
    assert slugs(client.get("/api/actors/?updated_since=2010-01-01")) == ["new"]
    assert client.get("/api/actors/?updated_since=yesterday").status_code == 400


def test_cursor_pages_walk_every_row_once(client):
    ActorFactory.create_batch(7)
    seen, url, pages = [], "/api/actors/?page_size=3", 0
    while url:
        data = client.get(url).json()
        seen += [item["slug"] for item in data["results"]]
        url, pages = data["next"], pages + 1
    assert pages == 3 and len(seen) == len(set(seen)) == 7
    assert client.get("/api/actors/?cursor=not-a-cursor").status_code == 404


def test_a_client_holding_the_etag_gets_304(client):
    ActorFactory(slug="a")
    first = client.get("/api/actors/a/")
    etag = first["ETag"]
    assert etag and "Cookie" in first["Vary"] and "Authorization" in first["Vary"]
    again = client.get("/api/actors/a/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    Actor.objects.filter(slug="a").update(title="Changed")
    assert client.get("/api/actors/a/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    listed = client.get("/api/actors/")
    assert client.get("/api/actors/", HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 304


def test_anonymous_clients_are_throttled_the_team_is_not(client, team_client, monkeypatch):
    monkeypatch.setattr(PublicThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    assert [client.get("/api/actors/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get("/api/actors/")["Retry-After"]
    assert [team_client.get("/api/actors/").status_code for _ in range(4)] == [200] * 4


def test_a_made_up_forwarded_address_does_not_reset_the_count(client, monkeypatch):
    monkeypatch.setattr(PublicThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    statuses = [
        client.get("/api/actors/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_the_docs_and_the_schema_are_served_from_our_own_files(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200 and "/api/actors/{slug}/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200 and "/static/drf_spectacular_sidecar/" in html
    assert "<script>" not in html  # the docs' own script is a file too: the CSP stays strict
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
