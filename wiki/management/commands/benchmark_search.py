"""python manage.py benchmark_search: search latency and mention indexing on a synthetic corpus."""

import json
from dataclasses import fields

from django.core.management.base import BaseCommand

from wiki.benchmark_report import report_table
from wiki.search_benchmark import Sizes, benchmarks_run

SIZE_HELP = {
    "sources": "synthetic sources",
    "source_kb": "KB of text in each source",
    "entries": "synthetic actors, factions and events, each with aliases",
    "mentions": "names written into each text",
    "queries": "distinct search queries",
    "repeat": "times each query is run, for each kind of reader",
    "alias_changes": "alias changes timed, through page_save and alone",
}


class Command(BaseCommand):
    help = (
        "Build a synthetic corpus (10,000 sources of ~20 KB, 5,000 entries with aliases by "
        "default), then time the mention index build, re-indexing after an alias change, and "
        "search latency. Everything is written in one transaction and rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the figures as JSON."
        )
        # Smaller sizes keep the tests fast; the defaults are the sizes the issue asks about.
        for name, help_text in SIZE_HELP.items():
            parser.add_argument(
                "--" + name.replace("_", "-"),
                type=int,
                default=getattr(Sizes, name),
                help=f"{help_text} (default: %(default)s)",
            )

    def handle(self, *args, as_json=False, **options):
        report = benchmarks_run(Sizes(**{size.name: options[size.name] for size in fields(Sizes)}))
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(report_table(report))
