"""Time a page's history list with a long history: `manage.py benchmark_history [--revisions N]`.

Inside one transaction that is rolled back at the end (the database is left as it was found),
the command makes a page with N revisions of a few KB each (written straight into the history
table, as an import would), then requests the first page of its history through the real view
as a team member, several times, and prints the median and 95th percentile time and the number
of queries. The issue's target is under 100 ms on PostgreSQL.
"""

import math
import random
import statistics
import time
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import F
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from sources.history import revision_page
from sources.permissions import EDITORS
from wiki.models import Actor
from wiki.services import page_save

TARGET_MS = 100.0
# fmt: off
_WORDS = [
    "the", "northern", "alliance", "was", "established", "in", "opposition", "to", "government",
    "led", "by", "president", "commander", "forces", "valley", "province", "agreement", "party",
    "faction", "militia", "reported", "according", "sources", "said", "that", "during", "after",
    "before", "against", "with", "council", "members", "meeting", "territory", "the", "of", "a",
]
# fmt: on


def page_text(chars: int, *, seed: int) -> str:
    """About `chars` characters of wiki prose in paragraphs, the same for the same seed."""
    rng, paragraphs, length = random.Random(seed), [], 0
    while length < chars:
        sentences = [
            " ".join(rng.choices(_WORDS, k=rng.randint(8, 24))).capitalize() + "."
            for _ in range(rng.randint(3, 6))
        ]
        paragraphs.append(" ".join(sentences) + f" See [[Page {rng.randint(1, 50)}]].")
        length += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)


class _Rollback(Exception):
    """Raised to undo everything the benchmark wrote."""


def add_revisions(page, count: int, *, user=None, body_chars: int = 3000, seed: int = 0) -> None:
    """Write `count` revisions of `page` straight into its history table, one a second up to
    now: each body is the latest one followed by a few KB of prose, a little longer or shorter
    from one revision to the next; every other revision is by `user`.

    The page's earlier revisions move back in time to make room. The page row itself is left as
    it is: this is history as an import of an old wiki would leave it.
    """
    history = type(page).history.model
    page.history.update(history_date=F("history_date") - timedelta(seconds=count + 1))
    latest = page.history.order_by("-history_date", "-history_id").first()
    text = page_text(body_chars + 500, seed=seed)
    skip = {"history_id", "history_date", "history_type", "history_change_reason", "body"}
    copied = {
        f.attname: getattr(latest, f.attname)
        for f in history._meta.concrete_fields
        if f.attname not in skip
    }
    now = timezone.now()
    rows = [
        history(
            **(copied | {"history_user_id": user.pk if user and i % 2 else None}),
            history_date=now - timedelta(seconds=count - i),
            history_type="~",
            history_change_reason=f"Revision {i}",
            body=f"{latest.body}\n\n{text[: body_chars + (i * 37) % 400]}",
        )
        for i in range(1, count + 1)
    ]
    history.objects.bulk_create(rows, batch_size=500)


class Command(BaseCommand):
    help = "Time the history list of a page with many revisions (in a rolled-back transaction)."

    def add_arguments(self, parser):
        parser.add_argument("--revisions", type=int, default=10_000, help="revisions of the page")
        parser.add_argument("--runs", type=int, default=20, help="timed requests")
        parser.add_argument(
            "--other-pages",
            type=int,
            default=100,
            help="other pages whose revisions interleave with the page's (as many in all)",
        )
        parser.add_argument(
            "--explain", action="store_true", help="print the plans of the revision list queries"
        )
        parser.add_argument(
            "--index",
            action="store_true",
            help="add an (id, history_date, history_id) index first, to measure what it gives",
        )

    def handle(self, *args, revisions, runs, other_pages, explain, index, **options):
        try:
            with transaction.atomic():
                self._run(revisions, runs, other_pages, explain, index, options["verbosity"])
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write("rolled back: nothing was left in the database")

    def _run(self, revisions, runs, other_pages, explain, index, verbosity):
        user = User.objects.create(username="benchmark-history-editor")
        user.groups.add(*Group.objects.filter(name=EDITORS))
        page = Actor(title="Benchmark history page", slug="benchmark-history-page")
        page_save(page=page, body="A first text.", user=None, change_reason="Created")
        started = time.perf_counter()
        add_revisions(page, revisions - 1, user=user)
        _other_pages(other_pages, revisions, user)
        _prepare(index)
        self.stdout.write(
            f"database: {connection.vendor}; revisions: {revisions:,} of the page and "
            f"{Actor.history.count() - revisions:,} of {other_pages} other pages; runs: {runs}; "
            f"index: {'(id, history_date, history_id) added' if index else 'as migrated'}"
        )
        setup = time.perf_counter() - started
        self.stdout.write(f"setup (bulk insert of the history): {setup:.1f} s")
        url = reverse("wiki:entry-history", args=["actors", page.slug])
        last_page = math.ceil(revisions / 50)
        measured = [
            ("history list, first page of 50", url, {}),
            (f"history list, page {last_page} of 50", url, {"page": last_page}),
            ("recent changes, first page of 50", reverse("wiki:changes"), {}),
        ]
        for label, path, params in measured:
            request = RequestFactory().get(path, params)
            request.user = user
            self._measure(label, request, runs, verbosity)
        if explain:
            self._explain(page, [1, last_page])

    def _measure(self, label, request, runs, verbosity):
        """Time one request through its real view and print the median, p95 and query count."""
        view = resolve(request.path)
        view.func(request, *view.args, **view.kwargs)  # warm up caches and the connection
        samples = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = view.func(request, *view.args, **view.kwargs)
                samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        median, p95 = statistics.median(samples), _p95(samples)
        verdict = "PASS" if median < TARGET_MS else "over"
        self.stdout.write(
            f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms, "
            f"queries {len(queries)} (target median < {TARGET_MS:.0f} ms: {verdict})"
        )
        if verbosity > 1:
            for query in queries.captured_queries:
                self.stdout.write(f"  {query['time']} s  {query['sql'][:160]}")

    def _explain(self, page, numbers):
        """The plans of the count and revision queries of the first and the last page."""
        is_postgres = connection.vendor == "postgresql"
        prefix = "EXPLAIN ANALYZE " if is_postgres else "EXPLAIN QUERY PLAN "
        for number in numbers:
            with CaptureQueriesContext(connection) as queries:
                revision_page(
                    page.history.all(),
                    number,
                    text_field="body",
                    fields=[],
                    history_url="",
                    revision_url=str,
                )
            self.stdout.write(f"-- plans for page {number} of the history list")
            with connection.cursor() as cursor:
                for query in queries.captured_queries:
                    cursor.execute(prefix + query["sql"])
                    self.stdout.write(query["sql"])
                    self.stdout.write("\n".join(str(row[-1]) for row in cursor.fetchall()))


def _other_pages(count, revisions, user):
    """Other pages edited over the same time, so that the page's rows are not alone."""
    others = bulk_create_with_history(
        [Actor(title=f"Other page {n}", slug=f"benchmark-other-{n}") for n in range(count)],
        Actor,
    )
    for n, other in enumerate(others):
        add_revisions(other, max(1, revisions // count - 1), user=user, seed=n + 1)


def _prepare(index):
    """Fresh planner statistics, as autovacuum keeps them; optionally the index to try."""
    table = Actor.history.model._meta.db_table
    with connection.cursor() as cursor:
        if index:
            if connection.vendor == "postgresql":  # run the deferred FK checks first
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f"CREATE INDEX benchmark_history_object_date ON {table} "
                "(id, history_date DESC, history_id DESC)"
            )
        cursor.execute(f"ANALYZE {table}")


def _p95(samples):
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
