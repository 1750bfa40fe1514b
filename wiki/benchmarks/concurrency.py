"""Concurrent editing over real HTTP: every save that was answered "Saved" is accounted for.

`manage.py benchmark_concurrency` (and tests/test_concurrency.py, on the test database) serve
the app with gunicorn on 127.0.0.1 and let people work at once, each in a browser of their own
with a real session (wiki.benchmarks.people): editors save edits of different paragraphs of one
page (and of one source's text, and different fields of one relation), each from the edit form
they opened, while curators publish, unpublish, lock and unlock them from the site and from the
admin, and save admin change forms they opened a while ago. Then each acknowledged save is
looked for in the history: its words must be in some revision, and no later revision may bring
back what it replaced (an edit silently undone). A save refused with a conflict or a lock is no
loss, if the answer keeps the person's text.
"""

import random
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from sources.models import Source
from sources.services import source_save
from wiki.benchmarks import people
from wiki.benchmarks.browser import Browser
from wiki.benchmarks.people import (
    END_YEAR,
    PAGE_LINE,
    PAGE_SLOT,
    PASSAGE,
    RELATION_SLOTS,
    START_YEAR,
    TEXT_LINE,
    TEXT_SLOT,
    Outcomes,
    Tally,
    evidence,
)
from wiki.benchmarks.report import Figure, machine_info, report_table
from wiki.benchmarks.report import Report as FiguresReport
from wiki.benchmarks.serving import database_url, gunicorn, server_environment, throwaway_database
from wiki.models import Actor, Faction, Membership
from wiki.services import page_save, relation_save

SOURCE_TEXT = (
    "In 1992, the Northern Alliance was established in opposition of the communist government "
    "led by President Najibullah."
)


@dataclass(frozen=True)
class Sizes:
    """How many people, for how long, served by how many workers."""

    editors: int = 4
    curators: int = 2
    rounds: int = 6
    workers: int = 3


@dataclass
class World:
    """What the people work on, and who they are."""

    editors: list[str]
    curators: list[str]
    cited_key: str
    page: Actor
    source: Source
    membership: Membership


# ---------------------------------------------------------------------------------------------
# The world


def world_create(sizes: Sizes, *, password: str | None = None, prefix: str = "conc") -> World:
    """People, a cited source, a page, a source to correct and a membership, as saved rows."""
    editors = [_person(f"{prefix}-editor-{i}", "Editors", password) for i in range(sizes.editors)]
    curators = [
        _person(f"{prefix}-curator-{i}", "Curators", password) for i in range(sizes.curators)
    ]
    cited = Source(key=f"{prefix}-cited", title="Cited report", text=SOURCE_TEXT, is_public=True)
    source_save(source=cited, user=None, change_reason="Benchmark")
    text = "\n\n".join(TEXT_LINE.format(i=i, r=0) for i in range(sizes.editors))
    corrected = Source(key=f"{prefix}-corrected", title="Corrected report", text=text)
    source_save(source=corrected, user=None, change_reason="Benchmark")
    page = Actor(title="Concurrency", slug=f"{prefix}-page", summary="Edited by many at once.")
    page_save(page=page, body=page_body(cited.key, sizes.editors), user=None)
    actor = Actor(title="Member", slug=f"{prefix}-member")
    page_save(page=actor, body="", user=None)
    faction = Faction(title="Alliance", slug=f"{prefix}-alliance")
    page_save(page=faction, body="", user=None)
    membership = Membership(
        actor=actor,
        faction=faction,
        start=str(START_YEAR),
        end=str(END_YEAR),
        evidence=evidence(cited.key, 0),
    )
    relation_save(relation=membership, user=None)
    return World(
        editors=[person.username for person in editors],
        curators=[person.username for person in curators],
        cited_key=cited.key,
        page=page,
        source=corrected,
        membership=membership,
    )


def _person(username: str, group: str, password: str | None) -> User:
    person = User.objects.create_user(username, password=password, is_staff=group == "Curators")
    person.groups.add(Group.objects.get(name=group))
    return person


def page_body(key: str, editors: int) -> str:
    """A fully sourced body: one paragraph per editor, each a sentence with its citation."""
    cite = f'[@{key} "{PASSAGE}"]'
    lines = [f"Edited at once by {editors} people. {cite}"]
    lines += [f"{PAGE_LINE.format(i=i, r=0)} {cite}" for i in range(editors)]
    return "\n\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Accounting


def page_slots(body: str) -> dict[int, int]:
    return {int(i): int(r) for i, r in PAGE_SLOT.findall(body or "")}


def text_slots(text: str) -> dict[int, int]:
    return {int(i): int(r) for i, r in TEXT_SLOT.findall(text or "")}


def relation_slots(record) -> dict[int, int]:
    slots = {}
    for slot, (name, base) in enumerate((("start", START_YEAR), ("end", END_YEAR))):
        if (value := getattr(record, name) or "").isdigit():
            slots[slot] = int(value) - base
    if found := re.search(r"p\. (\d+) ", record.evidence or ""):
        slots[2] = int(found[1])
    return slots


def lost_saves(acks: list[tuple[int, int]], revisions: list[dict[int, int]]) -> list[str]:
    """Each acknowledged (slot, round) no revision shows, or that a later revision undid.

    `revisions` are each revision's slots in the order they were saved, the row as it stands
    last. A slot's round never goes back: a revision showing an older round (or none) after a
    newer one was saved has lost the newer one.
    """
    lost = []
    for slot, round_ in acks:
        first = next((n for n, rev in enumerate(revisions) if rev.get(slot) == round_), None)
        if first is None:
            lost.append(f"slot {slot}, round {round_}: in no revision")
            continue
        undone = [n for n, rev in enumerate(revisions[first:]) if rev.get(slot, -1) < round_]
        if undone:
            lost.append(f"slot {slot}, round {round_}: undone {len(undone)} revision(s) later")
    return lost


def _account(outcomes: Outcomes, obj, slots_of, flagged: bool, editors: set[int]) -> Tally:
    history = list(type(obj).history.filter(id=obj.pk).order_by("history_id"))
    current = type(obj).objects.get(pk=obj.pk)
    revisions = [slots_of(record) for record in history] + [slots_of(current)]
    tally = outcomes.tally
    lost = lost_saves(outcomes.acks, revisions)
    tally.lost = len(lost)
    tally.problems += lost
    if flagged:
        for before, after in zip(history, history[1:], strict=False):
            flags = ("is_public", "is_locked")
            changed = any(getattr(before, f) != getattr(after, f) for f in flags if hasattr(obj, f))
            tally.flags_by_editors += changed and after.history_user_id in editors
    return tally


# ---------------------------------------------------------------------------------------------
# The run


Login = Callable[[Browser, str], None]


def scenarios_run(base_url: str, world: World, sizes: Sizes, login: Login) -> list[Outcomes]:
    """Run the three scenarios at once against the server at base_url; count and account."""
    relation_editors = min(sizes.editors, len(RELATION_SLOTS))
    plans = {
        "page": (people.page_editor, people.page_curator, sizes.editors),
        "source": (people.source_editor, people.source_curator, sizes.editors),
        "relation": (people.relation_editor, people.relation_curator, relation_editors),
    }
    outcomes = {name: Outcomes(name) for name in plans}
    tasks = []
    for name, (editor_work, curator_work, editors) in plans.items():
        for slot in range(editors):
            person = world.editors[slot % len(world.editors)]
            tasks.append((editor_work, person, slot, outcomes[name]))
        for slot in range(sizes.curators):
            person = world.curators[slot % len(world.curators)]
            tasks.append((curator_work, person, slot, outcomes[name]))
    started = time.monotonic()
    _run_all(base_url, world, sizes, login, tasks)
    seconds = round(time.monotonic() - started, 1)
    editor_ids = set(User.objects.filter(username__in=world.editors).values_list("pk", flat=True))
    accounts = (
        ("page", world.page, lambda record: page_slots(record.body), True),
        ("source", world.source, lambda record: text_slots(record.text), True),
        ("relation", world.membership, relation_slots, False),
    )
    for name, obj, slots_of, flagged in accounts:
        _account(outcomes[name], obj, slots_of, flagged, editor_ids)
        outcomes[name].tally.seconds = seconds
    return list(outcomes.values())


def _run_all(base_url, world, sizes, login, tasks) -> None:
    """Each task in a thread of its own, with its person's session, all started together."""
    sessions = {}
    for person in dict.fromkeys(person for _, person, _, _ in tasks):
        browser = Browser(base_url)
        login(browser, person)
        browser.get("/accounts/login/")  # and a CSRF cookie, as a browser has after a page
        sessions[person] = browser.cookies
    barrier = threading.Barrier(len(tasks))

    def work(n, job, person, slot, outcomes):
        browser = Browser(base_url, cookies=sessions[person])
        barrier.wait()
        try:
            job(browser, world, slot, sizes.rounds, outcomes, random.Random(n))
        except Exception as error:  # noqa: BLE001 - counted and reported with the rest
            with outcomes._lock:
                outcomes.tally.errors += 1
                outcomes.tally.problems.append(f"{job.__name__} {slot}: {error!r}")

    threads = [
        threading.Thread(target=work, args=(n, *task), daemon=True) for n, task in enumerate(tasks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)


# ---------------------------------------------------------------------------------------------
# The benchmark: a throwaway database, the server on it, the counts


NEEDS_POSTGRES = (
    "benchmark_concurrency needs PostgreSQL (set DATABASE_URL): SQLite lets one writer at a "
    "time, which is no test of the row locks."
)


@dataclass
class Report:
    """The counts of a run, with the machine it ran on and how long saves took to answer."""

    machine: dict
    sizes: Sizes
    outcomes: list[Outcomes]

    @property
    def total(self) -> Tally:
        total = Tally("all")
        for name in COUNTED:
            setattr(total, name, sum(getattr(o.tally, name) for o in self.outcomes))
        return total

    def figures(self) -> list[Figure]:
        return [
            Figure("How long a save took to answer", f"{o.tally.name} saves", o.save_ms)
            for o in self.outcomes
            if o.save_ms
        ]

    def as_dict(self) -> dict:
        return {
            "machine": self.machine,
            "sizes": asdict(self.sizes),
            "scenarios": [o.tally.as_dict() for o in self.outcomes],
            "total": {name: getattr(self.total, name) for name in COUNTED},
            "save_ms": [figure.as_dict() for figure in self.figures()],
            "verdict": "PASS" if self.total.lost == 0 else "LOST SAVES",
        }


COUNTED = (
    "attempted",
    "acknowledged",
    "merged",
    "conflicts",
    "refused_locked",
    "refused_other",
    "errors",
    "lost",
    "text_not_kept",
    "flags_by_editors",
    "curator_actions",
    "curator_acknowledged",
)
_COLUMNS = (
    ("attempted", "attempted"),
    ("acknowledged", "acknowledged"),
    ("merged", "merged"),
    ("conflicts", "conflict"),
    ("refused_locked", "locked"),
    ("refused_other", "refused"),
    ("errors", "errors"),
    ("lost", "lost"),
)


def report_text(report: Report) -> str:
    """The counts as a table, each scenario and all together, then the save times."""
    sizes = report.sizes
    lines = [
        f"gunicorn {sizes.workers} workers; {sizes.editors} editors and {sizes.curators} "
        f"curators, {sizes.rounds} rounds, on a page, a source and a relation at once "
        f"({report.outcomes[0].tally.seconds:.1f} s)",
        "",
        "  " + f"{'saves':10}" + "".join(f"{label:>13}" for _, label in _COLUMNS),
    ]
    for tally in [*(o.tally for o in report.outcomes), report.total]:
        cells = "".join(f"{getattr(tally, name):>13}" for name, _ in _COLUMNS)
        lines.append(f"  {tally.name:10}{cells}")
    total = report.total
    lines += [
        "",
        f"  refusals whose answer lost the person's text: {total.text_not_kept}; "
        f"flags changed by an editor's save: {total.flags_by_editors}",
        f"  curators' actions: {total.curator_actions}, answered done: "
        f"{total.curator_acknowledged} (the rest refused, e.g. a stale admin form in conflict)",
        "",
        report_table(FiguresReport(report.machine, report.sizes, report.figures())),
        "",
        f"Lost acknowledged saves: {total.lost} "
        f"({'PASS' if total.lost == 0 else 'FAIL: ' + '; '.join(_problems(report))})",
    ]
    return "\n".join(lines)


def _problems(report: Report) -> list[str]:
    return [f"{o.tally.name}: {problem}" for o in report.outcomes for problem in o.tally.problems]


def form_login(password: str) -> Login:
    """Log each person in through the login form, as a browser does."""
    return lambda browser, username: browser.login(username, password)


def benchmark_run(sizes: Sizes, *, say=print) -> Report:
    """Serve a throwaway copy of the schema with gunicorn and run the scenarios against it."""
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured(NEEDS_POSTGRES)
    password = secrets.token_urlsafe(24)
    with throwaway_database(say):
        world = world_create(sizes, password=password)
        env = server_environment(database_url(connection.settings_dict))
        say(f"Serving it with gunicorn ({sizes.workers} workers) on 127.0.0.1…")
        with gunicorn(env, workers=sizes.workers) as base:
            say("Editors and curators at work…")
            outcomes = scenarios_run(base, world, sizes, form_login(password))
        machine = machine_info()
    return Report(machine, sizes, outcomes)
