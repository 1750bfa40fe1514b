"""python manage.py benchmark_citations: how long anchoring, saving and reading citations take."""

from wiki.benchmarks.citations import Sizes, benchmarks_run
from wiki.benchmarks.report import SizedBenchmarkCommand

SIZE_HELP = {
    "repeat": "page saves (each on a fresh page) and page reads to time",
    "source_kb": "KB of text the quotes are anchored in",
    "quotes": "quotes to anchor, every second one retyped",
    "save_kb": "KB of text of each source the benchmark pages cite",
    "save_citations": "citations in the page that is saved",
    "render_citations": "citations in the page that is read",
    "render_links": "[[links]] in the page that is read",
}


class Command(SizedBenchmarkCommand):
    help = (
        "Time find_quote in a 1 MB source, page_save of a body with 100 citations and reading "
        "a page with 300 citations, against the targets. Every write is rolled back."
    )

    sizes = Sizes
    size_help = SIZE_HELP
    run = staticmethod(benchmarks_run)
