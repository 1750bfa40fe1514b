"""Serving the app for a benchmark that acts as people: gunicorn on 127.0.0.1, on a database of
its own (a throwaway one beside the configured database, or the test database in tests)."""

import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from wiki.benchmarks.browser import Browser


def database_url(settings_dict: dict) -> str:
    """The DATABASE_URL that names this connection's database (for the server's processes)."""
    name = settings_dict["NAME"]
    if "sqlite" in settings_dict["ENGINE"]:
        return f"sqlite:///{name}"
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(str(name), safe='')}"


def server_environment(database: str) -> dict[str, str]:
    """The app on plain HTTP on this machine, on the given database, with this process's
    SECRET_KEY (so that sessions made here are valid there). DEBUG on: no static manifest is
    needed, and the counts do not depend on speed."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database,
        "CONN_MAX_AGE": "0",
        "DEBUG": "1",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
    }


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, log_path: Path | None = None):
    """gunicorn serving the app on a free port of 127.0.0.1; yields its base URL. Its log (and
    Django's errors, with their tracebacks) goes to log_path when given."""
    from wiki.benchmarks.public import free_port

    port = free_port()
    command = [
        *(sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind"),
        *(f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120"),
        *("--log-level", "warning"),
    ]
    with log_path.open("w+b") if log_path is not None else tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(server, base, log)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_up(server, base: str, log, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn stopped: {log.read().decode()[-2000:]}")
        try:
            Browser(base).get("/accounts/login/")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {base} within {timeout:.0f} s")


@contextmanager
def throwaway_database(say=print):
    """A new database beside the configured one, migrated, dropped at the end: the run never
    touches the configured database's data."""
    settings_dict = connection.settings_dict
    original = settings_dict["NAME"]
    test = settings_dict.setdefault("TEST", {})
    before = test.get("NAME")
    test["NAME"] = f"{original}_concurrency_{os.getpid()}"
    say(f"Creating the throwaway database {test['NAME']} (migrations take a moment)…")
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            yield test["NAME"]
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)
    finally:
        test["NAME"] = before
