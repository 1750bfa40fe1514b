"""Plain text, pasted or uploaded as .txt: kept as is, metadata read from its header lines.

Line endings become "\\n"; a byte-order mark was already dropped when the file was decoded.
"""

from sources.importing.documents import Format, ImportedDocument, normalise_newlines
from sources.importing.metadata import propose_from_text


def read_text(text: str, *, name: str = "") -> ImportedDocument:
    """Plain text, pasted or uploaded: kept as is, metadata read from its header lines."""
    text = normalise_newlines(text).strip("\n")
    return ImportedDocument(text=text, proposal=propose_from_text(text), format="text")


FORMAT = Format("text", (".txt", ".text"), ("text/plain",), read_text)
