"""python manage.py import_sources PATH... [--url URL...]: documents, folders and Zotero exports
in bulk, as unpublished sources; what is already there is skipped, what fails is said, and why."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from sources.common.progress import ProgressBar
from sources.importing.bulk import FAILED, bulk_import, import_sources

CLEAR_LINE = "\r\x1b[K"  # only ever written to a terminal, under a progress bar


class Command(BaseCommand):
    help = (
        "Import documents as unpublished sources: files (.txt, .md, .html, .pdf, .docx), "
        "folders with everything in them, Zotero exports (CSL-JSON .json or BibTeX .bib, with "
        "their attached files) and URLs. Skips what the archive already holds; exits with "
        "status 1 when anything could not be imported, naming it and why."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="A file, folder or export.")
        parser.add_argument(
            "--url",
            action="append",
            dest="urls",
            default=[],
            metavar="URL",
            help="Fetch and import the document at this address (repeat for several).",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Hand the import to a task worker and return at once; the worker must see the "
            "same paths (this machine, or a shared disk). The task's result lists what became of "
            "each document.",
        )

    def handle(self, *args, paths, urls, background=False, verbosity=1, **options):
        if not paths and not urls:
            raise CommandError("Name the files, folders or Zotero exports to import, or --url.")
        if background:
            return self._enqueue(paths, urls)
        progress = ProgressBar.for_command(self, "Importing", unit="documents", quiet=not verbosity)

        def say(outcome):
            if verbosity or outcome.status == FAILED:
                if progress is not None:
                    self.stderr.write(CLEAR_LINE, str, ending="")
                self.stdout.write(outcome.line())

        report = import_sources(paths, urls=urls, progress=progress, on_outcome=say)
        if verbosity:
            self.stdout.write(report.summary())
        if failed := len(report.failed):
            raise _failed(failed)

    def _enqueue(self, paths, urls):
        # Absolute paths: the worker does not run in this directory.
        result = bulk_import.enqueue([str(Path(path).resolve()) for path in paths], urls)
        if not result.is_finished:
            self.stdout.write(
                f"Queued as task {result.id} on the “{bulk_import.queue_name}” queue: a task "
                "worker imports the documents; its result lists what became of each."
            )
            return
        # A backend that runs tasks at once (TASK_BACKEND=immediate): its result is here.
        if result.status != TaskResultStatus.SUCCESSFUL:
            raise CommandError(f"The import failed: {result.errors[-1].exception_class_path}")
        outcome = result.return_value
        for line in outcome["lines"]:
            self.stdout.write(line)
        self.stdout.write(outcome["summary"])
        if outcome["failed"]:
            raise _failed(outcome["failed"])


def _failed(count: int) -> CommandError:
    return CommandError(
        f"{count} document{'s' if count != 1 else ''} could not be imported: "
        "see the lines that begin with “failed”."
    )
