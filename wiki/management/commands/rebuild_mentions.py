"""python manage.py rebuild_mentions: rematch every source text against every entry name."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from sources.models import Mention
from wiki.mention_index import mentions_rebuild_all

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Rebuild the mention index: which actors, factions and events each source's text "
        "names, by title or alias. Saves keep it up to date; run this after an upgrade or an "
        "import that bypassed them."
    )

    def handle(self, *args, verbosity=1, **options):
        progress = self._progress if verbosity and self.stderr.isatty() else None
        started = time.perf_counter()
        # One transaction: readers see the old index until the new one is complete.
        with transaction.atomic():
            mentions_rebuild_all(progress=progress)
        if progress is not None:
            self.stderr.write("", str)
        if verbosity:
            seconds = time.perf_counter() - started
            sources = Mention.objects.values("source").distinct().count()
            self.stdout.write(
                f"{Mention.objects.count()} mention rows in {sources} sources, "
                f"built in {seconds:.1f} s."
            )

    def _progress(self, done, total):
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        # style_func=str: stderr is coloured as an error by default, and this is no error.
        self.stderr.write(f"\rMatching names [{bar}] {done}/{total} sources", str, ending="")
