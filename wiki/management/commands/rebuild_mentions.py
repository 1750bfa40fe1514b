"""python manage.py rebuild_mentions: rematch every source text against every entry name."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from sources.common.progress import ProgressBar
from sources.models import Mention
from wiki.mentions.index import mentions_rebuild_all


class Command(BaseCommand):
    help = (
        "Rebuild the mention index: which actors, factions and events each source's text "
        "names, by title or alias. Saves keep it up to date; run this after an upgrade or an "
        "import that bypassed them."
    )

    def handle(self, *args, verbosity=1, **options):
        progress = ProgressBar.for_command(
            self, "Matching names", unit="sources", quiet=not verbosity
        )
        started = time.perf_counter()
        # One transaction: readers see the old index until the new one is complete.
        with transaction.atomic():
            mentions_rebuild_all(progress=progress)
        if verbosity:
            seconds = time.perf_counter() - started
            sources = Mention.objects.values("source").distinct().count()
            self.stdout.write(
                f"{Mention.objects.count()} mention rows in {sources} sources, "
                f"built in {seconds:.1f} s."
            )
