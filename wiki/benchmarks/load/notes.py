"""An editor's note with its unique marker, and what the answer to a save means.

Shared by the locust process (which must not import Django) and the runner that accounts for
the saves afterwards.
"""

import random
import re

NOTE = "Load-test note {marker} by editor {editor}."
ACKNOWLEDGED, CONFLICT, LOCKED, REFUSED = "acknowledged", "conflict", "locked", "refused"


def note_pattern(editor: int) -> re.Pattern:
    return re.compile(rf"Load-test note \S+ by editor {editor}\.")


def body_with_note(body: str, editor: int, marker: str, rng: random.Random) -> str:
    """The body with this editor's note replaced by one carrying the new marker. The first
    note goes in as a paragraph of its own at a random place, so that the notes of different
    editors sit apart (their saves merge) or side by side (they conflict)."""
    note = NOTE.format(marker=marker, editor=editor)
    body = body.replace("\r\n", "\n")
    if note_pattern(editor).search(body):
        return note_pattern(editor).sub(lambda _: note, body, count=1)
    blocks = [block for block in body.strip("\n").split("\n\n") if block]
    blocks.insert(rng.randint(0, len(blocks)), note)
    return "\n\n".join(blocks) + "\n"


def outcome_of(status: int, location: str, page: str) -> str:
    """What the answer to a save means: a redirect to the page acknowledges it; 409 is the
    conflict page and 403 a page locked meanwhile, both keeping the editor's text; the form
    shown again (200) refused it for another reason."""
    if status in (302, 303) and location.split("?")[0].endswith(page):
        return ACKNOWLEDGED
    return {409: CONFLICT, 403: LOCKED, 200: REFUSED}.get(status, f"HTTP {status}")
