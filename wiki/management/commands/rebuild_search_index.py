"""python manage.py rebuild_search_index: index every page and source again, from scratch."""

from django.core.management.base import BaseCommand

from sources.common.progress import ProgressBar
from wiki.search.index import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every actor, faction, event and source (after a bulk "
        "load that bypassed the save services, or a change of how documents are indexed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No progress bar, no summary.")

    def handle(self, *args, quiet=False, verbosity=1, **options):
        quiet = quiet or verbosity == 0
        progress = ProgressBar.for_command(self, "Indexing", quiet=quiet)
        total = search_index_rebuild(progress)
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"Indexed {total} pages and sources."))
