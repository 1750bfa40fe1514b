"""Run the load test: a fresh PostgreSQL database, gunicorn serving it, locust using it.

The database is made for the run (named by DATABASE_URL when that is PostgreSQL, otherwise
DEFAULT_URL), marked as the load test's with a comment, and dropped at the end unless kept. A
database of that name that the load test did not make is never touched: the run stops.
gunicorn serves the app as production does (DEBUG off) with several workers; locust runs
headless in a process of its own (gevent patches everything it imports), and its CSV is read
for the figures. Every save the server acknowledged is then looked for in the page's history.
"""

import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import dj_database_url
import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from psycopg import sql

from wiki.benchmarks import serving
from wiki.benchmarks.load import notes
from wiki.benchmarks.load.archive import Sizes, accounts_create, archive_create, plan_make
from wiki.benchmarks.public import collect_static
from wiki.benchmarks.report import machine_info
from wiki.models import ENTRY_MODEL_BY_SEGMENT

DEFAULT_URL = "postgres://attest:attest@127.0.0.1:5432/attest_loadtest"
MADE_BY = "Attest load test"  # the comment on a database this command made, and may drop
PROGRESS_EVERY = 15  # seconds between progress lines
# When the time is up, each person finishes what they were doing (a save, a curator's round),
# so that no save is cut between its answer and its record.
STOP_TIMEOUT = 30
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass(frozen=True)
class Options:
    sizes: Sizes = Sizes()
    duration: int = 180  # seconds of load, after every person has started
    workers: int = 4
    spawn_rate: int = 25  # people started per second
    think: float = 1.0  # scales the people's pauses
    keep: bool = False


@dataclass
class Row:
    """One kind of request, as locust measured it."""

    name: str
    requests: int
    per_second: float
    p50: float | None
    p95: float | None
    errors: int


@dataclass
class Saves:
    """What became of the editors' saves."""

    attempted: int = 0
    acknowledged: int = 0
    merged: int = 0
    conflicts: int = 0
    locked: int = 0  # refused with 403: locked between opening the form and saving
    locked_forms: int = 0  # the form opened read-only: no save was tried
    refused: int = 0
    text_not_kept: int = 0  # refusals whose answer did not give the editor's text back
    lost: list[str] = field(default_factory=list)


@dataclass
class Report:
    machine: dict
    options: Options
    archive: dict
    rows: list[Row]
    total: Row
    failures: list[str]
    saves: Saves
    seconds: float

    def as_dict(self) -> dict:
        return {
            "machine": self.machine,
            "options": {**asdict(self.options), "sizes": asdict(self.options.sizes)},
            "archive": self.archive,
            "rows": [asdict(row) for row in self.rows],
            "total": asdict(self.total),
            "failures": self.failures,
            "saves": asdict(self.saves),
            "lost_edits": len(self.saves.lost),
            "seconds": self.seconds,
        }


# ---------------------------------------------------------------------------------------------
# The database


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_URL


def _server(config: dict) -> psycopg.Connection:
    """A connection to the server's maintenance database, to create and drop databases."""
    return psycopg.connect(
        dbname="postgres",
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        autocommit=True,
    )


def _drop_if_ours(server: psycopg.Connection, name: str) -> None:
    found = server.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    ).fetchone()
    if found is None:
        return
    if found[0] != MADE_BY:
        raise RuntimeError(
            f"A database named {name} exists and the load test did not make it: it is left "
            "alone. Name another in DATABASE_URL."
        )
    server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def _use(config: dict) -> None:
    """Point Django's default connection at this database, in this process."""
    connections.close_all()
    databases = connections.settings
    databases["default"].clear()
    databases["default"].update(config)
    connections.configure_settings(databases)
    if hasattr(connections._connections, "default"):
        del connections["default"]


@contextmanager
def fresh_database(url: str, *, keep: bool, say):
    """A new, migrated database at url for the block, dropped after it unless kept."""
    config = dj_database_url.parse(url, conn_max_age=0)
    name = config["NAME"]
    with _server(config) as server:
        _drop_if_ours(server, name)
        say(f"Creating the database {name} and migrating it…")
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        comment = sql.SQL("COMMENT ON DATABASE {} IS {}")
        server.execute(comment.format(sql.Identifier(name), sql.Literal(MADE_BY)))
    _use(config)
    try:
        yield url
    finally:
        connections.close_all()
        if keep:
            say(f"The database {name} is kept.")
        else:
            with _server(config) as server:
                server.execute(
                    sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
                )


# ---------------------------------------------------------------------------------------------
# Lost edits


def lost_edits(acks: list[tuple[int, str]], revisions: list[str], current: str) -> list[str]:
    """The acknowledged saves of one page that its history does not keep.

    acks are (editor, marker) in the order the saves were acknowledged; revisions every body
    the page's history holds; current the body as it stands. A marker in no revision is a lost
    edit; so is an editor's last marker missing from the current body (each editor replaces
    only their own note, so only a save that wrote back an older body could have removed it).
    """
    history = "\n".join(revisions)
    lost = [f"{marker}: in no revision" for _, marker in acks if marker not in history]
    last = dict(acks)
    lost += [
        f"{marker}: undone later"
        for marker in last.values()
        if marker in history and marker not in current
    ]
    return lost


def lost_edits_of(acks: dict[str, list[tuple[int, str]]]) -> list[str]:
    """lost_edits for every page edited, read from the database: acks by page path."""
    lost = []
    for path, page_acks in acks.items():
        segment, slug = path.strip("/").split("/")
        model = ENTRY_MODEL_BY_SEGMENT[segment]
        page = model.objects.get(slug=slug)
        bodies = list(model.history.filter(id=page.pk).values_list("body", flat=True))
        lost += [f"{path} {problem}" for problem in lost_edits(page_acks, bodies, page.body)]
    return lost


def saves_read(path: Path) -> tuple[Saves, dict[str, list[tuple[int, str]]]]:
    """The editors' answers, counted, and the acknowledged markers by page in order."""
    saves, acks = Saves(), defaultdict(list)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for row in map(json.loads, lines):
        if row.get("form"):
            saves.locked_forms += 1
            continue
        saves.attempted += 1
        outcome = row["outcome"]
        if outcome == notes.ACKNOWLEDGED:
            saves.acknowledged += 1
            saves.merged += row.get("merged", False)
            acks[row["page"]].append((row["editor"], row["marker"]))
            continue
        if outcome == notes.CONFLICT:
            saves.conflicts += 1
        elif outcome == notes.LOCKED:
            saves.locked += 1
        else:
            saves.refused += 1
        saves.text_not_kept += not row.get("kept", True)
    return saves, acks


# ---------------------------------------------------------------------------------------------
# Locust


def _number(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def rows_read(stats_csv: Path) -> tuple[list[Row], Row]:
    """Each kind of request from locust's stats CSV, and the total."""
    rows = []
    with stats_csv.open(newline="") as lines:
        for line in csv.DictReader(lines):
            rows.append(
                Row(
                    name=line["Name"],
                    requests=int(line["Request Count"]),
                    per_second=round(float(line["Requests/s"]), 2),
                    p50=_number(line["50%"]),
                    p95=_number(line["95%"]),
                    errors=int(line["Failure Count"]),
                )
            )
    total = next(row for row in rows if row.name == "Aggregated")
    total.name = "all"
    return sorted((row for row in rows if row is not total), key=lambda r: -r.requests), total


def failures_read(failures_csv: Path) -> list[str]:
    """What went wrong, as locust counted it: the kind of request, the error, how often."""
    if not failures_csv.exists():
        return []
    with failures_csv.open(newline="") as lines:
        return [
            f"{line['Name']}: {line['Error']} ({line['Occurrences']}×)"
            for line in csv.DictReader(lines)
        ]


_TRACEBACK_LINES = ("Traceback", "During handling", "The above exception", " ")


def server_errors_read(server_log: Path) -> list[str]:
    """The server's errors, as Django logged them: each request that failed, and the first
    exception of its traceback, so that a 500 names its cause."""
    if not server_log.exists():
        return []
    errors, request = [], None
    for line in server_log.read_text(errors="replace").splitlines():
        if line.startswith(("Internal Server Error:", "Service Unavailable:")):
            request = line
        elif request is not None and line and not line.startswith(_TRACEBACK_LINES):
            errors.append(f"{request} — {line}")
            request = None
    return errors


def _progress(history_csv: Path, saves: Path, started: float) -> str:
    """A line on how the run goes: the last figures locust wrote, and the saves so far."""
    elapsed = f"{time.monotonic() - started:4.0f} s"
    try:
        with history_csv.open(newline="") as lines:
            last = list(csv.DictReader(lines))[-1]
    except (OSError, IndexError):
        return f"{elapsed}  starting…"
    acknowledged = saves.read_text().count('"acknowledged"') if saves.exists() else 0
    return (
        f"{elapsed}  {last['User Count']} people  {float(last['Requests/s']):6.1f} req/s  "
        f"{last['Total Request Count']} requests  {last['Total Failure Count']} errors  "
        f"{acknowledged} saves acknowledged"
    )


def locust_run(base: str, plan: Path, options: Options, folder: Path, *, say) -> tuple:
    """locust, headless, for the duration; the figures it wrote."""
    sizes = options.sizes
    users = sizes.readers + sizes.editors + sizes.curators
    ramp = users / options.spawn_rate
    command = [
        *(sys.executable, "-m", "locust", "--headless", "--only-summary"),
        *("-f", str(LOCUSTFILE), "--host", base, "--csv", str(folder / "load")),
        *("-u", str(users), "-r", str(options.spawn_rate)),
        *("-t", f"{round(options.duration + ramp)}s", "--stop-timeout", str(STOP_TIMEOUT)),
        *("--loglevel", "WARNING"),
    ]
    env = {**os.environ, "LOADTEST_PLAN": str(plan)}
    say(f"{users} people for {options.duration} s (+{ramp:.0f} s starting them)…")
    started = time.monotonic()
    saves = Path(json.loads(plan.read_text())["saves"])
    with (folder / "locust.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log)
        try:
            while True:
                try:
                    process.wait(timeout=PROGRESS_EVERY)
                    break
                except subprocess.TimeoutExpired:
                    say("  " + _progress(folder / "load_stats_history.csv", saves, started))
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
    stats = folder / "load_stats.csv"
    if not stats.exists():
        raise RuntimeError(
            f"locust wrote no figures: {(folder / 'locust.log').read_text()[-2000:]}"
        )
    rows, total = rows_read(stats)
    failures = failures_read(folder / "load_failures.csv")
    return rows, total, failures, round(time.monotonic() - started, 1)


# ---------------------------------------------------------------------------------------------
# The run


def _machine() -> dict:
    machine = machine_info()
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        machine["cpu"] = next(
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        machine["cpu"] = ""
    pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    machine["memory_gb"] = round(pages * page_size / 2**30, 1)
    return machine


def _static_collected() -> bool:
    """Whether the static files were collected since the project's own last changed: with DEBUG
    off, pages name them by their hashed names, and compressing them all anew costs minutes."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [path for folder in settings.STATICFILES_DIRS for path in Path(folder).rglob("*")]
    newest = max((path.stat().st_mtime for path in sources if path.is_file()), default=0)
    return manifest.stat().st_mtime > newest


def server_environment(url: str) -> dict[str, str]:
    """The app as production serves it (DEBUG off, sessions signed with this process's key),
    with the API's limit for anonymous clients lifted: every reader here comes from one
    address, and the test measures the site, not the throttle."""
    return {
        **serving.server_environment(url),
        "DEBUG": "0",
        # Plain HTTP on this machine, no TLS to terminate: cookies marked Secure would never
        # come back, and no one could log in.
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "ATTEST_API_ANON_RATE": "1000000/minute",
    }


def loadtest_run(options: Options, *, say=print) -> Report:
    sizes = options.sizes
    password = secrets.token_urlsafe(24)
    with (
        tempfile.TemporaryDirectory(prefix="attest-loadtest-") as folder,
        fresh_database(database_url(), keep=options.keep, say=say) as url,
    ):
        folder = Path(folder)
        machine = _machine()  # before the run loads it: the load average is the machine's own
        call_command("migrate", interactive=False, verbosity=0)
        archive = archive_create(sizes, say=say)
        generated = archive.pop("generated")
        editors, curators = accounts_create(sizes, password)
        saves_file = folder / "saves.jsonl"
        plan = plan_make(
            sizes,
            generated,
            password=password,
            editors=editors,
            curators=curators,
            saves=str(saves_file),
        )
        plan["think"] = options.think
        archive |= {"sources": len(plan["sources"]), "pages read": len(plan["pages"])}
        (folder / "plan.json").write_text(json.dumps(plan))
        env = server_environment(url)
        if not _static_collected():
            say("Collecting the static files (compressing them takes a while)…")
            collect_static(env)
        say(f"Serving it with gunicorn ({options.workers} workers) on 127.0.0.1…")
        server_log = folder / "server.log"
        with serving.gunicorn(env, workers=options.workers, log_path=server_log) as base:
            rows, total, failures, seconds = locust_run(
                base, folder / "plan.json", options, folder, say=say
            )
        failures += [f"server: {error}" for error in server_errors_read(server_log)]
        saves, acks = saves_read(saves_file)
        say("Looking for every acknowledged save in its page's history…")
        saves.lost = lost_edits_of(acks)
    return Report(machine, options, archive, rows, total, failures, saves, seconds)


def _ms(value) -> str:
    return "–" if value is None else f"{value:,.0f}"


def report_text(report: Report) -> str:
    options, sizes, saves, machine = (
        report.options,
        report.options.sizes,
        report.saves,
        report.machine,
    )
    lines = [
        f"Load test: {sizes.readers} readers, {sizes.editors} editors, {sizes.curators} curators "
        f"for {options.duration} s ({report.seconds:.0f} s with starting and stopping them); "
        f"gunicorn, {options.workers} workers; the demo and {sizes.sources:,} generated sources "
        f"({report.archive['entries']:,} pages in all)",
        "",
        f"  {'request':18} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}",
    ]
    for row in [*report.rows, report.total]:
        lines.append(
            f"  {row.name:18} {row.requests:>9,} {row.per_second:>8.1f} {_ms(row.p50):>8} "
            f"{_ms(row.p95):>8} {row.errors:>7,}"
        )
    lines += [f"  error: {failure}" for failure in report.failures]
    lines += [
        "",
        f"Editors' saves: {saves.attempted:,} tried, {saves.acknowledged:,} acknowledged "
        f"({saves.merged:,} merged with another's), {saves.conflicts:,} refused with the conflict "
        f"page, {saves.locked:,} refused on a page locked meanwhile, {saves.refused:,} refused "
        f"otherwise; {saves.locked_forms:,} forms opened read-only on a locked page; refusals "
        f"that lost the editor's text: {saves.text_not_kept}",
        f"Lost edits: {len(saves.lost)} "
        + ("(PASS)" if not saves.lost else "(FAIL: " + "; ".join(saves.lost[:10]) + ")"),
        "",
        f"Machine: {machine['cpu'] or machine['platform']}, {machine['cpus']} CPUs, "
        f"{machine['memory_gb']} GB; {machine['platform']}; load average {machine['load']} before "
        f"the run",
        f"Python {machine['python']}, Django {machine['django']}, {machine['database']}; locust, "
        "gunicorn and PostgreSQL on the same machine",
    ]
    return "\n".join(lines)
