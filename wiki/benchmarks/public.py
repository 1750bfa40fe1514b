"""Measure what the public gets: a page's throughput against a bare view of the same size.

`manage.py benchmark_public` serves the app with gunicorn, DEBUG off as in production, and loads
it with wrk: a published page, and a bare Django view that answers the same number of bytes
without touching the database or a template, through the same middleware. Both run in the same
server, in alternating rounds, so the ratio of the two throughputs says what the page itself
costs on this machine, whatever the machine.
"""

import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
from django.db.models.functions import Length

from wiki.models import ENTRY_MODELS

TARGET_RATIO = 0.5  # the page at half the bare view's throughput or better
WRK_MISSING = (
    "wrk is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y wrk; "
    "macOS: brew install wrk) and run the benchmark again."
)
NO_PAGE = (
    "No published page in the database ({database}). Load the demo first: "
    "python manage.py migrate && python manage.py load_demo"
)


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run reports."""

    requests_per_second: float
    requests: int
    latency_ms: dict[str, float]  # avg, and the 50th, 90th and 99th percentiles
    errors: int  # socket errors, and answers other than 2xx or 3xx


@dataclass(frozen=True)
class Settings:
    """How hard and how long the server is loaded."""

    workers: int = 2
    threads: int = 1
    connections: int = 8
    # Short rounds, many of them: each ratio compares two runs close in time.
    seconds: int = 5
    rounds: int = 5


@dataclass
class Measure:
    """One URL's rounds."""

    url: str
    bytes: int
    runs: list[WrkResult] = field(default_factory=list)

    @property
    def requests_per_second(self) -> float:
        return statistics.median(run.requests_per_second for run in self.runs)

    def latency(self, which: str) -> float:
        return statistics.median(run.latency_ms[which] for run in self.runs)


# wrk's output -----------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS_MS[unit]


def parse_wrk(output: str) -> WrkResult:
    """Read requests/second, latencies and errors from wrk's text output (run with --latency)."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in ", output)
    average = re.search(rf"Latency\s+{_DURATION}", output)
    if not (rate and total and average):
        raise ValueError(f"Not wrk output:\n{output}")
    latency = {"avg": _ms(*average.groups())}
    for percent in ("50", "90", "99"):
        found = re.search(rf"^\s*{percent}(?:\.0+)?%\s+{_DURATION}", output, re.MULTILINE)
        if found:
            latency[f"p{percent}"] = _ms(*found.groups())
    failed = re.search(r"Socket errors:([^\n]*)", output)
    errors = sum(int(n) for n in re.findall(r"\d+", failed.group(1))) if failed else 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return WrkResult(float(rate.group(1)), int(total.group(1)), latency, errors)


def wrk_path() -> str:
    """Where wrk is; ImproperlyConfigured saying how to install it when it is missing."""
    path = shutil.which("wrk")
    if path is None:
        raise ImproperlyConfigured(WRK_MISSING)
    return path


# What is measured ------------------------------------------------------------------------------


def page_path() -> str:
    """The published page with the longest text: the demo's most demanding public page."""
    try:
        pages = [
            model.objects.published()
            .annotate(size=Length("body"))
            .order_by("-size", "slug")
            .only("slug")
            .first()
            for model in ENTRY_MODELS
        ]
    except DatabaseError as error:
        raise ImproperlyConfigured(NO_PAGE.format(database=_database()) + f" ({error})") from None
    pages = [page for page in pages if page is not None]
    if not pages:
        raise ImproperlyConfigured(NO_PAGE.format(database=_database()))
    return max(pages, key=lambda page: page.size).get_absolute_url()


def _database() -> str:
    name = settings.DATABASES["default"]["NAME"]
    return f"{connection.vendor} {Path(str(name)).name if connection.vendor == 'sqlite' else name}"


def bare_path(size: int) -> str:
    from wiki.benchmarks.urls import BARE_PATH

    return f"/{BARE_PATH}{size}/"


# The server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment() -> dict[str, str]:
    """The app as production runs it (DEBUG off), over plain HTTP on this machine only."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "ATTEST_BENCHMARK": "1",  # adds the bare view (wiki.benchmarks.urls)
        "LOG_LEVEL": "ERROR",
    }


def collect_static(env: dict[str, str]) -> None:
    """With DEBUG off, pages name hashed static files: the manifest must exist."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, port: int):
    """A gunicorn serving the app on 127.0.0.1:port until the block ends; yields its base URL."""
    command = [
        *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"),
    ]
    server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, base)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(server: subprocess.Popen, base: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {server.stderr.read().decode()}")
        try:
            urllib.request.urlopen(base + bare_path(1), timeout=10).close()
            return
        except OSError:  # refused while gunicorn starts; URLError and timeouts are OSErrors
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {base} within {timeout:.0f} s")


def fetch(url: str) -> tuple[int, dict, bytes]:
    """One anonymous GET: status, headers, body."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


# The run ---------------------------------------------------------------------------------------


def wrk_run(wrk: str, url: str, run: Settings, seconds: int) -> WrkResult:
    command = [
        *(wrk, f"-t{run.threads}", f"-c{run.connections}", f"-d{seconds}s"),
        *("--latency", url),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_wrk(done.stdout)


@dataclass
class Report:
    """Both URLs' figures and the ratio of their throughputs."""

    database: str
    settings: Settings
    page: Measure
    bare: Measure

    @property
    def ratio(self) -> float:
        """The median over rounds of page/bare: each round loads both back to back, so that
        other work on the machine weighs on both sides of each ratio alike."""
        pairs = zip(self.page.runs, self.bare.runs, strict=True)
        return statistics.median(p.requests_per_second / b.requests_per_second for p, b in pairs)

    def as_dict(self) -> dict:
        measures = {
            name: {
                "url": measure.url,
                "bytes": measure.bytes,
                "requests_per_second": round(measure.requests_per_second, 1),
                "latency_ms": {k: round(measure.latency(k), 3) for k in ("avg", "p50", "p99")},
                "runs": [asdict(run) for run in measure.runs],
            }
            for name, measure in (("page", self.page), ("bare", self.bare))
        }
        return {
            "database": self.database,
            "settings": asdict(self.settings),
            **measures,
            "ratio": round(self.ratio, 3),
            "target": TARGET_RATIO,
            "verdict": "PASS" if self.ratio >= TARGET_RATIO else "under",
        }


def benchmark_run(run: Settings, *, path: str = "", say=print) -> Report:
    """Serve the app, check what is measured, then load the page and the bare view in turns."""
    wrk = wrk_path()
    path = path or page_path()
    env = server_environment()
    say(f"Collecting static files, then serving {_database()} with {run.workers} workers…")
    collect_static(env)
    with gunicorn(env, workers=run.workers, port=free_port()) as base:
        status, headers, body = fetch(base + path)
        if status != 200 or "public" not in headers.get("Cache-Control", ""):
            raise RuntimeError(f"{path} is not a public page ({status}, {headers})")
        page = Measure(base + path, len(body))
        bare = Measure(base + bare_path(len(body)), len(fetch(base + bare_path(len(body)))[2]))
        for measure in (bare, page):  # warm up: fill each worker's cache, open its database
            wrk_run(wrk, measure.url, run, seconds=2)
        for n in range(run.rounds):
            for measure in (bare, page) if n % 2 == 0 else (page, bare):
                result = wrk_run(wrk, measure.url, run, seconds=run.seconds)
                if result.errors:
                    raise RuntimeError(f"{result.errors} failed requests to {measure.url}")
                measure.runs.append(result)
                say(f"  {measure.url}: {result.requests_per_second:.0f} requests/s")
    return Report(_database(), run, page, bare)


def report_text(report: Report) -> str:
    """The figures as a few plain lines."""
    run = report.settings
    lines = [
        f"{report.database}; gunicorn {run.workers} workers; wrk {run.threads} thread(s), "
        f"{run.connections} connections, {run.rounds} x {run.seconds} s per URL (medians)",
        f"page {_path(report.page)}, bare view {_path(report.bare)}",
        f"  {'':12} {'requests/s':>11} {'avg ms':>8} {'p50 ms':>8} {'p99 ms':>8} {'bytes':>8}",
    ]
    for name, measure in (("public page", report.page), ("bare view", report.bare)):
        lines.append(
            f"  {name:12} {measure.requests_per_second:11.1f} {measure.latency('avg'):8.2f}"
            f" {measure.latency('p50'):8.2f} {measure.latency('p99'):8.2f} {measure.bytes:8d}"
        )
    verdict = "PASS" if report.ratio >= TARGET_RATIO else "under the target"
    lines.append(
        f"  page / bare, median of the rounds: {report.ratio:.0%} "
        f"(target {TARGET_RATIO:.0%} or more): {verdict}"
    )
    return "\n".join(lines)


def _path(measure: Measure) -> str:
    return "/" + measure.url.split("/", 3)[-1]
