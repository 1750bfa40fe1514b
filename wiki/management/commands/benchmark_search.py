"""python manage.py benchmark_search: search latency and mention indexing on a synthetic corpus."""

import argparse

from wiki.benchmarks.report import SizedBenchmarkCommand
from wiki.benchmarks.search import Sizes, benchmarks_run

SIZE_HELP = {
    "source_kb": "KB of text in each source",
    "entries": "synthetic actors, factions and events, each with aliases",
    "mentions": "names written into each text",
    "queries": "distinct search queries",
    "repeat": "times each query is run, for each kind of reader",
    "alias_changes": "alias changes after which the mention task is timed",
    "saves": "page_save calls timed, every other one adding an alias",
}


def source_counts(value: str) -> tuple[int, ...]:
    """ "10000,100000" → (10000, 100000): the archive sizes to measure, in turn."""
    try:
        counts = tuple(int(part.replace("_", "")) for part in value.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {value!r}") from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"no archive size in {value!r}")
    return counts


class Command(SizedBenchmarkCommand):
    help = (
        "Build a synthetic corpus (10,000 sources of ~20 KB, 5,000 entries with aliases by "
        "default), then time indexing it, the mention task after an alias change, page_save "
        "and search latency. --sources 10000,100000 measures both sizes in one run. Each size "
        "is written in one transaction and rolled back."
    )

    sizes = Sizes
    size_help = SIZE_HELP
    run = staticmethod(benchmarks_run)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--sources",
            type=source_counts,
            default=Sizes.sources,
            help="synthetic sources: one number, or several separated by commas, each "
            "measured on its own corpus (default: 10000)",
        )

    def handle(self, *args, **options):
        if not isinstance(options["sources"], tuple):  # call_command(sources=12) is not parsed
            options["sources"] = source_counts(str(options["sources"]))
        super().handle(*args, **options)
