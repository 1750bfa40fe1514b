"""Time reading a generated document of a given size, as an upload would be read.

    python manage.py benchmark_import                 # a 5 MB PDF of many pages of text
    python manage.py benchmark_import --format docx --size-mb 5

The document is made here (fpdf2 for PDFs, a development dependency; python-docx for Word; plain
HTML) from the same paragraph repeated with a counter, so every run reads the same bytes. Nothing
is saved. Prints the file's size, pages, characters read and the seconds it took.
"""

import io
import time
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sources.importing import ImportRefused, read_upload

PARAGRAPH = (
    "Paragraph {n}. The council met in Kabul and the commanders agreed that the road to "
    "Bamiyan would stay open all winter; the decision was recognised by the Jamiat-e Islami "
    "leaders, who sent word to the northern provinces the same evening."
)


class Command(BaseCommand):
    help = "Time reading a generated PDF, DOCX or HTML document of about --size-mb megabytes."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("pdf", "docx", "html"), default="pdf")
        parser.add_argument("--size-mb", type=float, default=5.0)
        parser.add_argument("--save", metavar="PATH", help="Also write the generated file here.")
        parser.add_argument("--file", metavar="PATH", help="Time this file instead of making one.")

    def handle(self, *args, format, size_mb, save=None, file=None, **options):
        made = time.perf_counter()
        if file:
            format = Path(file).suffix.lstrip(".").lower()
            data = Path(file).read_bytes()
        else:
            data = {"pdf": _pdf, "docx": _docx, "html": _html}[format](int(size_mb * 1024 * 1024))
        made = time.perf_counter() - made
        if save:
            Path(save).write_bytes(data)
        started = time.perf_counter()
        try:
            document = read_upload(f"benchmark.{format}", data, max_bytes=len(data))
        except ImportRefused as refusal:
            took = time.perf_counter() - started
            raise CommandError(f"Refused after {took:.2f} s: {refusal}") from refusal
        took = time.perf_counter() - started
        self.stdout.write(
            f"{format}: {len(data) / 1024 / 1024:.2f} MB (made in {made:.1f} s), "
            f"{len(document.page_starts) or '-'} pages, {len(document.text):,} characters "
            f"read in {took:.2f} s"
        )


def _pdf(target: int) -> bytes:
    # fpdf2 cannot measure a document before it is finished: make it, then again larger.
    paragraphs, data = max(target // 400, 1), b""
    for _ in range(4):
        data = _pdf_of(paragraphs)
        if len(data) >= target:
            return data
        paragraphs = int(paragraphs * target / len(data) * 1.02) + 1
    return data


def _pdf_of(paragraphs: int) -> bytes:
    try:
        from fpdf import FPDF
    except ImportError as missing:
        raise CommandError(
            "Install the development dependencies (fpdf2) to make a PDF."
        ) from missing
    pdf = FPDF()
    pdf.set_compression(False)  # text as many reports store it: about a byte of file a character
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    for n in range(1, paragraphs + 1):
        pdf.multi_cell(0, 5, PARAGRAPH.format(n=n), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _docx(target: int) -> bytes:
    # python-docx adds paragraphs one by one, slowly: its empty document gets a body written
    # here instead, compressed as Word compresses it, with paragraphs until the file is large.
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    with zipfile.ZipFile(out) as package:
        parts = {item.filename: package.read(item.filename) for item in package.infolist()}
    head, _, tail = parts["word/document.xml"].partition(b"<w:body>")
    paragraph = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
    # Text compresses about fivefold: enough paragraphs to pass the target once compressed.
    count = target * 6 // len(paragraph.format(PARAGRAPH))
    body = "".join(paragraph.format(PARAGRAPH.format(n=n)) for n in range(1, count + 1))
    parts["word/document.xml"] = head + b"<w:body>" + body.encode() + tail
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return result.getvalue()


def _html(target: int) -> bytes:
    paragraphs, size, n = [], 0, 0
    while size < target:
        n += 1
        paragraphs.append(f"<p>{PARAGRAPH.format(n=n)}</p>\n")
        size += len(paragraphs[-1])
    return f"<html><body><article>{''.join(paragraphs)}</article></body></html>".encode()
