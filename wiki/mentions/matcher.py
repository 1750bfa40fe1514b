"""Find where a text names entries: whole words, ignoring case, accents and apostrophes.

Pure text handling for the mention index. Names and texts go through one folding, character by
character and length-preserving (sources.common.folding.name_form_in_place: a letter folds to
one letter, an apostrophe or a lone accent to a deletion mark, anything else to a space); runs
of separators then shrink to one space.
Because the folding keeps every character in place, a match in the folded text maps back to
exact offsets in the original text through the few places where the text shrank.

Matching is one pass of an Aho-Corasick automaton (pyahocorasick) over the folded text, so it
costs the same with ten names or ten thousand. Each name is stored padded with spaces and the
text is padded too: a match is word-bounded by construction ("Masoud" never matches inside
"Masoudi"). Where names overlap, the longest wins ("Ahmad Shah Massoud" over "Massoud").
"""

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from sources.common.folding import DELETED, name_form_in_place

# A possessive "'s" ("Massoud's forces") separates, so the name before it stays a whole word.
_POSSESSIVE = re.compile(r"\x00s(?=[ \x00]|\Z)")


def match_form(text: str) -> str:
    """text folded for matching, same length: folding.name_form_in_place, "'s" split off."""
    folded = name_form_in_place(text)
    return _POSSESSIVE.sub(" s", folded) if DELETED in folded else folded


def _drop_marks(folded: str) -> str:
    return folded.replace(DELETED, "") if DELETED in folded else folded


def _one_space(text: str) -> str:
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def squeeze(folded: str) -> str:
    """A folded text with deletion marks dropped and separator runs shrunk to one space."""
    return _one_space(_drop_marks(folded))


def name_key(name: str) -> str:
    """The form a name is matched in: "Ahmad Shah Mas’ud" → "ahmad shah masud"."""
    return squeeze(match_form(name)).strip(" ")


class _Shrink:
    """Maps positions in a shrunk string back to the string it was shrunk from."""

    def __init__(self):
        self.breaks: list[int] = []  # shrunk positions from which the shift grows
        self.shifts: list[int] = []
        self.removed = 0

    def add(self, start: int, length: int, kept: int) -> None:
        """The run of `length` characters at `start` (unshrunk) became `kept` characters."""
        shrunk_start = start - self.removed
        self.removed += length - kept
        self.breaks.append(shrunk_start + kept)
        self.shifts.append(self.removed)

    def original(self, position: int) -> int:
        i = bisect_right(self.breaks, position) - 1
        return position + (self.shifts[i] if i >= 0 else 0)


def _runs(text: str, needle: str, char: str):
    """(start, length) of each run of `char` that begins with `needle`."""
    i = text.find(needle)
    while i != -1:
        j = i + len(needle)
        while j < len(text) and text[j] == char:
            j += 1
        yield i, j - i
        i = text.find(needle, j)


class OffsetMap:
    """Maps a position in the squeezed text back to its position in the original text."""

    def __init__(self, folded: str):
        self.marks, self.spaces = _Shrink(), _Shrink()
        for start, length in _runs(folded, DELETED, DELETED):
            self.marks.add(start, length, 0)
        for start, length in _runs(_drop_marks(folded), "  ", " "):
            self.spaces.add(start, length, 1)

    def original(self, position: int) -> int:
        """Where the character at `position` of the squeezed text stands in the original."""
        return self.marks.original(self.spaces.original(position))


@dataclass(frozen=True)
class Found:
    """One mention: which name (its key) and where it stands in the original text."""

    key: str
    start: int
    end: int


class Matcher:
    """An automaton over name keys; build once, then match any number of texts."""

    def __init__(self, keys: Iterable[str]):
        self.automaton = ahocorasick.Automaton()
        for key in keys:
            if key and f" {key} " not in self.automaton:
                self.automaton.add_word(f" {key} ", key)
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def _spans(self, squeezed: str):
        """(start, end, key) of every word-bounded match in the squeezed text, overlaps too."""
        if self.empty:
            return
        # The padding spaces make each name whole words; a space may end one match and start
        # the next, so neighbouring names are all found.
        for last, key in self.automaton.iter(f" {squeezed} "):
            start = last - len(key) - 1  # in the squeezed text: the padding is one character
            yield start, start + len(key), key

    def occurs_in(self, text: str) -> bool:
        """Whether any key occurs in text as whole words."""
        return next(self._spans(squeeze(match_form(text))), None) is not None

    def keys_in(self, text: str) -> set[str]:
        """Every key that occurs in text as whole words, overlapped or not; no offsets."""
        return {key for _, _, key in self._spans(squeeze(match_form(text)))}

    def find(self, text: str) -> list[Found]:
        """The mentions in text, in order: where names overlap, the longest (then first) wins."""
        folded = match_form(text)
        spans = sorted(self._spans(squeeze(folded)), key=lambda span: (span[0], -span[1]))
        if not spans:
            return []
        offsets, found, taken = OffsetMap(folded), [], 0
        for start, end, key in spans:
            if start < taken:
                continue
            taken = end
            original_end = offsets.original(end - 1) + 1
            while original_end < len(text) and unicodedata.combining(text[original_end]):
                original_end += 1  # an accent that follows its letter belongs to the name
            found.append(Found(key, offsets.original(start), original_end))
        return found
