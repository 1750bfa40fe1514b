"""Telling a new source that repeats one already in the archive: same text, whatever its white
space, quote marks, dashes or case (a fingerprint the database indexes)."""

import hashlib
import re

from sources.common.folding import quote_form_in_place

_SPACE = re.compile(r"\s+")


def text_fingerprint(text: str) -> str:
    """A hash of the text as anchoring reads it: equal for texts a reader cannot tell apart."""
    if not (text or "").strip():
        return ""
    folded = _SPACE.sub(" ", quote_form_in_place(text)).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()
