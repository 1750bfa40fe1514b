"""What every format's reader shares: the document it gives back, the refusal it raises, and the
Format that describes it to the registry (formats.py).

Pure: no database. The text of a document is what citations anchor into, so each reader keeps it
as a reader of the document sees it; its metadata is only ever *proposed* (metadata.py), with the
line of the document it came from, and the person confirms it before anything is saved.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sources.importing.metadata import Proposal


class ImportRefused(ValueError):
    """A file Attest will not read; the message tells the person why and what to do."""


@dataclass(frozen=True)
class ImportedDocument:
    """The text to store and the metadata proposed for it."""

    text: str
    proposal: Proposal
    format: str  # the name of the Format that read it: "text", "markdown", "html", "pdf", "docx"
    filename: str = ""
    # Where each page of the original begins in `text` (a PDF's pages); () when it has none.
    page_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Format:
    """A kind of document Attest reads: the extensions and content types naming it, its reader."""

    name: str
    extensions: tuple[str, ...]  # lower case, with the dot; the first is the one named to people
    content_types: tuple[str, ...]
    # The decoded text in (and name=, the file's name as messages quote it), the document out.
    read: Callable[..., ImportedDocument]
    # The encoding a file may declare inside itself (an HTML <meta charset>), read from its bytes.
    declared_charset: Callable[[bytes], str | None] | None = None
    # A binary format (PDF, DOCX) reads the file's bytes instead (and name=): nothing is decoded.
    read_bytes: Callable[..., ImportedDocument] | None = None


def normalise_newlines(text: str) -> str:
    """Line endings as "\\n" (browsers send "\\r\\n" from every text area)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
