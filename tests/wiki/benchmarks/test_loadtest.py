"""The load test: its pieces as tables, and one tiny run of the whole on PostgreSQL.

The tiny run is `manage.py loadtest` in a process of its own (it makes, serves and drops a
database of its own), with a few people whose pauses are shortened, on two gunicorn workers.
"""

import json
import os
import random
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from wiki.benchmarks import serving
from wiki.benchmarks.load.notes import (
    ACKNOWLEDGED,
    CONFLICT,
    LOCKED,
    REFUSED,
    body_with_note,
    outcome_of,
)
from wiki.benchmarks.load.run import lost_edits, saves_read, server_errors_read

READ_KINDS = {
    "page",
    "home",
    "search",
    "timeline",
    "graph",
    "api list",
    "api detail",
    "source list",
    "source",
}
TEAM_KINDS = {"login", "edit form", "edit save", "lock", "unlock", "publish", "unpublish"}


@pytest.mark.parametrize(
    ("acks", "revisions", "current", "lost"),
    [
        ([(1, "m1a"), (2, "m2a")], ["x m1a", "x m1a m2a"], "x m1a m2a", []),
        # A save acknowledged but in no revision: lost.
        ([(1, "m1a"), (2, "m2a")], ["x m1a"], "x m1a", ["m2a: in no revision"]),
        # Replaced by the same editor's next note: kept in history, as it should be.
        ([(1, "m1a"), (1, "m1b")], ["m1a", "m1b"], "m1b", []),
        # Written back over by a save that started before it: undone.
        ([(1, "m1a"), (1, "m1b")], ["m1a", "m1b", "m1a"], "m1a", ["m1b: undone later"]),
    ],
)
def test_lost_edits(acks, revisions, current, lost):
    assert lost_edits(acks, revisions, current) == lost


def test_an_editor_replaces_their_own_note_and_leaves_the_others():
    body = "First paragraph.\n\nSecond paragraph.\n"
    once = body_with_note(body, 3, "m3a", random.Random(1))
    assert "Load-test note m3a by editor 3." in once.split("\n\n")
    twice = body_with_note(
        body_with_note(once, 4, "m4a", random.Random(2)), 3, "m3b", random.Random(3)
    )
    assert "m3a" not in twice
    assert "Load-test note m3b by editor 3." in twice and "m4a" in twice
    assert "First paragraph." in twice and "Second paragraph." in twice


@pytest.mark.parametrize(
    ("status", "location", "outcome"),
    [
        (302, "/actors/ahmad-shah-massoud/", ACKNOWLEDGED),
        (302, "/accounts/login/?next=/actors/ahmad-shah-massoud/edit/", "HTTP 302"),
        (409, "", CONFLICT),
        (403, "", LOCKED),
        (200, "", REFUSED),
        (500, "", "HTTP 500"),
    ],
)
def test_what_the_answer_to_a_save_means(status, location, outcome):
    assert outcome_of(status, location, "/actors/ahmad-shah-massoud/") == outcome


def test_saves_are_counted_by_their_answers(tmp_path):
    rows = [
        {"page": "/a/x/", "editor": 0, "marker": "m0a", "outcome": ACKNOWLEDGED, "merged": True},
        {"page": "/a/x/", "editor": 1, "marker": "m1a", "outcome": CONFLICT, "kept": True},
        {"page": "/a/x/", "editor": 1, "marker": "m1b", "outcome": LOCKED, "kept": False},
        {"page": "/a/x/", "editor": 1, "outcome": LOCKED, "form": True},
        {"page": "/a/x/", "editor": 1, "marker": "m1c", "outcome": ACKNOWLEDGED, "merged": False},
    ]
    path = tmp_path / "saves.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    saves, acks = saves_read(path)
    assert (saves.attempted, saves.acknowledged, saves.merged) == (4, 2, 1)
    assert (saves.conflicts, saves.locked, saves.locked_forms, saves.text_not_kept) == (1, 1, 1, 1)
    assert acks == {"/a/x/": [(0, "m0a"), (1, "m1c")]}


# Apart from the parallel run: the load test collects the static files, which every other
# test's WhiteNoise reads as it starts.
@pytest.mark.wall_clock
def test_a_tiny_load_test_loses_no_edit(postgres_only):
    name = f"attest_loadtest_test_{os.getpid()}"
    url = serving.database_url({**connection.settings_dict, "NAME": name})
    command = [
        *(sys.executable, "manage.py", "loadtest", "--json", "--users", f"{len(READ_KINDS)}/3/1"),
        *("--duration", "15", "--workers", "2", "--sources", "60", "--think", "0.1"),
    ]
    done = subprocess.run(
        command,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    kinds = {row["name"]: row for row in report["rows"]}
    assert set(kinds) >= READ_KINDS | TEAM_KINDS, sorted(kinds)
    assert report["total"]["errors"] == 0, report["failures"]
    assert report["saves"]["acknowledged"] > 0, report["saves"]
    assert report["lost_edits"] == 0, report["saves"]["lost"]
    assert report["machine"]["cpus"] >= 1


def test_the_servers_errors_are_named_with_their_first_exception(tmp_path):
    log = tmp_path / "server.log"
    log.write_text(
        "[2026-12-03 07:58:01 +0000] [12] [WARNING] a worker was slow\n"
        "Internal Server Error: /actors/a/edit/\n"
        "Traceback (most recent call last):\n"
        '  File "views.py", line 3, in edit\n'
        "    raise\n"
        "wiki.models.Actor.DoesNotExist: Actor matching query does not exist.\n"
        "\n"
        "During handling of the above exception, another exception occurred:\n"
        "\n"
        "Traceback (most recent call last):\n"
        "KeyError: 'x'\n"
        "Internal Server Error: /search/\n"
        "Traceback (most recent call last):\n"
        "ValueError: bad\n"
    )
    assert server_errors_read(log) == [
        "Internal Server Error: /actors/a/edit/ — wiki.models.Actor.DoesNotExist: Actor "
        "matching query does not exist.",
        "Internal Server Error: /search/ — ValueError: bad",
    ]
    assert server_errors_read(tmp_path / "none.log") == []
