"""Back up the whole wiki into one zip archive: every backed-up table, every uploaded file, and
a manifest with the row counts and a checksum of each (see the package's docstring).
"""

import hashlib
import json
import os
import tempfile
import time
import zipfile
from importlib import metadata
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from wiki.backup import rows
from wiki.backup.manifest import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    Counter,
    Progress,
    applied_migrations,
    backed_up_models,
    media_member,
    read_chunks,
    table_member,
)


def _attest_version() -> str:
    try:
        return metadata.version("attest")
    except metadata.PackageNotFoundError:
        return "unknown"


def _snapshot_begin(outermost: bool) -> None:
    # One consistent picture of the database even while people keep editing. Inside a
    # transaction someone else opened (tests, a caller's atomic block) theirs already decides.
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


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


def _table_lines(model, encoder, counter: Counter):
    for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000):
        counter.step()
        yield (json.dumps(encoder.encode(obj), ensure_ascii=False) + "\n").encode()


def _file_chunks(name: str):
    with default_storage.open(name, "rb") as source:
        yield from read_chunks(source)


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
        counter = Counter(progress, sum(counts.values()) + len(present))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "attest_version": _attest_version(),
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": applied_migrations(models_),
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
                    member = _write_member(archive, table_member(model._meta.label_lower), lines)
                    manifest["tables"][label] = {"rows": counts[label], **member}
                for name in present:
                    manifest["media"][name] = _write_member(
                        archive, media_member(name), _file_chunks(name)
                    )
                    counter.step(force=True)
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return manifest
