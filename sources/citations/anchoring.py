"""Find a quoted passage in a source text, forgiving what a typist cannot see.

The search runs exact, then normalised (white space, case, and the kinds of quote mark,
apostrophe and dash that sources.common.folding holds), then between the passage's old
context, then (on request) fuzzy. Offsets are always into the original text.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from sources.common.folding import APOSTROPHES, DASHES, DOUBLE_QUOTES, quote_form_in_place

# lower() writes a word-final sigma as "ς", so a quote cut mid-word must still match "σ".
_CLASSES = {
    c: f"[{re.escape(kinds)}]" for kinds in (DOUBLE_QUOTES, APOSTROPHES, "σς") for c in kinds
}
_TOKEN = re.compile(rf"\s+|[{re.escape(DASHES)}]+|.", re.DOTALL)
_WS = re.compile(r"\s+")
_ODD_WS = re.compile(r"\s{2,}|[^\S ]")  # everything but a lone plain space

# Between a quote's old prefix and suffix the place is already certain, so the passage there need
# only resemble the quote: min_score - 20, i.e. 70 by default, survives a reworded phrase.
CONTEXT_SLACK = 20.0
# Unrelated English sentences score 40-57 against the best window of a text; related ones 63+.
CLOSEST_FLOOR = 60.0


@dataclass(frozen=True)
class Anchor:
    """Where a quote sits in a text, and how it was found."""

    start: int
    end: int
    method: str  # "exact" | "normalised" | "context" | "fuzzy"
    score: float = 100.0

    def passage(self, text: str) -> str:
        """The anchored passage of text."""
        return text[self.start : self.end]


def find_quote(
    text: str,
    quote: str,
    *,
    prefix: str = "",
    suffix: str = "",
    hint: int | None = None,
    fuzzy: bool = False,
    min_score: float = 90.0,
) -> Anchor | None:
    """Locate quote in text: exactly, normalised, between its old prefix and suffix, or fuzzily."""
    quote = quote.strip()
    if not quote or not text:
        return None
    for method, spans in (("exact", _exact_spans), ("normalised", _normalised_spans)):
        if found := spans(text, quote):
            start, end = min(found, key=lambda span: _rank(text, span, prefix, suffix, hint))
            return Anchor(start, end, method)
    anchor = _between_context(text, quote, prefix, suffix, hint, min_score - CONTEXT_SLACK)
    if anchor is None and fuzzy:
        anchor = _fuzzy(text, quote, min_score)
    return anchor


def closest_passage(text: str, quote: str, *, width: int | None = None) -> str:
    """The passage of text most like quote, cut at word boundaries; "" if none is plausible."""
    needle = _simplify(quote).strip()
    if not needle or not text.strip():
        return ""
    folded, to_original = _folded(text)
    window = _best_window(folded, needle, CLOSEST_FLOOR)
    if window is None:
        return ""
    start, end = to_original(window[0]), to_original(window[1])
    if width:
        start = max(0, (start + end - width) // 2)
        end = min(len(text), start + width)
    start, end = _widen_to_words(text, start, end)
    return text[start:end].strip()


def context_around(text: str, start: int, end: int, size: int = 32) -> tuple[str, str]:
    """The size characters before and after a passage, to store as its prefix and suffix."""
    return text[max(0, start - size) : start], text[end : end + size]


def _exact_spans(text: str, quote: str) -> list[tuple[int, int]]:
    spans, at = [], text.find(quote)
    while at != -1:
        spans.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return spans


def _normalised_spans(text: str, quote: str) -> list[tuple[int, int]]:
    return [match.span() for match in _finditer(text, quote)]


def _finditer(text: str, quote: str) -> Iterator[re.Match[str]]:
    # Searching a lower-cased copy case-sensitively lets re use its fast literal-prefix scan,
    # which IGNORECASE disables; a copy whose length changed ("İ") would shift offsets.
    lowered = _lowered(text)
    if len(lowered) == len(text):
        return _pattern(quote.lower(), 0).finditer(lowered)
    return _pattern(quote.lower(), re.IGNORECASE).finditer(text)


@lru_cache(maxsize=4)
def _lowered(text: str) -> str:
    return text.lower()


@lru_cache(maxsize=512)
def _pattern(quote: str, flags: int) -> re.Pattern[str]:
    parts = []
    for token in _TOKEN.findall(quote.strip()):
        if token.isspace():
            parts.append(r"\s+")
        elif token[0] in DASHES:
            parts.append(f"[{re.escape(DASHES)}]+")
        else:
            parts.append(_CLASSES.get(token) or re.escape(token))
    return re.compile("".join(parts), flags)


def _rank(text: str, span: tuple[int, int], prefix: str, suffix: str, hint: int | None):
    # Best agreement with the stored context first, then nearest the hint, then earliest.
    start, end = span
    agreement = _agreement(prefix, text[max(0, start - 2 * len(prefix)) : start], tail=True)
    agreement += _agreement(suffix, text[end : end + 2 * len(suffix)], tail=False)
    return -agreement, abs(start - hint) if hint is not None else 0, start


def _agreement(wanted: str, found: str, *, tail: bool) -> float:
    wanted, found = _simplify(wanted), _simplify(found)
    if not wanted:
        return 0.0
    return fuzz.ratio(wanted, found[-len(wanted) :] if tail else found[: len(wanted)])


def _between_context(
    text: str, quote: str, prefix: str, suffix: str, hint: int | None, threshold: float
) -> Anchor | None:
    if not (prefix.strip() and suffix.strip()):
        return None
    tails = [match.start() for match in _finditer(text, suffix)]
    needle = _simplify(quote)
    # A passage scoring >= 70 against the quote is at most ~1.9 times its length.
    longest = 2 * len(quote) + 32
    candidates = []
    for head in (match.end() for match in _finditer(text, prefix)):
        i = bisect_left(tails, head)
        if i < len(tails) and tails[i] - head <= longest:
            start, end = _strip(text, head, tails[i])
            score = fuzz.ratio(needle, _simplify(text[start:end]))
            if score >= threshold:
                candidates.append(Anchor(start, end, "context", score))
    if not candidates:
        return None
    return min(candidates, key=lambda a: (-a.score, abs(a.start - hint) if hint is not None else 0))


def _fuzzy(text: str, quote: str, min_score: float) -> Anchor | None:
    folded, to_original = _folded(text)
    window = _best_window(folded, _simplify(quote).strip(), min_score)
    if window is None:
        return None
    start, end = _strip(text, to_original(window[0]), to_original(window[1]))
    return Anchor(start, end, "fuzzy", window[2])


def _best_window(haystack: str, needle: str, cutoff: float) -> tuple[int, int, float] | None:
    if len(needle) >= len(haystack):
        score = fuzz.ratio(needle, haystack)
        return (0, len(haystack), score) if score >= cutoff else None
    found = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=cutoff)
    if found is None:
        return None
    # partial_ratio compares windows exactly as long as the needle; a typo that added or dropped
    # characters leaves the true passage a little longer or shorter, so let both ends move.
    slack = min(16, max(2, len(needle) // 8))
    score, start, end = max(
        (fuzz.ratio(needle, haystack[s:e]), -s, e)
        for s in range(max(0, found.dest_start - slack), found.dest_start + slack + 1)
        for e in range(
            max(s + 1, found.dest_end - slack), min(len(haystack), found.dest_end + slack) + 1
        )
    )
    return -start, end, score


@lru_cache(maxsize=4)
def _folded(text: str):
    """text simplified like _simplify, and a function taking its offsets back to text's."""
    parts, breaks, shifts, last, removed = [], [], [], 0, 0
    for match in _ODD_WS.finditer(text):
        parts += (text[last : match.start()], " ")
        if match.end() - match.start() > 1:
            removed += match.end() - match.start() - 1
            breaks.append(match.end() - removed)
            shifts.append(removed)
        last = match.end()
    parts.append(text[last:])

    def to_original(offset: int) -> int:
        i = bisect_right(breaks, offset)
        return offset + (shifts[i - 1] if i else 0)

    return quote_form_in_place("".join(parts)), to_original


def _simplify(s: str) -> str:
    return quote_form_in_place(_WS.sub(" ", s))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _widen_to_words(text: str, start: int, end: int, limit: int = 30) -> tuple[int, int]:
    floor, ceiling = max(0, start - limit), min(len(text), end + limit)
    while start > floor and not text[start - 1].isspace():
        start -= 1
    while end < ceiling and not text[end].isspace():
        end += 1
    return start, end
