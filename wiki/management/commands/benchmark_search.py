"""python manage.py benchmark_search: search latency and mention indexing on a synthetic corpus."""

from wiki.benchmarks.report import SizedBenchmarkCommand
from wiki.benchmarks.search import Sizes, benchmarks_run

SIZE_HELP = {
    "sources": "synthetic sources",
    "source_kb": "KB of text in each source",
    "entries": "synthetic actors, factions and events, each with aliases",
    "mentions": "names written into each text",
    "queries": "distinct search queries",
    "repeat": "times each query is run, for each kind of reader",
    "alias_changes": "alias changes timed, through page_save and alone",
}


class Command(SizedBenchmarkCommand):
    help = (
        "Build a synthetic corpus (10,000 sources of ~20 KB, 5,000 entries with aliases by "
        "default), then time the mention index build, re-indexing after an alias change, and "
        "search latency. Everything is written in one transaction and rolled back."
    )

    sizes = Sizes
    size_help = SIZE_HELP
    run = staticmethod(benchmarks_run)
