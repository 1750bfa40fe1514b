"""What every benchmark command shares: figures with medians and targets, the machine they were
measured on, a plain-text report, timing helpers and a transaction that is always rolled back.
"""

import contextlib
import json
import math
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields

import django
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


@dataclass
class Figure:
    """One measured quantity: its samples and, when the issue sets one, its target median."""

    section: str
    name: str
    samples: list[float]
    unit: str = "ms"
    target: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        """The nearest-rank 95th percentile: no interpolation between samples."""
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "PASS" if self.median <= self.target else "over"

    def as_dict(self) -> dict:
        figures = {"median": self.median, "p95": self.p95, "max": max(self.samples)}
        return {
            "section": self.section,
            "name": self.name,
            "unit": self.unit,
            "n": len(self.samples),
            **{key: round(value, 3) for key, value in figures.items()},
            "target": self.target,
            "verdict": self.verdict,
            "note": self.note,
        }


@dataclass
class Report:
    """A run's figures and the machine they were measured on."""

    machine: dict
    sizes: object  # the run's sizes, a dataclass
    figures: list[Figure] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "machine": self.machine,
            "sizes": asdict(self.sizes),
            "figures": [figure.as_dict() for figure in self.figures],
        }


def timed(call, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = call(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def timed_queries(call, *args, **kwargs) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        ms, _ = timed(call, *args, **kwargs)
    return ms, len(queries)


@contextlib.contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def machine_info() -> dict:
    """What the figures depend on besides the code."""
    version = ".".join(str(part) for part in connection.get_database_version())
    # Other work on the machine slows every figure: the load average says how much there was.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load": round(load, 2) if load is not None else None,
        "database": f"{connection.vendor} {version}",
        "debug": settings.DEBUG,
    }


def report_table(report: Report) -> str:
    """The figures as a plain-text table, with each target and whether the median meets it."""
    machine = report.machine
    lines = [
        f"Python {machine['python']}, Django {machine['django']}, {machine['database']}, "
        f"DEBUG {'on' if machine['debug'] else 'off'}",
        f"{machine['platform']}, {machine['cpus']} CPUs, load average {machine['load']}",
    ]
    header = f"  {'':44} {'median':>10} {'p95':>10} {'max':>10} {'n':>4}  target"
    section = None
    for figure in report.figures:
        if figure.section != section:
            section = figure.section
            lines += ["", section, header]
        lines.append(_row(figure))
    return "\n".join(lines)


def _row(figure: Figure) -> str:
    def shown(value):
        return f"{value:10.0f}" if figure.unit == "queries" else f"{value:7.2f} ms"

    values = (figure.median, figure.p95, max(figure.samples))
    target = f"< {figure.target:g} ms" if figure.target is not None else ""
    row = f"  {figure.name:44} {' '.join(shown(v) for v in values)} {len(figure.samples):>4}"
    row += f"  {target:<10} {figure.verdict:<4}  {figure.note}"
    return row.rstrip()


class SizedBenchmarkCommand(BaseCommand):
    """A benchmark command: one option per field of its Sizes, --json, and the report table.

    Subclasses set `sizes` (a dataclass of defaults), `size_help` (field name → help text) and
    `run` (Sizes → Report).
    """

    sizes: type
    size_help: dict[str, str] = {}
    run: Callable

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the figures as JSON."
        )
        # Smaller sizes keep the tests fast; the defaults are the sizes the issue asks about.
        for name, help_text in self.size_help.items():
            parser.add_argument(
                "--" + name.replace("_", "-"),
                type=int,
                default=getattr(self.sizes, name),
                help=f"{help_text} (default: %(default)s)",
            )

    def handle(self, *args, as_json=False, **options):
        sizes = self.sizes(**{size.name: options[size.name] for size in fields(self.sizes)})
        report = type(self).run(sizes)
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(report_table(report))
