"""python manage.py load_demo: the demo corpus and wiki, and the demo accounts (idempotent)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from wiki.demo.loader import demo_accounts_ensure, demo_load


class Command(BaseCommand):
    help = "Load the demo sources and wiki, and create the demo accounts (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts", action="store_true", help="Load the content only; make no accounts."
        )

    def handle(self, *args, no_accounts=False, **options):
        report = demo_load()
        for bucket in ("created", "changed", "unchanged"):
            counts = getattr(report, bucket)
            if counts:
                listed = ", ".join(f"{n} {kind}" for kind, n in counts.items())
                self.stdout.write(f"{bucket.capitalize()}: {listed}.")
        if not no_accounts:
            self._accounts()

    def _accounts(self):
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "Demo accounts were not created: DEBUG is off, and accounts with a known "
                    "password do not belong on a production site. Create users with "
                    "`manage.py createsuperuser` or in the admin."
                )
            )
            return
        created, generated = demo_accounts_ensure(os.environ.get("ATTEST_DEMO_PASSWORD") or None)
        if generated:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo accounts created: editor and curator, password {generated}\n"
                    "This password is shown only once; set ATTEST_DEMO_PASSWORD to choose your own."
                )
            )
        elif created:
            self.stdout.write(
                f"Demo accounts created: {', '.join(created)} (ATTEST_DEMO_PASSWORD)."
            )
        else:
            self.stdout.write(
                "Demo accounts: editor and curator (password: ATTEST_DEMO_PASSWORD, or the one "
                "printed when they were first created)."
            )
        self.stdout.write("Log in at http://127.0.0.1:8000/accounts/login/ (curator: /admin/).")
