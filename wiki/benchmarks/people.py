"""The people of the concurrency benchmark: editors and curators at work in their browsers.

Each works on one thing for a number of rounds: an editor opens the edit form, changes only
what is theirs (a paragraph of a page or of a source's text, one field of a relation) and
saves; a curator publishes, unpublishes, locks and unlocks from the site or the admin, and
saves admin change forms opened a while ago. Every save is counted by the answer it got
(Outcomes); wiki.benchmarks.concurrency sets the scene and accounts for the saves afterwards.
"""

import html
import random
import re
import threading
import time
from dataclasses import asdict, dataclass, field

from django.urls import reverse

from wiki.benchmarks.browser import Browser, Response, form_with, messages_of

PASSAGE = "the Northern Alliance was established"
PAGE_LINE = "Editor {i} saved round {r} of this page."
PAGE_SLOT = re.compile(r"Editor (\d+) saved round (\d+) of this page")
TEXT_LINE = "Paragraph of editor {i}, round {r}."
TEXT_SLOT = re.compile(r"Paragraph of editor (\d+), round (\d+)\.")
START_YEAR, END_YEAR = 1900, 2000  # a relation's start and end: the year counts the rounds
RELATION_SLOTS = ("start", "end", "evidence")
MERGED_WORDS = "merged"


def evidence(key: str, round_: int) -> str:
    """A relation's evidence whose locator counts the rounds."""
    return f'[@{key}, p. {round_} "{PASSAGE}"]'


@dataclass
class Tally:
    """The outcome of one scenario: every save attempted, and what became of it."""

    name: str
    attempted: int = 0
    acknowledged: int = 0
    merged: int = 0
    conflicts: int = 0
    refused_locked: int = 0
    refused_other: int = 0
    errors: int = 0
    lost: int = 0
    text_not_kept: int = 0  # refusals whose answer did not give the person's text back
    flags_by_editors: int = 0  # revisions of an editor's save that changed published/locked
    curator_actions: int = 0
    curator_acknowledged: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


class Outcomes:
    """What the threads of one scenario report, gathered under a lock."""

    def __init__(self, name: str):
        self.tally = Tally(name)
        self.acks: list[tuple[int, int]] = []  # (slot, round) of each acknowledged save
        self.save_ms: list[float] = []  # how long each save took to answer
        self._lock = threading.Lock()

    def save(self, browser: Browser, path: str, data, *, slot: int, round_: int, kept: str):
        """Post one editor's save and count it by the answer it got."""
        started = time.perf_counter()
        response = browser.post(path, data)
        with self._lock:
            self.save_ms.append((time.perf_counter() - started) * 1000)
        self.saved(slot, round_, response, kept, browser)

    def saved(self, slot: int, round_: int, response: Response, kept: str, browser: Browser):
        """Count one editor's save by the answer it got."""
        with self._lock:
            self.tally.attempted += 1
        if response.status in (301, 302, 303):
            merged = any(MERGED_WORDS in m for m in messages_of(browser.follow(response).text))
            with self._lock:
                self.tally.acknowledged += 1
                self.tally.merged += merged
                self.acks.append((slot, round_))
            return
        with self._lock:
            if response.status == 409:
                self.tally.conflicts += 1
            elif response.status == 403:
                self.tally.refused_locked += 1
            elif response.status == 200:
                self.tally.refused_other += 1
                self.tally.problems.append(f"slot {slot} round {round_}: {_errors(response)}")
            else:
                self.tally.errors += 1
                self.tally.problems.append(f"slot {slot} round {round_}: HTTP {response.status}")
                return
            if kept not in html.unescape(response.text):
                self.tally.text_not_kept += 1

    def curated(self, response: Response):
        with self._lock:
            self.tally.curator_actions += 1
            self.tally.curator_acknowledged += response.status in (301, 302, 303)
            if response.status >= 500:
                self.tally.errors += 1
                self.tally.problems.append(f"curator: HTTP {response.status}")


def _errors(response: Response) -> str:
    found = re.findall(r'class="field__error[^"]*"[^>]*>(.*?)<', response.text)
    found += re.findall(r'<div class="form-errors"[^>]*>\s*<p>(.*?)</p>', response.text, re.S)
    return "; ".join(found)[:300] or f"HTTP {response.status}, no error shown"


def _pause(rng: random.Random) -> None:
    """A person's moment between reading and saving: short, so that saves cross."""
    time.sleep(rng.uniform(0, 0.05))


def _open_form(browser: Browser, path: str, field_name: str, attempts: int = 40):
    """The edit form at path, waiting while the page is locked (it shows read-only then)."""
    for _ in range(attempts):
        form = form_with(browser.get(path).text, field_name)
        if form is not None:
            return form
        time.sleep(0.05)
    return None


def page_editor(browser, world, slot, rounds, outcomes, rng):
    """Editor `slot` rewrites its own paragraph of the page, once a round."""
    path = reverse("wiki:entry-edit", args=["actors", world.page.slug])
    for round_ in range(1, rounds + 1):
        form = _open_form(browser, path, "body")
        if form is None:
            continue
        body = re.sub(
            PAGE_LINE.format(i=slot, r=r"\d+").replace(".", r"\."),
            PAGE_LINE.format(i=slot, r=round_),
            form.get("body"),
        )
        _pause(rng)
        data = form.data(body=body, change_reason=f"Editor {slot}, round {round_}")
        outcomes.save(
            browser, path, data, slot=slot, round_=round_, kept=PAGE_LINE.format(i=slot, r=round_)
        )


def source_editor(browser, world, slot, rounds, outcomes, rng):
    """Editor `slot` rewrites its own paragraph of the source's text, once a round."""
    path = reverse("sources:source-edit", args=[world.source.key])
    for round_ in range(1, rounds + 1):
        form = _open_form(browser, path, "text")
        if form is None:
            continue
        text = TEXT_SLOT.sub(
            lambda m, r=round_: TEXT_LINE.format(i=slot, r=r) if m[1] == str(slot) else m[0],
            form.get("text"),
        )
        _pause(rng)
        data = form.data(text=text, change_reason=f"Editor {slot}, round {round_}")
        outcomes.save(
            browser, path, data, slot=slot, round_=round_, kept=TEXT_LINE.format(i=slot, r=round_)
        )


def relation_editor(browser, world, slot, rounds, outcomes, rng):
    """Editor `slot` changes its own field of the membership (start, end or evidence)."""
    path = reverse("wiki:relation-edit", args=["membership", world.membership.pk])
    name = RELATION_SLOTS[slot]
    for round_ in range(1, rounds + 1):
        form = _open_form(browser, path, "evidence")
        if form is None:
            continue
        value = {
            "start": str(START_YEAR + round_),
            "end": str(END_YEAR + round_),
            "evidence": evidence(world.cited_key, round_),
        }[name]
        _pause(rng)
        data = form.data(**{name: value, "change_reason": f"Editor {slot}, round {round_}"})
        outcomes.save(browser, path, data, slot=slot, round_=round_, kept=value)


def _admin_url(obj, view: str) -> str:
    meta = obj._meta
    args = [obj.pk] if view == "change" else []
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _admin_action(browser, obj, action: str) -> Response:
    data = [("action", action), ("_selected_action", str(obj.pk)), ("index", "0")]
    return browser.post(_admin_url(obj, "changelist"), data)


def _stale_admin_save(browser, obj, form, round_) -> Response:
    """Save an admin change form opened a while ago, with only its summary filled in."""
    reason = f"Admin check, round {round_}"
    return browser.post(_admin_url(obj, "change"), form.data(change_reason=reason, _save="Save"))


def page_curator(browser, world, slot, rounds, outcomes, rng):
    """Publish and unpublish, lock and unlock the page: from the site or from the admin."""
    page, path = world.page, world.page.get_absolute_url()
    in_admin = slot % 2 == 1
    for round_ in range(1, rounds + 1):
        publish = (round_ + slot) % 2 == 1
        if in_admin:
            stale = form_with(browser.get(_admin_url(page, "change")).text, "body")
            steps = [
                lambda p=publish: _admin_action(browser, page, "publish" if p else "unpublish"),
                lambda: _admin_action(browser, page, "lock"),
                lambda: _admin_action(browser, page, "unlock"),
                lambda r=round_, form=stale: _stale_admin_save(browser, page, form, r),
            ]
        else:
            browser.get(path)
            action = "publish" if publish else "unpublish"
            steps = [
                lambda a=action: browser.post(f"{path}publish/", {"action": a}),
                lambda r=round_: browser.post(
                    f"{path}lock/", {"action": "lock", "lock_reason": f"Check {r}"}
                ),
                lambda: browser.post(f"{path}lock/", {"action": "unlock"}),
            ]
        for step in steps:
            _pause(rng)
            outcomes.curated(step())


def source_curator(browser, world, slot, rounds, outcomes, rng):
    """Publish and unpublish the source: from the site or from the admin."""
    source = world.source
    in_admin = slot % 2 == 1
    for round_ in range(1, rounds + 1):
        publish = (round_ + slot) % 2 == 1
        if in_admin:
            stale = form_with(browser.get(_admin_url(source, "change")).text, "text")
            _pause(rng)
            outcomes.curated(_admin_action(browser, source, "publish" if publish else "unpublish"))
            _pause(rng)
            outcomes.curated(_stale_admin_save(browser, source, stale, round_))
        else:
            path = reverse("sources:source-publish", args=[source.key])
            _pause(rng)
            outcomes.curated(browser.post(path, {"publish": "1" if publish else "0"}))


def relation_curator(browser, world, slot, rounds, outcomes, rng):
    """Save stale admin change forms: the membership's own, and its actor's with the row."""
    membership = world.membership
    actor = membership.actor
    for round_ in range(1, rounds + 1):
        own = form_with(browser.get(_admin_url(membership, "change")).text, "evidence")
        with_row = form_with(browser.get(_admin_url(actor, "change")).text, "body")
        _pause(rng)
        outcomes.curated(_stale_admin_save(browser, membership, own, round_))
        _pause(rng)
        outcomes.curated(_stale_admin_save(browser, actor, with_row, round_))
