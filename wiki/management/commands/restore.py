"""python manage.py restore FILE: load an archive written by `backup` into an empty database."""

from django.core.management.base import BaseCommand, CommandError

from sources.common.progress import ProgressBar
from wiki.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Load an archive written by `backup` into this database, which must be migrated and "
        "empty. Ids are kept; users get unusable passwords (set them with changepassword)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive written by `python manage.py backup`.")

    def handle(self, *args, file, verbosity=1, **options):
        progress = ProgressBar.for_command(self, "Restoring", quiet=verbosity < 1)
        try:
            report = backup_restore(path=file, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if verbosity >= 1:
            self._summary(report)

    def _summary(self, report):
        rows = sum(report.rows.values())
        history = sum(n for label, n in report.rows.items() if ".historical" in label)
        self.stdout.write(
            f"Restored {rows} rows in {len(report.rows)} tables ({history} history rows) "
            f"and {report.files} uploaded files."
        )
        for label, count in report.rows.items():
            if count:
                self.stdout.write(f"  {label}: {count}")
        if names := report.usernames:
            listed = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
            self.stdout.write(
                self.style.WARNING(
                    f"{len(names)} users were restored without passwords ({listed}). "
                    "Set one with `python manage.py changepassword USERNAME`."
                )
            )
        if report.other_database:
            # Search keeps a PostgreSQL vector or SQLite's folded words, not both.
            self.stdout.write(
                self.style.WARNING(
                    f"The archive was made on {report.other_database}: run "
                    "`python manage.py rebuild_search_index` so that search works here."
                )
            )
        self.stdout.write(self.style.SUCCESS("Restore complete."))
