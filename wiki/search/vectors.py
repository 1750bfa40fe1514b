"""The text part of a search vector built in Python: what PostgreSQL's to_tsvector gives, faster.

A rebuild of the whole index spends most of its time in to_tsvector's parser, which reads
text a character at a time, aware of the locale. The folded text it is given (search_form) is
already words of letters and digits one space apart, so splitting it needs no parser. What
each word becomes (its lexemes, or none for a stop word) is asked of the database once per
distinct word, with to_tsvector itself, and kept in a Lexicon; a text's vector is then written
in tsvector's text form, which the database reads quickly. The result is what to_tsvector
gives (tests compare the two): positions count every word, stop words included, and stop at
16,383; a word keeps at most 255 positions.

Only ASCII folded text takes this path; other scripts are left to to_tsvector, whose idea of a
letter there is the database locale's.
"""

import re
from collections import defaultdict

from django.db import connection

# What to_tsvector does at its limits: positions stop growing here, a word keeps this many,
# and a longer word (in bytes) is left out, taking no position.
LAST_POSITION = 16_383
POSITIONS_KEPT = 255
LONGEST_WORD = 2_047

_ENTRY = re.compile(r"'((?:[^']|'')*)':([0-9,]+)")


class Lexicon:
    """What the search configuration makes of each word: its lexemes, () for a stop word,
    None for a word the parser splits (a text holding one is left to the database)."""

    def __init__(self, config: str):
        self.config = config
        self.words: dict[str, tuple[str, ...] | None] = {}

    def learn(self, words: set[str]) -> None:
        """Ask the database about the words not known yet: one statement."""
        new = sorted(word for word in words - self.words.keys() if len(word) <= LONGEST_WORD)
        if not new:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w, to_tsvector(%s::regconfig, w)::text FROM unnest(%s::text[]) AS w",
                [self.config, new],
            )
            for word, vector in cursor.fetchall():
                self.words[word] = _lexemes(vector)


def _lexemes(vector: str) -> tuple[str, ...] | None:
    entries = _ENTRY.findall(vector)
    if any(positions != "1" for _, positions in entries):
        return None  # more than one word to the parser
    return tuple(lexeme.replace("''", "'") for lexeme, _ in entries)


def words_of(folded: str) -> list[str] | None:
    """The words of a folded text, or None when it is not ASCII (left to the database)."""
    return folded.split() if folded.isascii() else None


def text_vector(words: list[str], lexicon: Lexicon) -> str | None:
    """The tsvector, in text form, of a text's words (all of them learnt); None when the
    database must build it."""
    if words and max(map(len, words)) > LONGEST_WORD:
        words = [word for word in words if len(word) <= LONGEST_WORD]
    # Positions by word first (a stop word takes its place too), then by lexeme: a lexeme is
    # looked up once per distinct word, not once per word of the text.
    by_word: defaultdict[str, list[int]] = defaultdict(list)
    for position, word in enumerate(words, 1):
        by_word[word].append(position)
    positions: dict[str, list[int]] = {}
    known = lexicon.words
    for word, at in by_word.items():
        lexemes = known[word]
        if lexemes is None:
            return None
        for lexeme in lexemes:
            # Two words may share a lexeme ("force", "forces"): their positions merge.
            positions[lexeme] = sorted(positions[lexeme] + at) if lexeme in positions else at
    return " ".join(
        f"'{_quoted(lexeme)}':{','.join(map(str, _kept(at)))}" for lexeme, at in positions.items()
    )


def _kept(positions: list[int]) -> list[int]:
    if positions[-1] > LAST_POSITION:
        positions = sorted({min(position, LAST_POSITION) for position in positions})
    return positions[:POSITIONS_KEPT]


def _quoted(lexeme: str) -> str:
    if "'" not in lexeme and "\\" not in lexeme:
        return lexeme
    return lexeme.replace("\\", "\\\\").replace("'", "''")
