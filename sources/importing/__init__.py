"""Bring a document into Attest: read its text, and propose the metadata it states about itself.

One module per format (text.py, markdown.py, html.py, pdf.py, docx.py), listed by formats.py,
which picks one by a file's extension or a content type and reads uploads; documents.py holds
what every format shares; metadata.py proposes the title, authors, dates and a citation key. All
of it is pure: no database. forms.py holds the import form, views reach it through sources.forms;
originals.py keeps an uploaded file (in the file storage) until its source is saved.
"""

from sources.importing.documents import Format, ImportedDocument, ImportRefused, normalise_newlines
from sources.importing.docx import read_docx
from sources.importing.formats import (
    FORMATS,
    accepted,
    content_type_format,
    file_format,
    read_upload,
)
from sources.importing.html import read_html
from sources.importing.markdown import read_markdown
from sources.importing.metadata import Proposal, date_to_edtf, propose_from_text, propose_key
from sources.importing.pdf import read_pdf
from sources.importing.text import read_text

__all__ = [
    "FORMATS",
    "Format",
    "ImportRefused",
    "ImportedDocument",
    "Proposal",
    "accepted",
    "content_type_format",
    "date_to_edtf",
    "file_format",
    "normalise_newlines",
    "propose_from_text",
    "propose_key",
    "read_docx",
    "read_html",
    "read_markdown",
    "read_pdf",
    "read_text",
    "read_upload",
]
