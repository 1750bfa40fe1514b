"""Text handling for search, without the database: folding, queries, snippets.

Both sides of a search are folded the same way: the text that is indexed and the words that are
typed. Folding is the form names are compared in (sources.common.folding.name_form: case,
accents, apostrophes, punctuation) plus dropping the Persian connecting vowel ("ezafe"), which
transliterations write as -e-, -i- or not at all:
Mazar-i-Sharif, Mazar-e Sharif and Mazar Sharif all fold to "mazar sharif".
"""

import functools
import re
from dataclasses import dataclass

from django.utils.html import escape

from sources.common.folding import name_form, name_form_in_place, name_form_of_char

# The connecting vowel on its own after a word, once name_form has left single spaces between
# words and none at either end (so a space always follows a word).
_EZAFE = re.compile(r" (?:e|i|ye|yi)(?= |$)")
EZAFE_WORDS = {"e", "i", "ye", "yi"}
# Wiki markup that is not prose: citation groups, the target half of [[target|label]], and
# the characters CommonMark uses for emphasis, headings, quotes and code.
_CITATION_GROUP = re.compile(r"\[\s*@[^\]]*\]")
_WIKILINK = re.compile(r"\[\[(?:[^\[\]|\n]*\|)?([^\[\]\n]*)\]\]")
_MARKUP_CHARS = re.compile(r"(?m)^[ \t]{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])[ \t]+|[*_`]+")
_SPACE = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# Characters that never occur in stored text, used to mark highlights before escaping.
START, STOP = "\x02", "\x03"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
# name_form on ASCII: letters and digits in lower case, the rest spaces (apostrophes, which
# join, are dropped before). One str.translate, which is fast when every result is ASCII.
_ASCII_SPACES = str.maketrans(
    {chr(code): " " for code in range(128) if not chr(code).isalnum()}
    | {letter: letter.lower() for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
)


@functools.cache
def _folded_char(char: str) -> str:
    # A symbol that folds to letters ("™" to "tm") but that the mention matcher reads as a
    # space stays a space: else it would join the word before it, and a name written
    # "Massoud™" would be a mention that the search index, which finds candidates, misses.
    if name_form_in_place(char) == " ":
        return " "
    return name_form_of_char(char)


def _folded_ascii(text: str) -> str:
    text = text.replace("'", "").replace("`", "") if "'" in text or "`" in text else text
    return " ".join(text.translate(_ASCII_SPACES).split())


def search_form(text: str) -> str:
    """The searchable form of a text: its words in name form, the ezafe dropped, one space apart."""
    if not text.isascii():
        # name_form folds character by character, so each character may be folded alone.
        text = _NOT_ASCII.sub(lambda run: "".join(map(_folded_char, run[0])), text)
    folded = _folded_ascii(text) if text.isascii() else name_form(text)
    return _EZAFE.sub("", folded)


def plain_body(body: str) -> str:
    """A page body as prose: citations dropped, links by their label, markup characters gone."""
    text = _CITATION_GROUP.sub("", body)
    text = _WIKILINK.sub(r"\1", text)
    text = _MARKUP_CHARS.sub("", text)
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", clean("\n".join(lines))).strip()


def clean(text: str) -> str:
    """Text safe to store and highlight: control characters (START and STOP among them) become
    spaces, so that words a page break or a stray code separated stay apart, as they do for
    the mention matcher."""
    return _CONTROL.sub(" ", text)


@dataclass(frozen=True)
class Term:
    """One word or quoted phrase of a query, folded; negated when written with a leading '-'."""

    words: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """A query in websearch syntax: every clause must match; a clause is terms joined by OR."""

    clauses: tuple[tuple[Term, ...], ...]
    raw: str = ""

    @property
    def is_plain(self) -> bool:
        """Just words: no quotes, OR or exclusion (what a name typed into the box looks like)."""
        return '"' not in self.raw and all(
            len(clause) == 1 and not clause[0].negated for clause in self.clauses
        )

    @property
    def words(self) -> list[str]:
        """The folded words the query looks for (excluded ones left out), in order."""
        found = []
        for clause in self.clauses:
            for term in clause:
                if not term.negated:
                    found.extend(word for word in term.words if word not in found)
        return found

    @property
    def folded(self) -> str:
        """The wanted words as one folded string (what a name lookup compares)."""
        return " ".join(self.words)

    def websearch(self) -> str:
        """The folded query in PostgreSQL's websearch_to_tsquery syntax."""
        return " ".join(" or ".join(_websearch_term(term) for term in clause) for clause in self)

    def __iter__(self):
        return iter(self.clauses)

    def __bool__(self):
        return any(not term.negated for clause in self.clauses for term in clause)


def _websearch_term(term: Term) -> str:
    text = " ".join(term.words)
    text = f'"{text}"' if len(term.words) > 1 else text
    return f"-{text}" if term.negated else text


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_query(raw: str) -> Query:
    """Read websearch syntax: "a phrase", OR between alternatives, -word to exclude."""
    raw = clean(raw)[:500]
    clauses: list[list[Term]] = []
    join_next = False
    for match in _TOKEN.finditer(raw):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.lower() == "or":
            join_next = bool(clauses)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        words = tuple(search_form(phrase if phrase is not None else word).split())
        if len(words) == 1 and words[0] in EZAFE_WORDS:
            continue  # "Mazar e Sharif": the vowel is folded away in the index too
        if not words:
            continue
        term = Term(words, negated=bool(negated))
        if join_next:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    return Query(tuple(tuple(clause) for clause in clauses), raw=raw)


def headline_html(marked: str) -> str:
    """A headline with START/STOP around matches as safe HTML: escaped, matches in <mark>."""
    html = escape(" ".join(marked.split()))
    return html.replace(START, "<mark>").replace(STOP, "</mark>")


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """Each character in name form on its own, and where each folded character came from."""
    chars, offsets = [], []
    for at, char in enumerate(text):
        for piece in name_form_of_char(char):
            chars.append(piece)
            offsets.append(at)
    return "".join(chars), offsets


def snippet_html(text: str, words: list[str], *, width: int = 240) -> str:
    """A passage of text around the first of the words, the words in <mark>, as safe HTML.

    Used where the database has no headline function (SQLite). Matches are found in a folded
    copy of the text, so case, accents and apostrophes do not matter.
    """
    text = text[:200_000]
    folded, offsets = _folded_with_offsets(text)
    spans = []
    for word in words:
        for match in re.finditer(rf"(?<![^\W_]){re.escape(word)}", folded):
            spans.append((offsets[match.start()], offsets[match.end() - 1] + 1))
    first = min((start for start, _ in spans), default=0)
    begin = max(0, first - width // 3)
    if begin:
        begin = text.find(" ", begin) + 1 or begin
    end = min(len(text), begin + width)
    marked = _mark(text, sorted(spans), begin, end)
    prefix = "… " if begin else ""
    suffix = " …" if end < len(text) else ""
    return prefix + headline_html(marked) + suffix


def _mark(text: str, spans: list[tuple[int, int]], begin: int, end: int) -> str:
    pieces, at = [], begin
    for start, stop in spans:
        if start < at or stop > end:
            continue
        pieces += [text[at:start], START, text[start:stop], STOP]
        at = stop
    pieces.append(text[at:end])
    return "".join(pieces)
