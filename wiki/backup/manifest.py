"""What a backup archive holds and how its manifest names it: shared by writing and restoring.

Which tables are backed up (and why the others are not), the member each table and file is
stored under, the migration state an archive records, and progress reported every few rows.
"""

import graphlib
from collections.abc import Callable

from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from simple_history.models import HistoricalChanges

FORMAT = "attest-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BACKED_UP_APPS = ("auth", "admin", "taggit", "sources", "wiki")
# Every other model is left out on purpose, for the reason given (the README repeats them).
LEFT_OUT = {
    "auth.permission": "made by migrate; groups refer to permissions by natural key",
    "contenttypes": "made by migrate; rows refer to content types by natural key",
    "sessions": "logins in progress; session keys are secrets, people log in again",
    "axes": "failed-login records: one server's security state, not the wiki's",
    "authtoken": "API tokens are secrets: team members make new ones on the new server",
    "django_tasks_database": "background tasks: a new server rebuilds its indexes with rebuild_*",
}
ROWS_PER_PROGRESS_STEP = 200

Progress = Callable[[int, int], None] | None


class BackupError(Exception):
    """An archive that cannot be written or restored; the message says why and what to do."""


def left_out_reason(model) -> str | None:
    """Why a model is not backed up, or None when it is."""
    label = model._meta.label_lower
    return LEFT_OUT.get(label) or LEFT_OUT.get(model._meta.app_label)


def _is_backed_up(model) -> bool:
    if issubclass(model, HistoricalChanges):
        return True
    return model._meta.app_label in BACKED_UP_APPS and left_out_reason(model) is None


def backed_up_models() -> list:
    """Every table the archive holds, each after the tables its foreign keys point at."""
    chosen = [
        model
        for model in apps.get_models(include_auto_created=True)
        if _is_backed_up(model) and not model._meta.proxy and model._meta.managed
    ]
    chosen.sort(key=lambda model: model._meta.label_lower)
    graph = graphlib.TopologicalSorter()
    for model in chosen:
        targets = {f.related_model for f in model._meta.concrete_fields if f.is_relation} & set(
            chosen
        )
        graph.add(model, *(targets - {model}))
    try:
        return list(graph.static_order())
    except graphlib.CycleError:
        # Foreign keys are checked at commit on both databases; the order only helps reading.
        return chosen


def applied_migrations(models_) -> dict:
    """Applied migration names of the apps whose tables the archive holds."""
    labels = {model._meta.app_label for model in models_} | {"contenttypes"}
    applied = MigrationRecorder(connection).applied_migrations()
    return {
        label: sorted(name for app, name in applied if app == label) for label in sorted(labels)
    }


def table_member(label: str) -> str:
    """The archive member holding a table's rows: data/<app>.<model>.jsonl."""
    return f"data/{label}.jsonl"


def media_member(name: str) -> str:
    """The archive member holding an uploaded file: media/<its name in storage>."""
    return f"media/{name}"


def read_chunks(file):
    """A file's bytes, a mebibyte at a time."""
    return iter(lambda: file.read(1 << 20), b"")


class Counter:
    """Reports progress every few rows rather than on each one."""

    def __init__(self, progress: Progress, total: int):
        self.progress, self.total, self.done = progress, total, 0

    def step(self, n: int = 1, *, force: bool = False) -> None:
        before, self.done = self.done, self.done + n
        crossed = before // ROWS_PER_PROGRESS_STEP != self.done // ROWS_PER_PROGRESS_STEP
        if self.progress is not None and (crossed or force or self.done == self.total):
            self.progress(self.done, self.total)
