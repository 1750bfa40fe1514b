"""python manage.py loadtest: readers, editors and curators at once against gunicorn.

On a fresh PostgreSQL database (DATABASE_URL when it names one, else
postgres://attest:attest@127.0.0.1:5432/attest_loadtest; dropped at the end unless --keep),
with the demo and a generated archive, gunicorn serves the app with several workers while
locust plays 200 readers, 20 editors (half their edits on a few shared pages) and 3 curators
publishing and locking, for a few minutes. Prints requests per second and p50/p95 for each kind
of request, the errors, what became of the editors' saves, and the lost edits, which must be 0:
the command exits 1 otherwise. Ends with what the machine was.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from psycopg import Error as DatabaseError

from wiki.benchmarks.load.archive import Sizes
from wiki.benchmarks.load.run import Options, loadtest_run, report_text


def _users(value: str) -> tuple[int, int, int]:
    try:
        readers, editors, curators = (int(part) for part in value.split("/"))
    except ValueError:
        raise CommandError(
            f"--users {value}: give readers/editors/curators, e.g. 200/20/3."
        ) from None
    if min(readers, editors, curators) < 1:
        raise CommandError(f"--users {value}: at least one of each.")
    return readers, editors, curators


class Command(BaseCommand):
    help = (
        "Load-test the site: readers, editors and curators at once (locust) against gunicorn "
        "on a fresh PostgreSQL database; print throughput, latencies, errors and lost edits."
    )
    # The database it checks against does not exist until the command makes it.
    requires_system_checks = []

    def add_arguments(self, parser):
        defaults, sizes = Options(), Sizes()
        parser.add_argument(
            "--users",
            default=f"{sizes.readers}/{sizes.editors}/{sizes.curators}",
            help="readers/editors/curators (default: %(default)s)",
        )
        parser.add_argument(
            "--sources",
            type=int,
            default=sizes.sources,
            help="generated sources, with half as many generated pages (default: %(default)s)",
        )
        parser.add_argument(
            "--duration",
            type=int,
            default=defaults.duration,
            help="seconds of load once everyone has started (default: %(default)s)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=defaults.workers,
            help="gunicorn workers (default: %(default)s)",
        )
        parser.add_argument(
            "--think",
            type=float,
            default=defaults.think,
            help="scale the people's pauses between requests (default: %(default)s)",
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the database afterwards (to look at it)."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the report as JSON."
        )

    def handle(self, *args, users, sources, duration, workers, think, keep, as_json, **options):
        readers, editors, curators = _users(users)
        sizes = Sizes(sources=sources, readers=readers, editors=editors, curators=curators)
        run = Options(sizes=sizes, duration=duration, workers=workers, think=think, keep=keep)
        say = self.stderr.write if as_json else self.stdout.write
        try:
            report = loadtest_run(run, say=say)
        except (RuntimeError, DatabaseError) as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(report_text(report))
        if report.saves.lost:
            raise CommandError(f"{len(report.saves.lost)} acknowledged edit(s) lost.")
