"""python manage.py backup FILE: the whole wiki (content, history, users, files) in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sources.common.progress import ProgressBar
from wiki.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the whole wiki to one zip archive: sources, citations, pages, relations, tags, "
        "every revision of history, users and groups (without password hashes), and the "
        "uploaded files. `restore` loads it into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to write, e.g. attest-2025-01-31.zip.")
        parser.add_argument(
            "--overwrite", action="store_true", help="Replace FILE if it already exists."
        )

    def handle(self, *args, file, overwrite=False, verbosity=1, **options):
        path = Path(file)
        if path.exists() and not overwrite:
            raise CommandError(f"{path} already exists; choose another name or add --overwrite.")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        progress = ProgressBar.for_command(self, "Backing up", quiet=verbosity < 1)
        try:
            manifest = backup_create(path=path, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if verbosity >= 1:
            self.stdout.write(_summary(manifest, path))


def _summary(manifest: dict, path: Path) -> str:
    tables = manifest["tables"]
    rows = sum(info["rows"] for info in tables.values())
    history = sum(info["rows"] for label, info in tables.items() if ".historical" in label)
    lines = [
        f"Wrote {path}: {rows} rows in {len(tables)} tables ({history} history rows), "
        f"{len(manifest['media'])} uploaded files. Password hashes are not in it."
    ]
    if manifest["media_missing"]:
        lines.append(
            f"{len(manifest['media_missing'])} files the rows name were not found in MEDIA_ROOT: "
            + ", ".join(manifest["media_missing"][:5])
        )
    return "\n".join(lines)
