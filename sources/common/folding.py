"""Text folding: the one set of quote, apostrophe and dash kinds, and the folds built on it.

Four places forgive differences a reader does not see, each as far as its job allows:

- anchoring (sources.citations.anchoring) finds a quoted passage whatever the kind of quote
  mark, apostrophe or dash, and whatever the case; letters and accents must be as written,
  because a quote is the passage itself. It compares in quote_form_in_place.
- the mention matcher (wiki.mentions.matcher) finds names as whole words whatever the case,
  accents and apostrophes, with any punctuation between the words: name_form_in_place.
- names (wiki.names) and search (wiki.search.text) compare names and words as strings, in the
  same way: name_form, and name_form_of_char where search must map a match back to the text.

The "in place" folds give one character for every character, so that a position in the folded
text is the same position in the original: anchoring and the matcher report offsets into the
source text. Pure Python: no Django, no database.
"""

import codecs
import functools
import re
import unicodedata

# Each kind begins with its plain ASCII form, which every other member folds to. A typist's
# straight quote stands for any curly one and the other way round.
DOUBLE_QUOTES = '"“”„‟″«»'
# Apostrophes and single quotes are one kind: a typist cannot tell "Mas'ud" from "Mas’ud",
# nor a prime or a spacing accent used as an apostrophe ("Mas′ud", "Mas´ud"), nor the turned
# comma of some romanisations ("Masʻud").
APOSTROPHES = "'’‘‛′`´ʼʻ"
DASHES = "-‐‑‒–—―−"
# In name_form_in_place, an apostrophe or a lone accent: a character that names do not have,
# kept until the folded text is shrunk so that offsets stay put.
DELETED = "\x00"

_PLAIN = {c: kind[0] for kind in (DOUBLE_QUOTES, APOSTROPHES, DASHES) for c in kind[1:]}
_NOT_PLAIN = re.compile(f"[{re.escape(''.join(_PLAIN))}]")


def plain_punctuation(text: str) -> str:
    """text with every quote mark, apostrophe and dash in its plain ASCII form; same length."""
    return _NOT_PLAIN.sub(lambda match: _PLAIN[match[0]], text)


def lower_in_place(text: str) -> str:
    """text in lower case, but for letters whose lower case is longer ("İ"); same length."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def quote_form_in_place(text: str) -> str:
    """How anchoring compares a quote and a text: punctuation plain, lower case; same length."""
    return lower_in_place(plain_punctuation(text))


_APOSTROPHE = re.compile(f"[{re.escape(APOSTROPHES)}]")
_NOT_WORD = re.compile(r"[\W_]+")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
# Apostrophes go before decomposing, which would turn "´" into a space and an accent; and
# double (triple...) primes become quote marks, or they would decompose into apostrophes.
_BEFORE_DECOMPOSING = str.maketrans(
    {**dict.fromkeys(APOSTROPHES), **dict.fromkeys(DOUBLE_QUOTES + "‴⁗", '"')}
)


def _without_accents(run: str) -> str:
    decomposed = unicodedata.normalize("NFKD", run.translate(_BEFORE_DECOMPOSING))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _name_form_spaced(text: str) -> str:
    # Decomposing is per character, so only the runs that are not ASCII need it.
    text = _NOT_ASCII.sub(lambda run: _without_accents(run[0]), text)
    # Apostrophes again after decomposing: compatibility forms such as "＇" decompose to one.
    return _NOT_WORD.sub(" ", _APOSTROPHE.sub("", text.casefold()))


def name_form(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive form: "Ahmad Shah Mas’ud" → "ahmad shah masud".

    Everything else between words (punctuation, dashes, quote marks, any white space) becomes
    one space, and none is kept at either end.
    """
    return _name_form_spaced(text).strip()


@functools.cache
def name_form_of_char(char: str) -> str:
    """One character's part of name_form: "" for an apostrophe or a lone accent, " " for a
    character between words, else its letters, folded ("é" gives "e", "ß" gives "ss")."""
    return _name_form_spaced(char)


def _name_form_in_place_of_char(char: str) -> str:
    form = name_form_of_char(char)
    if not form:
        return DELETED  # an apostrophe, or an accent on its own: "é" may come as "e" + "´"
    if len(form) > 1:
        # "ß" folds to "ss", "ﬁ" to "fi": keep one character so that offsets stay put;
        # names fold the same way, so "Strauß" still finds "STRAUß".
        form = char.lower() if len(char.lower()) == 1 else char
    return form if form.isalnum() else " "


class _InPlaceTable(dict):
    """str.translate table: one character for every character, computed once per character."""

    def __missing__(self, code: int) -> str:
        self[code] = _name_form_in_place_of_char(chr(code))
        return self[code]


# Filled for ASCII up front, so that str.translate takes its fast path on ASCII-only text.
_IN_PLACE = _InPlaceTable()
for _code in range(128):
    _IN_PLACE[_code]  # noqa: B018 - fills the entry


def _ascii_stand_ins(error: UnicodeEncodeError) -> tuple[str, int]:
    """Codec error handler: characters that fold as the unencodable ones do, if all ASCII."""
    folded = (_IN_PLACE[ord(char)] for char in error.object[error.start : error.end])
    stand_ins = "".join("'" if char == DELETED else char for char in folded)
    if not stand_ins.isascii():
        raise error  # a letter with no ASCII form ("ß", "ж"): _as_ascii sets it aside
    return stand_ins, error.end


codecs.register_error("attest-fold", _ascii_stand_ins)
# Control characters that stand for letters with no ASCII form, so that a text with a few of
# them ("Brunnenstraße") still takes the fast path; they fold to themselves, then back.
_PLACEHOLDERS = "\x01\x02\x03\x04\x05\x06\x07\x08"
_IN_PLACE_KEEPING = {
    **{code: _IN_PLACE[code] for code in range(128)},
    **{ord(c): c for c in _PLACEHOLDERS},
}


def _as_ascii(text: str) -> tuple[str, dict[str, str]] | None:
    """text with ASCII stand-ins, and what each placeholder stands for; None if it has no
    such form (too many letters without one, or placeholders of its own)."""
    set_aside: dict[str, str] = {}
    while True:
        try:
            return text.encode("ascii", "attest-fold").decode("ascii"), set_aside
        except UnicodeEncodeError as error:
            if len(set_aside) == len(_PLACEHOLDERS) or any(c in text for c in _PLACEHOLDERS):
                return None
            run = error.object[error.start : error.end]
            letter = next(char for char in run if not _IN_PLACE[ord(char)].isascii())
            placeholder = _PLACEHOLDERS[len(set_aside)]
            set_aside[placeholder] = _IN_PLACE[ord(letter)]
            text = text.replace(letter, placeholder)


def name_form_in_place(text: str) -> str:
    """name_form character by character, same length: lower-case letters without accents,
    DELETED for an apostrophe or a lone accent, a space for anything else."""
    if text.isascii() or (ascii_form := _as_ascii(text)) is None:
        return text.translate(_IN_PLACE)
    # Most texts are ASCII but for a few curly quotes and accented letters: replacing each by
    # an ASCII character that folds the same puts str.translate on its fast path.
    folded = ascii_form[0].translate(_IN_PLACE_KEEPING)
    for placeholder, letter in ascii_form[1].items():
        folded = folded.replace(placeholder, letter)
    return folded
