"""PDF and Word documents the tests make for themselves (fpdf2, pypdf, python-docx, zipfile):
nothing is downloaded, and each test states the document it reads."""

import io
import re
import zipfile
from datetime import datetime

# Two pages: a running header and "Page N of 2" on each, a word hyphenated at a line's end, a
# real hyphen at a line's end, and a sentence running across the page break.
PAGE_ONE = [
    "The council met in Kabul in March.",
    "The decision was recog-",
    "nised by the Jamiat-",
    "e Islami leaders at once.",
    "The commanders agreed that the",
]
PAGE_TWO = [
    "road to Bamiyan would stay open all winter.",
    "Nothing else was decided that day.",
]
HEADER = "Northern Provinces Report 2001"
ACROSS_THE_BREAK = "the commanders agreed that the road to Bamiyan would stay open"


def make_pdf(
    pages=(PAGE_ONE, PAGE_TWO),
    *,
    header=HEADER,
    footer="Page {n} of {total}",
    title="",
    author="",
    subject="",
    created: datetime | None = None,
) -> bytes:
    """A PDF with one line of text per item, a running header and footer on every page."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_compression(True)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    if subject:
        pdf.set_subject(subject)
    if created:
        pdf.set_creation_date(created)
    total = len(pages)

    def running_header():
        if header:
            pdf.set_font("Helvetica", size=9)
            pdf.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")

    def running_footer():
        if footer:
            pdf.set_y(-15)
            pdf.set_font("Helvetica", size=9)
            pdf.cell(0, 8, footer.format(n=pdf.page_no(), total=total), align="C")

    pdf.header, pdf.footer = running_header, running_footer
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def with_xmp(data: bytes, *, title: str, creator: str, date: str) -> bytes:
    """The PDF with an XMP packet naming its title, creator and date (dc:title, dc:creator,
    dc:date)."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.xmp_metadata = _xmp(title, creator, date).encode()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _xmp(title: str, creator: str, date: str) -> str:
    return f"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
<dc:date><rdf:Seq><rdf:li>{date}</rdf:li></rdf:Seq></dc:date>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def encrypted(data: bytes, password: str = "secret") -> bytes:
    """The PDF encrypted with a user password."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF whose page is a picture: no text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(200, 200, 200)
    pdf.rect(20, 20, 100, 50, style="F")
    return bytes(pdf.output())


def flate_bomb_pdf(unpacked: int = 60_000_000) -> bytes:
    """A one-page PDF whose content stream is a few kilobytes that inflate to `unpacked`
    bytes of spaces."""
    import zlib

    stream = zlib.compress(b" " * unpacked, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def make_docx(*, title="", author="", created: datetime | None = None, footnote="") -> bytes:
    """A Word document with a heading, paragraphs, a bulleted list and a table; with
    `footnote`, a footnote added by editing the package's XML as Word writes it."""
    import docx

    document = docx.Document()
    core = document.core_properties
    core.title, core.author, core.subject = title, author, "Afghanistan"
    if created:
        core.created = core.modified = created
    document.add_heading("The Northern Alliance", level=1)
    document.add_paragraph("The council met in Kabul in March.")
    document.add_paragraph("Jamiat-e Islami", style="List Bullet")
    document.add_paragraph("Junbish-e Milli", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Faction", "Leader"), ("Jamiat", "Rabbani")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("Nothing else was decided that day.")
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    return _with_footnote(data, footnote) if footnote else data


_FOOTNOTES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0">
<w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _with_footnote(data: bytes, text: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    f'<Override PartName="/word/footnotes.xml" ContentType="{_FOOTNOTES_TYPE}"/>'
                    "</Types>".encode(),
                )
            elif item.filename == "word/_rels/document.xml.rels":
                content = re.sub(
                    rb"</Relationships>",
                    f'<Relationship Id="rIdFoot" Type="{_FOOTNOTES_REL}" '
                    'Target="footnotes.xml"/></Relationships>'.encode(),
                    content,
                )
            target.writestr(item, content)
        target.writestr("word/footnotes.xml", _FOOTNOTES.format(text=text))
    return out.getvalue()


def zip_bomb(unpacked: int = 200_000_000) -> bytes:
    """A .docx-named zip of a few hundred kilobytes that would unpack to `unpacked` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * 1_000_000
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
    return out.getvalue()
