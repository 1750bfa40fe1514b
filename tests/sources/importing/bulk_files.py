"""Documents and Zotero exports the bulk import tests write for themselves (fpdf2 and python-docx
make the PDF and Word files): nothing is downloaded."""

import io
import json

REPORT = """Publisher Human Rights Watch
Publication Date 14 December 1999

Afghanistan: The Crisis of Impunity

The commanders of the northern coalition met in Taloqan in the autumn and agreed on little.
Their quarrels over the customs posts at Hairatan outlasted the winter.
"""
NOTES = """# Field notes from Mazar

The road from Mazar to Kabul was closed for three weeks after the Salang tunnel flooded.
Traders waited at the bazaar, and prices of flour doubled before the snow melted.
"""
PAGE = """<html lang="en"><head><title>Bamiyan after the siege</title></head><body><article>
<h1>Bamiyan after the siege</h1>
<p>The valley was blockaded for most of a year, and the villages of the Hazarajat ran short of
grain long before the passes closed. Relief convoys were turned back at Doshi.</p>
<p>By spring the council of elders had sent three delegations to Kabul without an answer.</p>
</article></body></html>"""
LETTER = """A letter from Kunduz

The ferry at Sher Khan Bandar carried more cotton that summer than in any year since the war.
Merchants from Tajikistan paid in roubles and in tea.
"""
ENTRY_TEXT = """The arms depots of Pul-e Khumri changed hands four times between 1997 and 1999.
Each garrison left behind ammunition that the next one could not use.
"""
CSL_TEXT = """The governor of Herat received the envoys in the old citadel.
He promised grain for the western provinces and asked for nothing in return that winter.
"""


def write(folder, files: dict) -> None:
    """Write files (text or bytes) under folder, making the folders they name."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_pdf(pages) -> bytes:
    """A PDF with a page per item of pages, each a few lines of text."""
    from fpdf import FPDF

    pdf = FPDF()
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_docx(title: str, paragraphs) -> bytes:
    """A Word document whose core properties name its title."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF_PAGES = [
    ["The garrison at Kunduz surrendered in November.", "Its commanders were taken north."],
    ["The prisoners were held at Qala-i Jangi.", "A revolt there lasted three days."],
]

ENTRY_PDF_PAGES = [
    ["The fort of Qala-i Jangi lies west of Mazar-e Sharif.", "It held several hundred men."],
    ["The uprising began on the morning of the 25th.", "Air strikes followed that evening."],
]


def folder_of_documents(folder) -> None:
    """A folder of every kind of document, one of them nested, and a file Attest cannot read."""
    write(
        folder,
        {
            "report.txt": REPORT,
            "notes.md": NOTES,
            "page.html": PAGE,
            "nested/deeper/letter.txt": LETTER,
            "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
            "kunduz.pdf": make_pdf(PDF_PAGES),
            "herat.docx": make_docx(
                "Herat in winter",
                ["The bazaar of Herat stayed open through the cold months of 1998."],
            ),
        },
    )


BIBTEX = r"""
@techreport{hrw1999,
  title = {Afghanistan: {The} {Crisis} of {Impunity} \& the {Arms} of {Pul}-e {Khumri}},
  author = {{Human Rights Watch} and Rubin, Barnett R.},
  institution = {Human Rights Watch},
  year = {1999},
  month = jul,
  number = {C1103},
  urldate = {2016-05-29},
  langid = {english},
  url = {https://www.hrw.org/reports/1999/afghanistan},
  file = {Full Text:files/12/Pul-e Khumri.txt:text/plain;Snapshot:files/13/snap.jpg:image/jpeg}
}
@report{unama2001,
  title = {The Prisoners of Qala-i Jangi},
  institution = {UNAMA},
  date = {2001-12},
  file = {Full Text PDF:files/14/qala-i-jangi.pdf:application/pdf}
}
@article{nofile2001,
  title = {A Review Without Its Text},
  author = {Doe, Jane},
  journal = {Journal of Central Asian Studies},
  year = {2001}
}
@misc{moved2002,
  title = {An Attachment That Was Moved},
  year = {2002},
  file = {Full Text:files/99/gone.txt:text/plain}
}
"""
LEAKY_BIBTEX = """
@misc{up, title = {Up}, file = {Full Text:../secret.txt:text/plain}}
@misc{absolute, title = {Absolute}, file = {SECRET}}
"""
CSL_JSON = [
    {
        "id": "http://zotero.org/users/local/AbCdEf/items/4G3PMW5F",
        "type": "article-newspaper",
        "title": "Herat receives the envoys",
        "container-title": "The Kabul Times",
        "author": [{"family": "Karimi", "given": "Ahmad"}, {"literal": "Staff reporter"}],
        "issued": {"date-parts": [[1996, 3, 2]]},
        "URL": "https://example.org/herat-envoys",
        "language": "en",
    },
    {
        "id": "http://zotero.org/users/local/AbCdEf/items/ZZZZ9999",
        "type": "book",
        "title": "A Book Nobody Scanned",
        "issued": {"date-parts": [[1988]]},
    },
]


def zotero_exports(folder) -> None:
    """A BibTeX and a CSL-JSON export, each with its files/ folder as Zotero writes it."""
    write(
        folder / "bibtex",
        {
            "Exported Items.bib": BIBTEX,
            "files/12/Pul-e Khumri.txt": ENTRY_TEXT,
            "files/13/snap.jpg": b"\xff\xd8\xff\xe0",
            "files/14/qala-i-jangi.pdf": make_pdf(ENTRY_PDF_PAGES),
        },
    )
    write(
        folder / "csl",
        {
            "Exported Items.json": json.dumps(CSL_JSON),
            "files/4G3PMW5F/envoys.txt": CSL_TEXT,
        },
    )
