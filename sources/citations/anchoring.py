"""Find a quoted passage in a source text, forgiving what a typist cannot see.

The search runs exact, then normalised (white space, case, and the kinds of quote mark,
apostrophe and dash that sources.common.folding holds), then between the passage's old
context, then (on request) fuzzy. Offsets are always into the original text.

Every call does bounded work whatever the text and quote: the normalised search is a plain
substring search in a folded copy of the text (a regular expression backtracked for seconds over
a repetitive text), at most MAX_SPANS places are ranked, and the fuzzy search scores a few
windows placed by exact pieces of the quote, never sliding it over the whole text (80 s for a
2,000-character quote over 1 MB). What it cannot place is "not found", with no closest passage.
"""

import re
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from sources.common.folding import APOSTROPHES, DASHES, DOUBLE_QUOTES

# At most this many places of an exact or normalised match are ranked against the context and
# the hint (a quote such as "ab ab" can occur a hundred thousand times).
MAX_SPANS = 1000
# At most this many passages between an old prefix and suffix are compared with the quote.
MAX_CONTEXT_PASSAGES = 100
# A quote longer than this is not looked for fuzzily (twice what the citation syntax accepts).
MAX_FUZZY_QUOTE = 2000
# rapidfuzz slides a quote of up to this length over a text of up to DIRECT_TEXT characters in
# a few milliseconds; longer quotes or texts are placed by pieces of the quote instead.
DIRECT_QUOTE, DIRECT_TEXT = 256, 8000
# Placing a quote: up to FUZZY_PIECES pieces of it are looked up exactly, a piece found more
# than PIECE_HITS times says little, and the FUZZY_WINDOWS places most pieces agree on are
# scored, for at most FUZZY_SECONDS.
FUZZY_PIECES, PIECE_HITS, FUZZY_WINDOWS, FUZZY_SECONDS = 32, 64, 8, 0.15

# Folding, one character for one, as sources.common.folding.quote_form_in_place folds (quote
# marks, apostrophes and dashes plain, lower case), by one substitution per kind (a function per
# character took a second over a million curly apostrophes); every white space is a space, a
# word-final sigma a sigma, and "İ" the "i" that Python's case-insensitive matching takes it for.
_KINDS = [
    (re.compile(f"[{re.escape(kind[1:])}]"), kind[0])
    for kind in (DOUBLE_QUOTES, APOSTROPHES, DASHES)
]
_OTHER_SPACE = re.compile(r"[^\S ]")
# Then a run of spaces or of dashes stands for one. One pattern each: an alternation of the two
# scans ten times slower.
_RUNS = ((re.compile(r"  +"), " "), (re.compile(r"--+"), "-"))
_REST_OF_RUN = {" ": re.compile(" *"), "-": re.compile("-*")}
# The folded text keeps where every CHUNK characters of the original begin, and lists a chunk's
# runs only when an offset within it is asked for: a text with a run every third character costs
# no more to fold than any other.
CHUNK = 512

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
        if found := spans(text, quote, hint):
            start, end = min(found, key=lambda span: _rank(text, span, prefix, suffix, hint))
            return Anchor(start, end, method)
    anchor = _between_context(text, quote, prefix, suffix, hint, min_score - CONTEXT_SLACK)
    if anchor is None and fuzzy:
        anchor = _fuzzy(text, quote, min_score)
    return anchor


def closest_passage(text: str, quote: str, *, width: int | None = None) -> str:
    """The passage of text most like quote, cut at word boundaries; "" if none is plausible."""
    needle = _simplify(quote)
    if not needle or not text.strip():
        return ""
    fold = _folded(text)
    window = _best_window(fold.text, needle, CLOSEST_FLOOR)
    if window is None:
        return ""
    start, end = fold.to_original(window[0]), fold.to_original(window[1])
    if width:
        start = max(0, (start + end - width) // 2)
        end = min(len(text), start + width)
    start, end = _widen_to_words(text, start, end)
    return text[start:end].strip()


def context_around(text: str, start: int, end: int, size: int = 32) -> tuple[str, str]:
    """The size characters before and after a passage, to store as its prefix and suffix."""
    return text[max(0, start - size) : start], text[end : end + size]


def _exact_spans(text: str, quote: str, hint: int | None = None) -> list[tuple[int, int]]:
    return [(at, at + len(quote)) for at in _occurrences(text, quote, hint)]


def _normalised_spans(text: str, quote: str, hint: int | None = None) -> list[tuple[int, int]]:
    fold, needle = _folded(text), _simplify(quote)
    if not needle:
        return []
    near = fold.to_folded(hint) if hint is not None else None
    return [
        (fold.to_original(at), fold.to_original(at + len(needle)))
        for at in _occurrences(fold.text, needle, near)
    ]


def _occurrences(haystack: str, needle: str, near: int | None) -> list[int]:
    """Where needle starts in haystack: the first MAX_SPANS places, and those around near."""
    found = _find_all(haystack, needle, 0, MAX_SPANS)
    if near is not None and len(found) == MAX_SPANS and found[-1] < near:
        before, at = [], near + len(needle)
        while len(before) < MAX_SPANS // 2 and (at := haystack.rfind(needle, 0, at)) > found[-1]:
            before.append(at)
            at += len(needle) - 1  # occurrences may overlap
        found += reversed(before)
        found += _find_all(haystack, needle, near + 1, MAX_SPANS // 2)
    return found


def _find_all(haystack: str, needle: str, start: int, limit: int) -> list[int]:
    found, at = [], haystack.find(needle, start)
    while at != -1 and len(found) < limit:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


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
    tails = [start for start, _ in _normalised_spans(text, suffix, hint)]
    heads = [end for _, end in _normalised_spans(text, prefix, hint)]
    if hint is not None:  # the passages nearest the old place first
        heads.sort(key=lambda head: abs(head - hint))
    needle = _simplify(quote)
    # A passage scoring >= 70 against the quote is at most ~1.9 times its length.
    longest = 2 * len(quote) + 32
    candidates = []
    for head in heads[:MAX_CONTEXT_PASSAGES]:
        i = bisect_left(tails, head)
        if i < len(tails) and tails[i] - head <= longest:
            start, end = _strip(text, head, tails[i])
            score = fuzz.ratio(needle, _simplify(text[start:end]), score_cutoff=threshold)
            if score >= threshold:
                candidates.append(Anchor(start, end, "context", score))
    if not candidates:
        return None
    return min(candidates, key=lambda a: (-a.score, abs(a.start - hint) if hint is not None else 0))


def _fuzzy(text: str, quote: str, min_score: float) -> Anchor | None:
    fold = _folded(text)
    window = _best_window(fold.text, _simplify(quote), min_score)
    if window is None:
        return None
    start, end = _strip(text, fold.to_original(window[0]), fold.to_original(window[1]))
    return Anchor(start, end, "fuzzy", window[2])


def _best_window(haystack: str, needle: str, cutoff: float) -> tuple[int, int, float] | None:
    """The window of haystack most like needle, scoring at least cutoff: (start, end, score)."""
    if not needle or len(needle) > MAX_FUZZY_QUOTE:
        return None
    if len(needle) >= len(haystack):
        score = fuzz.ratio(needle, haystack)
        return (0, len(haystack), score) if score >= cutoff else None
    if len(needle) <= DIRECT_QUOTE and len(haystack) <= DIRECT_TEXT:
        found = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=cutoff)
        if found is None:
            return None
        # partial_ratio compares windows exactly as long as the needle; a typo that added or
        # dropped characters leaves the true passage a little longer or shorter: let both ends move.
        slack = min(16, max(2, len(needle) // 8))
        score, start, end = max(
            (fuzz.ratio(needle, haystack[s:e]), -s, e)
            for s in range(max(0, found.dest_start - slack), found.dest_start + slack + 1)
            for e in range(
                max(s + 1, found.dest_end - slack), min(len(haystack), found.dest_end + slack) + 1
            )
        )
        return -start, end, score
    deadline = time.perf_counter() + FUZZY_SECONDS
    best = None
    for place in _likely_places(haystack, needle):
        window = _align(haystack, needle, place)
        if window[2] >= cutoff and (best is None or window[2] > best[2]):
            best = window
        if time.perf_counter() > deadline:
            break
    return best


def _likely_places(haystack: str, needle: str) -> list[int]:
    """Where needle may start in haystack, best first: where most of its exact pieces agree
    (a piece found more than PIECE_HITS times counts only if no piece is rarer)."""
    size = max(3, min(8, len(needle) // 6))
    offsets = range(0, len(needle) - size + 1, size)
    offsets = offsets[:: max(1, -(-len(offsets) // FUZZY_PIECES))]  # at most FUZZY_PIECES, spread
    hits = {
        offset: _find_all(haystack, needle[offset : offset + size], 0, PIECE_HITS + 1)
        for offset in offsets
    }
    rare = {offset: found for offset, found in hits.items() if 0 < len(found) <= PIECE_HITS}
    votes: dict[int, set[int]] = {}
    places: dict[int, list[int]] = {}
    width = max(16, len(needle) // 4)
    for offset, found in (rare or hits).items():
        for at in found:
            place = at - offset
            votes.setdefault(place // width, set()).add(offset)
            places.setdefault(place // width, []).append(place)

    def agreeing(bucket: int) -> int:
        return len(votes.get(bucket - 1, set()) | votes[bucket] | votes.get(bucket + 1, set()))

    ranked = sorted(votes, key=lambda bucket: (-agreeing(bucket), bucket))[:FUZZY_WINDOWS]
    return [sorted(places[bucket])[len(places[bucket]) // 2] for bucket in ranked]


def _align(haystack: str, needle: str, place: int) -> tuple[int, int, float]:
    """The window near place most like needle: its start ever more finely, then each end in
    turn, by fuzz.ratio alone. About a hundred comparisons whatever the haystack."""
    length, last = len(needle), len(haystack)

    def score(start: int, end: int) -> float:
        return fuzz.ratio(needle, haystack[start:end]) if 0 <= start < end <= last else 0.0

    start, reach = place, max(16, length // 8)
    step = max(1, reach // 8)
    while True:
        starts = range(start - reach, start + reach + 1, step)
        start = max(starts, key=lambda s: (score(s, s + length), -s))
        if step == 1:
            break
        reach, step = step, max(1, step // 4)
    # A typo that added or dropped characters leaves the passage a little longer or shorter.
    end, slack = start + length, min(16, max(2, length // 8))
    for reach in (slack, 2):
        end = max(range(end - reach, end + reach + 1), key=lambda e: (score(start, e), e))
        start = max(range(start - reach, start + reach + 1), key=lambda s: (score(s, end), -s))
    return start, end, score(start, end)


@dataclass(frozen=True)
class _Fold:
    """A text folded as anchoring compares it, and the way between its offsets and the text's."""

    text: str
    same_length: str  # the original folded but for its runs
    starts: list[int]  # where each chunk starts in the original
    folded_starts: list[int]  # and in the folded text
    runs: dict = field(default_factory=dict)  # chunk -> its _Runs, made when first asked for

    def to_original(self, offset: int) -> int:
        """An offset into the folded text as an offset into the original."""
        runs = self._runs(bisect_right(self.folded_starts, offset) - 1)
        j = bisect_right(runs.folded, offset) - 1
        if j < 0:
            return runs.start + offset - runs.folded_start
        if offset == runs.folded[j]:  # the run's one character: where the run starts
            return runs.starts[j]
        return runs.ends[j] + offset - runs.folded[j] - 1

    def to_folded(self, offset: int) -> int:
        """An offset into the original text as (inside a run: about) one into the folded text."""
        runs = self._runs(bisect_right(self.starts, offset) - 1)
        j = bisect_right(runs.starts, offset) - 1
        if j < 0:
            return runs.folded_start + offset - runs.start
        if offset < runs.ends[j]:
            return runs.folded[j] + (offset > runs.starts[j])
        return runs.folded[j] + 1 + offset - runs.ends[j]

    def _runs(self, chunk: int) -> "_Runs":
        if chunk not in self.runs:
            last = chunk + 1 == len(self.starts)
            end = len(self.same_length) if last else self.starts[chunk + 1]
            spans = sorted(
                match.span()
                for run, _ in _RUNS
                for match in run.finditer(self.same_length, self.starts[chunk], end)
            )
            self.runs[chunk] = _Runs(self.starts[chunk], self.folded_starts[chunk], spans)
        return self.runs[chunk]


class _Runs:
    """The runs of one chunk: each one's start and end in the original, its place when folded."""

    def __init__(self, start: int, folded_start: int, spans: list[tuple[int, int]]):
        self.start, self.folded_start = start, folded_start
        self.starts, self.ends, self.folded = [], [], []
        original, folded = start, folded_start
        for run_start, run_end in spans:
            folded += run_start - original
            self.starts.append(run_start)
            self.ends.append(run_end)
            self.folded.append(folded)
            original, folded = run_end, folded + 1


@lru_cache(maxsize=4)
def _folded(text: str) -> _Fold:
    """text as anchoring compares it: marks and dashes plain, lower case, runs as one character."""
    same_length = _same_length(text)
    pieces, starts, folded_starts, start, folded = [], [], [], 0, 0
    while start < len(same_length) or not starts:
        end = min(start + CHUNK, len(same_length))
        if 0 < end < len(same_length) and same_length[end] == same_length[end - 1] in " -":
            end = _REST_OF_RUN[same_length[end]].match(same_length, end).end()  # runs stay whole
        piece = _collapsed(same_length[start:end])
        pieces.append(piece)
        starts.append(start)
        folded_starts.append(folded)
        start, folded = end, folded + len(piece)
    return _Fold("".join(pieces), same_length, starts, folded_starts)


def _simplify(s: str) -> str:
    """A quote folded as _folded folds a text, without its outer spaces."""
    return _collapsed(_same_length(s)).strip()


def _collapsed(s: str) -> str:
    for run, one in _RUNS:
        s = run.sub(one, s)
    return s


def _same_length(s: str) -> str:
    for kind, plain in _KINDS:
        s = kind.sub(plain, s)
    return _OTHER_SPACE.sub(" ", s.replace("İ", "i").lower()).replace("ς", "σ")


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
