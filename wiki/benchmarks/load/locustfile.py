"""The people of the load test, for locust: readers, editors and curators of one wiki.

The runner (run.py) starts locust with this file and LOADTEST_PLAN naming the plan it wrote
(archive.plan_make): how many of each, their accounts, and what they ask for. This process loads
no Django; it reads forms as a browser submits them (wiki.benchmarks.browser).

- Readers, anonymous: pages, search, the timeline, the network, the API and the sources.
- Editors log in, open a page's edit form, keep it open a moment and save it with a note of
  their own that carries a unique marker: half their edits go to a few pages they all share,
  so their saves cross (merged, or refused with the conflict page). Every answer is written to
  the plan's `saves` file, one JSON line each, for the runner to account for.
- Curators log in, lock and unlock the shared pages, and publish and unpublish pages readers
  do not ask for (a reader's page that vanished would count as an error of the site).
"""

import itertools
import json
import os
import random
import secrets
import time
from pathlib import Path

from locust import HttpUser, task

from wiki.benchmarks.browser import form_with, messages_of
from wiki.benchmarks.load.notes import ACKNOWLEDGED, CONFLICT, LOCKED, body_with_note, outcome_of

PLAN = (
    json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
    if "LOADTEST_PLAN" in os.environ
    else {}
)
THINK = PLAN.get("think", 1.0)  # scales every pause: the tests shorten them
_numbers = {}  # per kind of person: editor n logs in as the plan's n-th editor


def _record(row: dict) -> None:
    # One write per line: gevent switches only on I/O that waits, never inside a file write.
    with open(PLAN["saves"], "a", encoding="utf-8") as saves:
        saves.write(json.dumps(row) + "\n")


def _page(segment_slug) -> str:
    segment, slug = segment_slug
    return f"/{segment}/{slug}/"


class Person(HttpUser):
    abstract = True
    usernames: list[str] = []

    def on_start(self):
        self.number = next(_numbers.setdefault(type(self).__name__, itertools.count()))
        self.rng = random.Random(self.number)
        if self.usernames:
            self.username = self.usernames[self.number % len(self.usernames)]
            self.log_in()

    def log_in(self):
        form = form_with(self.client.get("/accounts/login/", name="login form").text, "username")
        data = form.data(username=self.username, password=PLAN["password"])
        with self.client.post(
            "/accounts/login/", data=data, name="login", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{self.username} could not log in ({answer.status_code})")

    def post(self, path: str, data: dict, name: str):
        """A form's POST with the CSRF token a browser would send; its redirect not followed."""
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code not in (302, 303):
                answer.failure(f"HTTP {answer.status_code}")
            return answer


# What readers ask for, and how often, relative to one another.
READS = {
    "page": 12,
    "home": 2,
    "search": 4,
    "timeline": 1,
    "graph": 1,
    "api_list": 2,
    "api_detail": 2,
    "source_list": 1,
    "source": 3,
}


class Reader(Person):
    """Someone reading the published wiki, a page every few seconds."""

    fixed_count = PLAN.get("readers", 1)

    def wait_time(self):
        return self.rng.uniform(2, 10) * THINK

    def on_start(self):
        super().on_start()
        # Each reader's first request is of a kind of its own, in turn, so that even a short
        # run with as many readers as kinds measures every kind; then they follow READS.
        self.first = list(READS)[self.number % len(READS)]

    @task
    def read(self):
        kind, self.first = self.first, None
        if kind is None:
            kind = self.rng.choices(list(READS), weights=list(READS.values()))[0]
        getattr(self, kind)()

    def page(self):
        self.client.get(_page(self.rng.choice(PLAN["pages"])), name="page")

    def home(self):
        self.client.get("/", name="home")

    def search(self):
        self.client.get("/search/", params={"q": self.rng.choice(PLAN["queries"])}, name="search")

    def timeline(self):
        self.client.get("/timeline/", name="timeline")

    def graph(self):
        self.client.get("/graph/", name="graph")

    def api_list(self):
        kind = self.rng.choice(["actors", "factions", "events", "sources"])
        self.client.get(f"/api/{kind}/", name="api list")

    def api_detail(self):
        segment, slug = self.rng.choice(PLAN["pages"])
        self.client.get(f"/api/{segment}/{slug}/", name="api detail")

    def source_list(self):
        self.client.get("/sources/", name="source list")

    def source(self):
        self.client.get(f"/sources/{self.rng.choice(PLAN['sources'])}/", name="source")


class Editor(Person):
    """A team member editing pages in the browser: open the form, write, save."""

    fixed_count = PLAN.get("editor_count", 1)
    usernames = PLAN.get("editors", [])

    def wait_time(self):
        return self.rng.uniform(2, 6) * THINK

    @task
    def edit(self):
        shared = self.rng.random() < 0.5
        page = _page(self.rng.choice(PLAN["shared"] if shared else PLAN["edited"]))
        with self.client.get(
            page + "edit/", name="edit form", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")
                return
            form = form_with(answer.text, "body")
        if form is None:  # locked by a curator: the page opens read-only
            _record({"page": page, "editor": self.number, "outcome": LOCKED, "form": True})
            return
        time.sleep(self.rng.uniform(0.5, 3) * THINK)  # writing; gevent runs the others meanwhile
        marker = f"m{self.number}x{secrets.token_hex(5)}"
        body = body_with_note(form.get("body"), self.number, marker, self.rng)
        data = form.data(body=body, change_reason=f"Load test {marker}")
        with self.client.post(
            page + "edit/", data=data, name="edit save", allow_redirects=False, catch_response=True
        ) as answer:
            outcome = outcome_of(answer.status_code, answer.headers.get("location", ""), page)
            kept = marker in answer.text
            if outcome in (CONFLICT, LOCKED):
                answer.success()  # a refusal that keeps the editor's text is the site working
            elif outcome != ACKNOWLEDGED:
                answer.failure(outcome)
        row = {"page": page, "editor": self.number, "marker": marker, "outcome": outcome}
        if outcome == ACKNOWLEDGED:
            shown = self.client.get(page, name="page after save").text
            row["merged"] = any("merged" in message for message in messages_of(shown))
        else:
            row["kept"] = kept
        _record(row)


class Curator(Person):
    """A curator locking the shared pages for a moment, and publishing and unpublishing pages."""

    fixed_count = PLAN.get("curator_count", 1)
    usernames = PLAN.get("curators", [])

    def wait_time(self):
        return self.rng.uniform(3, 10) * THINK

    @task
    def curate(self):
        """A round: lock a shared page, publish a page and unpublish it, unlock the first."""
        shared = _page(self.rng.choice(PLAN["shared"]))
        curated = _page(self.rng.choice(PLAN["curated"]))
        self.client.get(shared, name="page (team)")
        self.post(shared + "lock/", {"action": "lock", "lock_reason": "Load test"}, "lock")
        self.pause()
        self.client.get(curated, name="page (team)")
        self.post(curated + "publish/", {"action": "publish"}, "publish")
        self.pause()
        self.post(curated + "publish/", {"action": "unpublish"}, "unpublish")
        self.pause()
        self.post(shared + "lock/", {"action": "unlock"}, "unlock")

    def pause(self):
        time.sleep(self.rng.uniform(0.5, 2) * THINK)
