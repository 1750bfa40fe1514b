"""Word-level diffs of two texts, as HTML with <ins> and <del>: pure text handling.

Lines are compared first, then the words of changed lines (difflib). Every piece is escaped
before it becomes HTML; unchanged stretches are folded to a little context around each change.
"""

import difflib
import re
import time

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A diff stops refining after this many seconds; what is left shows as whole removed/added lines.
DIFF_BUDGET = 1.0
# Unchanged lines kept around each change in a text diff.
CONTEXT_LINES = 2
# An unchanged stretch without line breaks keeps this many characters on each side of a change.
CONTEXT_CHARS = 300

# A word or one other character with the white space before it, or trailing white space: what a
# reader sees changing. Keeping the space with the word makes tokens rarely repeat, which is
# what keeps difflib fast (a lone " " token matches everywhere).
_TOKEN = re.compile(r"\s*(?:\w+|[^\w\s])|\s+")
DELETE, EQUAL, INSERT = -1, 0, 1
# Past this many token pairs, difflib's "popular tokens are junk" heuristic keeps a whole-text
# rewrite near 0.3 s instead of 1.5 s, for a slightly coarser diff.
_AUTOJUNK_FROM = 4_000_000
# Two versions of a passage sharing less than this share of their words were rewritten.
_ALIKE = 0.4


def _opcodes(old: list[str], new: list[str]):
    autojunk = len(old) * len(new) > _AUTOJUNK_FROM
    return difflib.SequenceMatcher(None, old, new, autojunk=autojunk).get_opcodes()


def text_diff(old: str, new: str, *, budget: float = DIFF_BUDGET) -> list[tuple[int, str]]:
    """A word-level diff as (op, text) pairs, op being -1 (deleted), 0 (kept) or 1 (inserted).

    Lines are compared first, then the words of the lines that changed: an edited paragraph of
    a 100 KB text costs milliseconds. Past `budget` seconds, what remains unrefined shows as
    whole removed and added lines, which is still a correct diff.
    """
    deadline = time.monotonic() + budget
    old_lines, new_lines = old.splitlines(True), new.splitlines(True)
    out: list[tuple[int, str]] = []
    for tag, i1, i2, j1, j2 in _opcodes(old_lines, new_lines):
        removed, added = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            out.append((EQUAL, removed))
        elif tag == "replace" and time.monotonic() < deadline:
            out += _refine(old_lines[i1:i2], new_lines[j1:j2], deadline)
        else:
            out += [(DELETE, removed), (INSERT, added)]
    return _merged(out)


def _refine(old_lines: list[str], new_lines: list[str], deadline: float):
    """The words that changed within a block of replaced lines."""
    # Lines edited in place pair up one to one: diff each pair, a few hundred words at most.
    pairs = [("".join(old_lines), "".join(new_lines))]
    if len(old_lines) == len(new_lines) > 1:
        pairs = list(zip(old_lines, new_lines, strict=True))
    ops = []
    for before, after in pairs:
        if time.monotonic() > deadline:
            ops += [(DELETE, before), (INSERT, after)]
            continue
        old_words, new_words = _TOKEN.findall(before), _TOKEN.findall(after)
        opcodes = _opcodes(old_words, new_words)
        kept = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
        if 2 * kept < _ALIKE * (len(old_words) + len(new_words)):
            # Rewritten rather than edited: a confetti of common words helps nobody.
            ops += [(DELETE, before), (INSERT, after)]
            continue
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                ops.append((EQUAL, "".join(old_words[i1:i2])))
            else:
                ops += [(DELETE, "".join(old_words[i1:i2])), (INSERT, "".join(new_words[j1:j2]))]
    return ops


def _merged(ops):
    out: list[tuple[int, str]] = []
    for op, text in ops:
        if not text:
            continue
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return out


def diff_html(ops, *, context: int = CONTEXT_LINES) -> SafeString:
    """A diff as HTML: <del> and <ins> around changes, long unchanged stretches folded.

    Every piece of text is escaped here; the result is safe to insert as it is.
    """
    parts = []
    last = len(ops) - 1
    for i, (op, text) in enumerate(ops):
        if op == INSERT:
            parts.append(f"<ins>{escape(text)}</ins>")
        elif op == DELETE:
            parts.append(f"<del>{escape(text)}</del>")
        else:
            parts += _folded(text, context, head=i > 0, tail=i < last)
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def _folded(text: str, context: int, *, head: bool, tail: bool) -> list[str]:
    """Unchanged text, keeping `context` lines after the change before it (`head`) and before
    the next change (`tail`), and at most CONTEXT_CHARS characters of each; one gap between."""
    if not (head or tail):
        return [_gap("no change")]
    start = _context_after(text, context) if head else 0
    end = _context_before(text, context) if tail else len(text)
    if end - start <= 40:  # not worth a gap
        return [escape(text)]
    hidden = text[start:end]
    lines = len(hidden.splitlines()) if "\n" in hidden else 0
    label = f"{lines} unchanged line{'s' if lines != 1 else ''}" if lines else "unchanged text"
    return [escape(text[:start]), _gap(f"{label} ({len(hidden):,} characters)"), escape(text[end:])]


def _context_after(text: str, context: int) -> int:
    # The rest of the changed line and `context` lines more, cut between words if too long.
    at = 0
    for _ in range(context + 1):
        newline = text.find("\n", at)
        if newline == -1:
            at = len(text)
            break
        at = newline + 1
    if at > CONTEXT_CHARS:
        space = text.rfind(" ", 0, CONTEXT_CHARS)
        at = space + 1 if space > 0 else CONTEXT_CHARS
    return at


def _context_before(text: str, context: int) -> int:
    # `context` lines and the start of the line the next change is in, cut between words.
    at = len(text)
    for _ in range(context + 1):
        newline = text.rfind("\n", 0, at)
        if newline == -1:
            at = 0
            break
        at = newline
    else:
        at += 1
    if len(text) - at > CONTEXT_CHARS:
        floor = len(text) - CONTEXT_CHARS
        space = text.find(" ", floor)
        at = space if space != -1 else floor
    return at


def _gap(label: str) -> str:
    return f'<span class="diff-gap">{escape(label)}</span>'
