"""CSV per type: each parses, holds what the reader may see with its passages, never runs as a
formula in a spreadsheet, and streams at a fixed number of queries per chunk."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from tests.factories import ActorFactory, SourceFactory
from tests.wiki.exports.conftest import SECRET_WORDS, text_of
from wiki.exports import streaming
from wiki.models import Actor
from wiki.services import page_save

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text_of(response))))


@pytest.mark.parametrize("table", ["actors", "factions", "events", "sources", "relations"])
def test_every_table_streams_as_csv(client, world, table):
    response = client.get(f"/export/{table}.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows_of(response)


def test_an_unknown_table_is_404(client, world):
    assert client.get("/export/passwords.csv").status_code == 404


def test_the_public_gets_published_actors_with_facts_and_passages(client, world):
    (row,) = rows_of(client.get("/export/actors.csv"))
    assert row["slug"] == "commander" and row["born"] == "1953"
    assert row["url"] == "http://testserver/actors/commander/"
    assert row["tags"] == "north, people"
    assert row["facts"] == "Born: 1953 — withheld (C2)"
    assert row["passages"].splitlines() == [
        "open: “The council chose a military commander” [B]",
        "withheld (C2)",  # the protected source; the unpublished one is not there at all
    ]


@pytest.mark.parametrize("table", ["actors", "factions", "events", "sources", "relations"])
def test_the_public_never_reads_a_protected_or_unpublished_source(client, world, table):
    text = text_of(client.get(f"/export/{table}.csv"))
    assert not [word for word in SECRET_WORDS if word in text]


def test_the_team_gets_drafts_and_every_passage(team_client, world):
    rows = {row["slug"]: row for row in rows_of(team_client.get("/export/actors.csv"))}
    assert rows["draftword-actor"]["published"] == "no"
    assert rows["commander"]["facts"] == (
        "Born: 1953 — secretword: “the commander was born in 1953” [C2]"
    )
    assert "draftword: “The envoy met the commander”" in rows["commander"]["passages"]


def test_sources_for_the_public_and_for_the_team(client, team_client, world):
    assert [row["key"] for row in rows_of(client.get("/export/sources.csv"))] == ["open"]
    team_rows = rows_of(team_client.get("/export/sources.csv"))
    statuses = {row["key"]: row["status"] for row in team_rows}
    assert statuses == {"open": "published", "secretword": "protected", "draftword": "draft"}


def test_relations_whose_ends_are_published_only_for_the_public(client, team_client, world):
    public = rows_of(client.get("/export/relations.csv"))
    assert [(row["type"], row["relation"]) for row in public] == [
        ("membership", "member"),
        ("participation", "party"),
    ]
    membership = public[0]
    assert membership["from"].endswith("/actors/commander/")
    assert membership["to"].endswith("/factions/coalition/")
    assert membership["passages"].splitlines()[1] == "withheld (C2)"
    assert len(rows_of(team_client.get("/export/relations.csv"))) == 3


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (1953, "1953"),
    ],
)
def test_safe_cell(value, cell):
    assert streaming.safe_cell(value) == cell


def test_a_title_that_is_a_formula_is_written_as_text(client, world):
    page_save(page=ActorFactory(slug="formula", title="=cmd|' /C calc'!A0"), user=None)
    SourceFactory(key="plus", title="+SUM(1,2)", authors="@evil")
    actors = {row["slug"]: row for row in rows_of(client.get("/export/actors.csv"))}
    assert actors["formula"]["title"] == "'=cmd|' /C calc'!A0"
    sources = {row["key"]: row for row in rows_of(client.get("/export/sources.csv"))}
    assert sources["plus"]["title"] == "'+SUM(1,2)" and sources["plus"]["authors"] == "'@evil"


def _add_actors(count):
    for n in range(count):
        page_save(
            page=ActorFactory(slug=f"extra-{n}", title=f"Extra {n}"),
            body='Extra. [@open "the northern coalition was founded"]',
            user=None,
            tags=["extra"],
        )


def _consume(client, url) -> str:
    return text_of(client.get(url))


# Actors, tags, body passages, claims and their passages: five queries a chunk. The graph reads
# the three types, each also with its relations and their passages (none of the coalition's).
@pytest.mark.parametrize("extra", [0, 6])
@pytest.mark.parametrize("url", ["/export/actors.csv", "/export/wiki.jsonld"])
def test_one_chunk_costs_the_same_however_many_rows(
    client, world, django_assert_num_queries, extra, url
):
    _add_actors(extra)
    queries = 5 if url.endswith(".csv") else 7 + 6 + 7
    with django_assert_num_queries(queries):
        text = _consume(client, url)
    assert text.count("/actors/extra-") == extra * (1 if url.endswith(".csv") else 2)


@pytest.mark.parametrize("extra", [7, 23])
def test_queries_grow_with_chunks_not_rows(client, world, monkeypatch, extra):
    monkeypatch.setattr(streaming, "CHUNK_SIZE", 8)
    _add_actors(extra)
    chunks = -(-Actor.objects.published().count() // 8)
    with CaptureQueriesContext(connection) as captured:
        rows = rows_of(client.get("/export/actors.csv"))
    assert len(rows) == extra + 1
    # One read of the rows (a cursor); each chunk: tags, body passages, claims, and the claims'
    # passages when there are claims.
    assert chunks + 1 <= len(captured) <= 1 + 4 * chunks
