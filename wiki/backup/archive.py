"""Back up the whole wiki into one zip archive, and restore such an archive into an empty database.

The archive holds manifest.json (format, Attest version, migration state, row counts and a
checksum of every member), one JSON Lines file per table under data/, and the uploaded files
under media/. Tables are found through the app registry, so a model added to a backed-up app is
included without a change here; tests/wiki/test_backup.py fails for a model of any other app until
it is classified below.

Primary keys are kept (URLs such as /sources/<key>/#c<citation id> depend on them). Content types
and permissions are written as natural keys, because their ids differ between databases and
generic relations (citation uses, names, page links, tagged items) hold content type ids.
Password hashes are never written: restored users get unusable passwords.
"""

import graphlib
import hashlib
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from simple_history.models import HistoricalChanges

from wiki.backup import rows

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
}
# Groups exist after migrate (Editors, Curators); the archive's groups replace them.
MADE_BY_MIGRATE = ("auth.group", "auth.group_permissions")
ROWS_PER_PROGRESS_STEP = 200

Progress = Callable[[int, int], None] | None


class BackupError(Exception):
    """An archive that cannot be written or restored; the message says why and what to do."""


@dataclass
class RestoreReport:
    """What a restore wrote: rows per table, files, and the users who need a password."""

    rows: dict = field(default_factory=dict)
    files: int = 0
    usernames: list = field(default_factory=list)
    # The kind of database the archive was made on ("sqlite"), when it is not this one's.
    other_database: str = ""


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


def _member_of(label: str) -> str:
    return f"data/{label}.jsonl"


def _applied_migrations(models_) -> dict:
    """Applied migration names of the apps whose tables the archive holds."""
    labels = {model._meta.app_label for model in models_} | {"contenttypes"}
    applied = MigrationRecorder(connection).applied_migrations()
    return {
        label: sorted(name for app, name in applied if app == label) for label in sorted(labels)
    }


def _attest_version() -> str:
    try:
        return metadata.version("attest")
    except metadata.PackageNotFoundError:
        return "unknown"


# ---- backing up ------------------------------------------------------------------------------


def _snapshot_begin(outermost: bool) -> None:
    # One consistent picture of the database even while people keep editing. Inside a
    # transaction someone else opened (tests, a caller's atomic block) theirs already decides.
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


class _Counter:
    """Reports progress every few rows rather than on each one."""

    def __init__(self, progress: Progress, total: int):
        self.progress, self.total, self.done = progress, total, 0

    def step(self, n: int = 1, *, force: bool = False) -> None:
        before, self.done = self.done, self.done + n
        crossed = before // ROWS_PER_PROGRESS_STEP != self.done // ROWS_PER_PROGRESS_STEP
        if self.progress is not None and (crossed or force or self.done == self.total):
            self.progress(self.done, self.total)


def _write_member(archive, name: str, chunks) -> dict:
    digest, size = hashlib.sha256(), 0
    # A streamed member gets no date of its own (1980) unless given one.
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as out:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "bytes": size}


def _table_lines(model, encoder, counter: _Counter):
    for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000):
        counter.step()
        yield (json.dumps(encoder.encode(obj), ensure_ascii=False) + "\n").encode()


def _file_chunks(name: str):
    with default_storage.open(name, "rb") as source:
        yield from iter(lambda: source.read(1 << 20), b"")


def backup_create(*, path, progress: Progress = None) -> dict:
    """Write the whole wiki to a zip archive at path; returns its manifest.

    The archive is written next to path and moved into place when complete, so a failed
    backup never leaves a half-written file under the expected name.
    """
    path = Path(path)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        _snapshot_begin(outermost)
        models_ = backed_up_models()
        counts = {model._meta.label_lower: model._base_manager.count() for model in models_}
        media = rows.media_names(models_)
        present = sorted(name for name in media if default_storage.exists(name))
        counter = _Counter(progress, sum(counts.values()) + len(present))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "attest_version": _attest_version(),
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": _applied_migrations(models_),
            "tables": {},
            "media": {},
            "media_missing": sorted(set(media) - set(present)),
            "passwords": "left out: restored users have unusable passwords",
        }
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".partial")
        os.close(handle)
        try:
            with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
                for model in models_:
                    label = model._meta.label_lower
                    lines = _table_lines(model, rows.RowEncoder(model), counter)
                    member = _write_member(archive, _member_of(model._meta.label_lower), lines)
                    manifest["tables"][label] = {"rows": counts[label], **member}
                for name in present:
                    manifest["media"][name] = _write_member(
                        archive, f"media/{name}", _file_chunks(name)
                    )
                    counter.step(force=True)
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return manifest


# ---- restoring -------------------------------------------------------------------------------


def _open_archive(path) -> tuple[zipfile.ZipFile, dict]:
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"There is no file {path}.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{path} is not an Attest backup (not a zip archive: {error}).") from None
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        archive.close()
        raise BackupError(f"{path} is not an Attest backup: it has no {MANIFEST}.") from None
    except (ValueError, zipfile.BadZipFile, OSError) as error:
        archive.close()
        raise BackupError(f"{path} is damaged: its {MANIFEST} cannot be read ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        archive.close()
        raise BackupError(f"{path} is not an Attest backup (its manifest names another format).")
    if not _manifest_is_whole(manifest):
        archive.close()
        raise BackupError(f"{path} is damaged: its {MANIFEST} lacks row counts or checksums.")
    if manifest.get("format_version") != FORMAT_VERSION:
        archive.close()
        raise BackupError(
            f"{path} is an Attest backup in format version {manifest.get('format_version')}; "
            f"this Attest reads version {FORMAT_VERSION}. Restore it with the Attest version "
            f"that made it ({manifest.get('attest_version', 'unknown')})."
        )
    return archive, manifest


def _manifest_is_whole(manifest: dict) -> bool:
    tables, media = manifest.get("tables"), manifest.get("media")
    if not isinstance(tables, dict) or not isinstance(media, dict):
        return False
    members = [*tables.values(), *media.values()]
    return all(
        isinstance(info, dict) and isinstance(info.get("sha256"), str) for info in members
    ) and all(isinstance(info.get("rows"), int) for info in tables.values())


def _verify_members(archive, manifest: dict, path) -> None:
    """Refuse an archive whose members are missing or differ from the checksums it lists."""
    listed = {_member_of(label): info for label, info in manifest.get("tables", {}).items()}
    listed |= {f"media/{name}": info for name, info in manifest.get("media", {}).items()}
    for name, info in listed.items():
        digest = hashlib.sha256()
        try:
            with archive.open(name) as member:
                for chunk in iter(lambda member=member: member.read(1 << 20), b""):
                    digest.update(chunk)
        except KeyError:
            raise BackupError(f"{path} is damaged: {name} is missing.") from None
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise BackupError(f"{path} is damaged: {name} cannot be read ({error}).") from None
        if digest.hexdigest() != info.get("sha256"):
            raise BackupError(f"{path} is damaged: {name} does not match its checksum.")


def _check_migrations(manifest: dict, models_) -> None:
    ours = _applied_migrations(models_)
    theirs = manifest.get("migrations", {})
    problems = []
    for label in sorted(set(ours) | set(theirs)):
        missing = sorted(set(theirs.get(label, [])) - set(ours.get(label, [])))
        extra = sorted(set(ours.get(label, [])) - set(theirs.get(label, [])))
        problems += [f"{label}.{name} is applied in the archive, not here" for name in missing]
        problems += [f"{label}.{name} is applied here, not in the archive" for name in extra]
    if problems:
        raise BackupError(
            "The archive was made at another migration state, so its tables would not fit: "
            + "; ".join(problems[:6])
            + ("; …" if len(problems) > 6 else "")
            + ". Run `python manage.py migrate` on an empty database of the Attest version that "
            f"made the archive ({manifest.get('attest_version', 'unknown')}), restore there, "
            "then upgrade."
        )


def _check_tables(manifest: dict, models_) -> None:
    ours = {model._meta.label_lower for model in models_}
    theirs = set(manifest.get("tables", {}))
    if ours != theirs:
        differences = sorted(ours ^ theirs)
        raise BackupError(
            "The archive's tables differ from this Attest's: " + ", ".join(differences) + "."
        )


def _refuse_unless_empty(models_) -> None:
    held = [
        f"{count} {model._meta.verbose_name_plural}"
        for model in models_
        if model._meta.label_lower not in MADE_BY_MIGRATE and (count := model._base_manager.count())
    ]
    if held:
        raise BackupError(
            "The database is not empty (it holds "
            + ", ".join(held[:5])
            + (", …" if len(held) > 5 else "")
            + "). Restore only into an empty database: create a new one and run "
            "`python manage.py migrate`, or empty this one with `python manage.py flush`, "
            "which deletes everything in it."
        )


def _load_table(archive, model, expected: int, counter: _Counter, report: RestoreReport):
    decoder = rows.RowDecoder(model)
    loaded = 0
    with archive.open(_member_of(model._meta.label_lower)) as member:
        for batch in rows.batches(member, decoder):
            rows.insert(model, batch)
            loaded += len(batch)
            counter.step(len(batch))
    if loaded != expected:
        raise BackupError(
            f"The archive is damaged: {model._meta.label_lower} has {loaded} rows, "
            f"its manifest says {expected}."
        )
    report.rows[model._meta.label_lower] = loaded


def _restore_media(archive, manifest: dict, counter: _Counter) -> int:
    for name in manifest.get("media", {}):
        try:
            # The database is empty, so no row refers to a file already stored under this name.
            default_storage.delete(name)
            with archive.open(f"media/{name}") as member:
                stored = default_storage.save(name, File(member, name=name))
        except SuspiciousFileOperation:
            raise BackupError(
                f"The archive names a file outside the media folder: {name}."
            ) from None
        if stored != name:
            raise BackupError(f"The file {name} could not be stored under its own name.")
        counter.step(force=True)
    return len(manifest.get("media", {}))


def _reset_sequences(models_) -> None:
    # PostgreSQL sequences do not move when rows arrive with their ids; SQLite needs nothing.
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def backup_restore(*, path, progress: Progress = None) -> RestoreReport:
    """Load an archive written by backup_create into this (empty, migrated) database.

    Everything is checked before anything is written, and everything is written in one
    transaction: a refused or failed restore leaves the database as it was.
    """
    archive, manifest = _open_archive(path)
    with archive:
        models_ = backed_up_models()
        _verify_members(archive, manifest, path)
        _check_migrations(manifest, models_)
        _check_tables(manifest, models_)
        tables = manifest["tables"]
        total = sum(info["rows"] for info in tables.values()) + len(manifest.get("media", {}))
        counter, report = _Counter(progress, total), RestoreReport()
        try:
            with transaction.atomic():
                _refuse_unless_empty(models_)
                # Deleting the groups made by migrate takes their permission links with them.
                apps.get_model("auth.group")._base_manager.all().delete()
                for model in models_:
                    _load_table(
                        archive, model, tables[model._meta.label_lower]["rows"], counter, report
                    )
                connection.check_constraints()
                _reset_sequences(models_)
                report.files = _restore_media(archive, manifest, counter)
        except IntegrityError as error:
            raise BackupError(f"The archive's rows do not fit together: {error}") from None
        except rows.RowError as error:
            raise BackupError(f"{path} is damaged: {error}") from None
    report.usernames = list(get_user_model()._base_manager.values_list("username", flat=True))
    if manifest.get("database") != connection.vendor:
        report.other_database = str(manifest.get("database"))
    return report
