"""Plain text, pasted or uploaded as .txt: kept as is, metadata read from its header lines.

Line endings become "\\n"; a byte-order mark was already dropped when the file was decoded.
"title: …", "url: …", "author: …" lines written above the document are metadata, not its
words: they are taken out of the stored text (metadata.take_header_lines).
"""

from sources.importing.documents import Format, ImportedDocument, normalise_newlines
from sources.importing.metadata import propose_from_text, take_header_lines


def read_text(text: str, *, name: str = "") -> ImportedDocument:
    """Plain text, pasted or uploaded: kept as is, metadata read from its header lines."""
    header, text = take_header_lines(normalise_newlines(text).strip("\n"))
    proposal = header.fill(propose_from_text(text))
    return ImportedDocument(text=text, proposal=proposal, format="text")


FORMAT = Format("text", (".txt", ".text"), ("text/plain",), read_text)
