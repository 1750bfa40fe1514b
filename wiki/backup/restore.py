"""Restore a backup archive into an empty, migrated database.

Everything is checked before anything is written (the manifest, every member's checksum, the
migration state, the tables, an empty database), and everything is written in one transaction.
"""

import hashlib
import json
import zipfile
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction

from wiki.backup import rows
from wiki.backup.manifest import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    Counter,
    Progress,
    applied_migrations,
    backed_up_models,
    media_member,
    read_chunks,
    table_member,
)

# Groups exist after migrate (Editors, Curators); the archive's groups replace them.
MADE_BY_MIGRATE = ("auth.group", "auth.group_permissions")


@dataclass
class RestoreReport:
    """What a restore wrote: rows per table, files, and the users who need a password."""

    rows: dict = field(default_factory=dict)
    files: int = 0
    usernames: list = field(default_factory=list)
    # The kind of database the archive was made on ("sqlite"), when it is not this one's.
    other_database: str = ""


def _open_archive(path) -> tuple[zipfile.ZipFile, dict]:
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"There is no file {path}.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{path} is not an Attest backup (not a zip archive: {error}).") from None
    try:
        return archive, _read_manifest(archive, path)
    except BackupError:
        archive.close()
        raise


def _read_manifest(archive, path) -> dict:
    """The archive's manifest, refused unless it is whole and in the format this Attest reads."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(f"{path} is not an Attest backup: it has no {MANIFEST}.") from None
    except (ValueError, zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{path} is damaged: its {MANIFEST} cannot be read ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not an Attest backup (its manifest names another format).")
    if not _manifest_is_whole(manifest):
        raise BackupError(f"{path} is damaged: its {MANIFEST} lacks row counts or checksums.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is an Attest backup in format version {manifest.get('format_version')}; "
            f"this Attest reads version {FORMAT_VERSION}. Restore it with the Attest version "
            f"that made it ({manifest.get('attest_version', 'unknown')})."
        )
    return manifest


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
    listed = {table_member(label): info for label, info in manifest.get("tables", {}).items()}
    listed |= {media_member(name): info for name, info in manifest.get("media", {}).items()}
    for name, info in listed.items():
        digest = hashlib.sha256()
        try:
            with archive.open(name) as member:
                for chunk in read_chunks(member):
                    digest.update(chunk)
        except KeyError:
            raise BackupError(f"{path} is damaged: {name} is missing.") from None
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise BackupError(f"{path} is damaged: {name} cannot be read ({error}).") from None
        if digest.hexdigest() != info.get("sha256"):
            raise BackupError(f"{path} is damaged: {name} does not match its checksum.")


def _check_migrations(manifest: dict, models_) -> None:
    ours = applied_migrations(models_)
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


def _load_table(archive, model, expected: int, counter: Counter, report: RestoreReport):
    decoder = rows.RowDecoder(model)
    loaded = 0
    with archive.open(table_member(model._meta.label_lower)) as member:
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


def _restore_media(archive, manifest: dict, counter: Counter) -> int:
    for name in manifest.get("media", {}):
        try:
            # The database is empty, so no row refers to a file already stored under this name.
            default_storage.delete(name)
            with archive.open(media_member(name)) as member:
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
        counter, report = Counter(progress, total), RestoreReport()
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
