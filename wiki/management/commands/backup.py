"""python manage.py backup FILE: the whole wiki (content, history, users, files) in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wiki.backup import BackupError, backup_create

BAR_WIDTH = 30


class ProgressBar:
    """The bar check_citations draws: on stderr, only when a person watches the terminal."""

    def __init__(self, command: BaseCommand, label: str):
        self.command, self.label = command, label

    def __call__(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        # style_func=str: stderr is coloured as an error by default, and this is no error.
        self.command.stderr.write(f"\r{self.label} [{bar}] {done}/{total}", str, ending="")
        if done >= total:
            self.command.stderr.write("", str)
        self.command.stderr.flush()

    @classmethod
    def for_command(cls, command: BaseCommand, label: str, verbosity: int):
        """A bar for an interactive run; None (no progress) for scripts, cron and tests."""
        return cls(command, label) if verbosity >= 1 and command.stdout.isatty() else None


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
        progress = ProgressBar.for_command(self, "Backing up", verbosity)
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
