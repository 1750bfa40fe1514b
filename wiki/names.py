"""Names as people type them: one normal form so that any spelling variant finds its entry."""

import re
import unicodedata

_APOSTROPHES = re.compile(r"['’‘ʼ`´ʻ]")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(name: str) -> str:
    """Case-, accent- and apostrophe-insensitive form; punctuation and spaces fold to one space."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    without_apostrophes = _APOSTROPHES.sub("", without_marks.casefold())
    return _NOT_WORD.sub(" ", without_apostrophes).strip()


def names_of(title: str, aliases: list[str]) -> list[tuple[str, bool]]:
    """The title and each distinct alias, as (name, is_title); duplicates of one form dropped."""
    seen, names = set(), []
    for name, is_title in [(title, True), *((alias, False) for alias in aliases)]:
        key = normalise(name)
        if key and key not in seen:
            seen.add(key)
            names.append((name.strip(), is_title))
    return names
