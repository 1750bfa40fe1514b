"""python manage.py benchmark_concurrency: editors and curators at once over HTTP, no save lost.

In a throwaway database made beside the configured one (and dropped at the end), the command
serves the app with gunicorn on 127.0.0.1, logs people in through the login form, and lets
editors save edits of different paragraphs of one page, of one source's text and different
fields of one relation while curators publish, unpublish, lock and unlock them from the site
and the admin and save stale admin change forms. It prints how many saves were attempted,
acknowledged, merged, refused with a conflict or a lock, and lost (which must be 0). PostgreSQL
only. Exits 1 when a save was lost.
"""

import json
from dataclasses import fields

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from wiki.benchmarks.concurrency import Sizes, benchmark_run, report_text
from wiki.benchmarks.report import SizedBenchmarkCommand


class Command(SizedBenchmarkCommand):
    help = (
        "Serve a throwaway database with gunicorn and let editors and curators work at once "
        "over HTTP; print the saves attempted, acknowledged, merged, refused and lost."
    )
    sizes = Sizes
    size_help = {
        "editors": "editors, each saving their own paragraph or field",
        "curators": "curators publishing and locking, from the site and from the admin",
        "rounds": "rounds each person works",
        "workers": "gunicorn worker processes",
    }

    def handle(self, *args, as_json=False, **options):
        sizes = Sizes(**{size.name: options[size.name] for size in fields(Sizes)})
        say = self.stderr.write if as_json else self.stdout.write
        try:
            report = benchmark_run(sizes, say=say)
        except (ImproperlyConfigured, RuntimeError) as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(report_text(report))
        if report.total.lost:
            raise CommandError(f"{report.total.lost} acknowledged save(s) lost.")
