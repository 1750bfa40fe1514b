"""Time a page's history list with a long history: `manage.py benchmark_history [--revisions N]`.

Inside one transaction that is rolled back at the end (the database is left as it was found),
the command makes a page with N revisions of a few KB each (written straight into the history
table, as an import would), then requests the first page of its history through the real view
as a team member, several times, and prints the median and 95th percentile time and the number
of queries. The issue's target is under 100 ms on PostgreSQL.
"""

import math
import statistics
import time

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from simple_history.utils import bulk_create_with_history

from sources.common.history.revisions import revision_page
from sources.common.permissions import EDITORS
from wiki.benchmarks.history import add_revisions
from wiki.models import Actor
from wiki.services import page_save

TARGET_MS = 100.0


class _Rollback(Exception):
    """Raised to undo everything the benchmark wrote."""


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
