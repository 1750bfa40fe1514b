"""python manage.py benchmark_public: a public page's throughput against a bare view's, with wrk."""

import json
from dataclasses import fields

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from wiki.benchmarks.public import Settings, benchmark_run, report_text

SETTING_HELP = {
    "workers": "gunicorn worker processes",
    "threads": "wrk threads",
    "connections": "open connections wrk keeps",
    "seconds": "seconds of load per URL and round",
    "rounds": "rounds per URL, alternating which goes first",
}


class Command(BaseCommand):
    help = (
        "Serve the app with gunicorn (DEBUG off) on a free port and measure with wrk the "
        "requests/second of a published page and of a bare view answering as many bytes. Uses "
        "the configured database, which must hold the demo (manage.py load_demo). Needs wrk."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", default="", help="The page to measure (default: the longest public page)."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the figures as JSON."
        )
        for name, help_text in SETTING_HELP.items():
            parser.add_argument(
                f"--{name}",
                type=int,
                default=getattr(Settings, name),
                help=f"{help_text} (default: %(default)s)",
            )

    def handle(self, *args, path="", as_json=False, **options):
        run = Settings(**{setting.name: options[setting.name] for setting in fields(Settings)})
        say = self.stderr.write if as_json else self.stdout.write
        try:
            report = benchmark_run(run, path=path, say=say)
        except (ImproperlyConfigured, RuntimeError) as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(report_text(report))
