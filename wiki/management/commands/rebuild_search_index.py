"""python manage.py rebuild_search_index: index every page and source again, from scratch."""

from django.core.management.base import BaseCommand

from wiki.search_index import search_index_rebuild

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every actor, faction, event and source (after a bulk "
        "load that bypassed the save services, or a change of how documents are indexed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No progress bar, no summary.")

    def handle(self, *args, quiet=False, verbosity=1, **options):
        quiet = quiet or verbosity == 0
        progress = self._progress if not quiet and self.stderr.isatty() else None
        total = search_index_rebuild(progress)
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"Indexed {total} pages and sources."))

    def _progress(self, done, total):
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        # style_func=str: stderr is coloured as an error by default, and this is no error.
        self.stderr.write(f"\rIndexing [{bar}] {done}/{total}", str, ending="")
        if done == total:
            self.stderr.write("", str)
        self.stderr.flush()
