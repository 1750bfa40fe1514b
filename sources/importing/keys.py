"""A citation key proposed for a document: short, readable, and distinct from the keys taken.

Pure: the keys already taken are given by the caller (the form or the bulk import reads them
from the database). A key is who wrote or published the document, its year and the first words
of its title (or its document symbol): "irin-2007-sirte-whos-who", "usbcis-1999-afg00001".
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from django.utils.text import slugify

if TYPE_CHECKING:
    from sources.importing.metadata import Proposal

_MINOR_WORDS = frozenset(
    ("a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "is", "its", "of", "on")
    + ("or", "the", "to", "with", "was", "were")
)
# A question opening a title says little ("Who are the Northern Alliance?"); inside one it may
# be the point ("Sirte: who's who").
_OPENING_QUESTIONS = frozenset(("who", "what", "why", "how", "when", "where", "which"))
# A word, its apostrophes inside it: "Sudan's" is one word, "sudans", never "sudan-s".
_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_APOSTROPHES = re.compile(r"['’ʼ]")
_YEAR = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")
_HOST = re.compile(r"^(?:www\.)?(?P<name>[a-z0-9-]+)(?:\.[a-z0-9-]+)*\.[a-z]{2,}$", re.I)
KEY_LENGTH = 60
TITLE_WORDS = 3


def propose_key(proposal: Proposal, taken=frozenset()) -> str:
    """A citation key from who published (or wrote) the document, its year and what it is
    about, distinct from the keys in `taken`.

    "United States Bureau of Citizenship and Immigration Services", 1999, AFG00001.REF →
    "usbcis-1999-afg00001"; "IRIN", 2007, "Sirte: who's who" → "irin-2007-sirte-whos-who".
    """
    who = _short_name(proposal.publisher) or _surname(proposal.authors)
    year = _YEAR.search(proposal.published or "")
    symbol = proposal.document_symbol.rsplit(".", 1)[0] if proposal.document_symbol else ""
    what = symbol or " ".join(_title_words(proposal.title)[:TITLE_WORDS])
    key = slugify("-".join(part for part in (who, year[0] if year else "", what) if part))
    key = re.sub(r"-{2,}", "-", key)[:KEY_LENGTH].strip("-") or "source"
    return distinct_key(key, taken)


def distinct_key(base: str, taken) -> str:
    """base, or base-2, base-3… whichever is not in taken."""
    candidates = itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2)))
    return next(key for key in candidates if key not in taken)


def _words(text: str) -> list[str]:
    words = (_APOSTROPHES.sub("", word) for word in _WORD.findall(text or ""))
    # An "s" alone is a possessive cut from its word by a quote mark (“Third Way”’s).
    return [word for word in words if word.lower() != "s"]


def _significant_words(text: str) -> list[str]:
    return [word for word in _words(text) if word.lower() not in _MINOR_WORDS]


def _title_words(title: str) -> list[str]:
    words = _words(title)
    while words and words[0].lower() in _OPENING_QUESTIONS:
        words = words[1:]
    return [word for word in words if word.lower() not in _MINOR_WORDS]


def _short_name(name: str) -> str:
    """A publisher as a key names it: "IRIN", "usbcis" for a long name, "irinnews" for a host."""
    if match := _HOST.match((name or "").strip()):
        return match["name"]
    words = _significant_words(name)
    if len(words) >= 3:
        return "".join(word[0] for word in words if word[0].isupper()) or words[0]
    return " ".join(words)


def _surname(authors: str) -> str:
    first = re.split(r",|;| and | & ", authors or "")[0].split()
    return _APOSTROPHES.sub("", first[-1]) if first else ""
