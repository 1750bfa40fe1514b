"""The progress bar of long management commands: drawn on stderr while a person watches it."""

from django.core.management.base import BaseCommand

BAR_WIDTH = 30


class ProgressBar:
    """A callable `progress(done, total)` that redraws one line: "Label [####......] 3/10 unit"."""

    def __init__(self, command: BaseCommand, label: str, unit: str = ""):
        self.command, self.label, self.unit = command, label, unit

    def __call__(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        line = f"\r{self.label} [{bar}] {done}/{total}" + (f" {self.unit}" if self.unit else "")
        # style_func=str: stderr is coloured as an error by default, and this is no error.
        self.command.stderr.write(line, str, ending="")
        if done >= total:
            self.command.stderr.write("", str)
        self.command.stderr.flush()

    @classmethod
    def for_command(cls, command: BaseCommand, label: str, *, unit: str = "", quiet=False):
        """A bar for an interactive run; None (no progress) for scripts, cron, CI and tests."""
        if quiet or not command.stderr.isatty():
            return None
        return cls(command, label, unit)
