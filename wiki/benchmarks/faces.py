"""The timeline, the network and the API at size: `manage.py benchmark_faces`.

Inside a transaction that is rolled back, the benchmark writes a published archive the size the
issue names — 5,000 events, 2,000 actors and factions, 10,000 relations (memberships, faction
relations, participations), each event dated by a claim — straight into the tables (as an import
would), then requests /timeline/, /graph/ and an API list page as a visitor, emptying the page
cache before each request so that every one is a cache miss, and reports the median time and
the queries each took. Targets: the two pictures under 500 ms, an API list page under 50 ms.
"""

import random
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from wiki.benchmarks.report import Figure, Report, machine_info, rolled_back, timed
from wiki.models import Actor, Claim, Event, Faction, FactionRelation, Membership, Participation

TARGETS = {"timeline": 500.0, "graph": 500.0, "api": 50.0}
FIRST_YEAR, YEARS = 1950, 70


@dataclass
class Sizes:
    events: int = 5_000
    entries: int = 2_000  # actors and factions, half each
    relations: int = 10_000
    runs: int = 10


def _year_bounds(year: int) -> dict:
    return {"earliest": date(year, 1, 1), "latest": date(year, 12, 31)}


def _dated(prefix: str, year: int) -> dict:
    bounds = _year_bounds(year)
    return {
        prefix: str(year),
        f"{prefix}_earliest": bounds["earliest"],
        f"{prefix}_latest": bounds["latest"],
    }


def archive_write(sizes: Sizes, rng: random.Random) -> None:
    """A published archive of the given size, written in bulk."""
    half = sizes.entries // 2
    actors = Actor.objects.bulk_create(
        Actor(
            title=f"Benchmark person {n}",
            slug=f"benchmark-person-{n}",
            is_public=True,
            **_dated("born", FIRST_YEAR + rng.randrange(YEARS)),
        )
        for n in range(half)
    )
    factions = Faction.objects.bulk_create(
        Faction(
            title=f"Benchmark group {n}",
            slug=f"benchmark-group-{n}",
            is_public=True,
            **_dated("founded", FIRST_YEAR + rng.randrange(YEARS)),
        )
        for n in range(sizes.entries - half)
    )
    events = Event.objects.bulk_create(
        Event(
            title=f"Benchmark event {n}",
            slug=f"benchmark-event-{n}",
            kind=Event.Kind.BATTLE,
            is_public=True,
            **_dated("start", FIRST_YEAR + rng.randrange(YEARS)),
        )
        for n in range(sizes.events)
    )
    event_type = ContentType.objects.get_for_model(Event)
    Claim.objects.bulk_create(
        Claim(content_type=event_type, object_id=event.pk, field="start", value=event.start)
        for event in events
    )
    _relations_write(sizes.relations, actors, factions, events, rng)


def _relations_write(count, actors, factions, events, rng) -> None:
    third = count // 3
    span = {**_dated("start", 1990), **_dated("end", 2001)}
    Membership.objects.bulk_create(
        Membership(
            actor=actors[n % len(actors)],
            faction=factions[(n * 7) % len(factions)],
            role=Membership.Role.MEMBER,
            evidence="",
            **_dated("start", FIRST_YEAR + n % YEARS),
        )
        for n in range(third)
    )
    FactionRelation.objects.bulk_create(
        FactionRelation(
            faction=factions[n % len(factions)],
            other=factions[(n + 1 + n // len(factions)) % len(factions)],
            kind=FactionRelation.Kind.ALLIANCE,
            evidence="",
            **{**span, **_dated("start", FIRST_YEAR + n % YEARS)},
        )
        for n in range(third)
        if n % len(factions) != (n + 1 + n // len(factions)) % len(factions)
    )
    Participation.objects.bulk_create(
        Participation(
            event=events[n % len(events)],
            actor=actors[rng.randrange(len(actors))],
            role=Participation.Role.PARTY,
            evidence="",
        )
        for n in range(count - 2 * third)
    )


def _routes() -> dict[str, str]:
    routes = {}
    for name, url_name in (("timeline", "wiki:timeline"), ("graph", "wiki:graph")):
        try:
            routes[name] = reverse(url_name)
        except NoReverseMatch:
            continue  # a face this version does not have
    routes["api"] = "/api/events/"
    return routes


def _request(client: Client, url: str) -> tuple[float, int, int]:
    for cache in caches.all():
        cache.clear()  # a cache miss every time
    with CaptureQueriesContext(connection) as queries:
        ms, response = timed(client.get, url, secure=True)  # as production serves it: HTTPS
    return ms, len(queries), response.status_code


def benchmarks_run(sizes: Sizes) -> Report:
    report = Report(machine_info(), sizes)
    with rolled_back():
        archive_write(sizes, random.Random(7))
        client = Client(SERVER_NAME="localhost")  # a host the settings allow
        for name, url in _routes().items():
            _request(client, url)  # warm the code paths, not the cache
            samples, counts, statuses = [], set(), set()
            for _ in range(sizes.runs):
                ms, queries, status = _request(client, url)
                samples.append(ms)
                counts.add(queries)
                statuses.add(status)
            note = f"HTTP {', '.join(map(str, sorted(statuses)))}"
            report.figures.append(
                Figure(
                    "Beyond pages (a visitor, cache miss)",
                    f"{name}: {url}",
                    samples,
                    target=TARGETS[name],
                    note=note,
                )
            )
            report.figures.append(
                Figure(
                    "Beyond pages (a visitor, cache miss)",
                    f"{name}: queries",
                    [float(count) for count in sorted(counts)],
                    unit="queries",
                )
            )
    return report
