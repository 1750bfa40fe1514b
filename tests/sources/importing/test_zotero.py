"""Reading Zotero's exports (sources.importing.zotero, sources.importing.bibtex): dates, names,
file fields, LaTeX and languages, as tables."""

from pathlib import Path

import pytest

from sources.importing.bibtex import (
    bibtex_authors,
    bibtex_date,
    bibtex_files,
    latex_text,
    read_bibtex,
)
from sources.importing.zotero import csl_date, language_code


@pytest.mark.parametrize(
    ("value", "edtf"),
    [
        ({"date-parts": [[1999, 12, 14]]}, "1999-12-14"),
        ({"date-parts": [["2015", "7"]]}, "2015-07"),
        ({"date-parts": [[1990], [1992]]}, "1990/1992"),
        ({"date-parts": [[1997]], "circa": True}, "1997~"),
        ({"date-parts": [[2001, 14]]}, "2001"),  # a season is no month
        ({"date-parts": [[2001, 2, 30]]}, "2001-02"),
        ({"raw": "14 December 1999"}, "1999-12-14"),
        ({"literal": "sometime"}, ""),
        (None, ""),
    ],
)
def test_csl_date(value, edtf):
    assert csl_date(value) == edtf


@pytest.mark.parametrize(
    ("date", "year", "month", "day", "edtf"),
    [
        ("1999-12-14", "", "", "", "1999-12-14"),
        ("1990/1992", "", "", "", "1990/1992"),
        ("December 1999", "", "", "", "1999-12"),
        ("", "1999", "dec", "", "1999-12"),
        ("", "1999", "December", "14", "1999-12-14"),
        ("", "1999", "12", "", "1999-12"),
        ("", "1999", "", "", "1999"),
        ("", "", "", "", ""),
    ],
)
def test_bibtex_date(date, year, month, day, edtf):
    assert bibtex_date(date, year, month, day) == edtf


@pytest.mark.parametrize(
    ("value", "paths"),
    [
        ("Full Text PDF:files/12/a.pdf:application/pdf", ["files/12/a.pdf"]),
        (
            "A:files/1/a.pdf:application/pdf;B:files/2/b.html:text/html",
            ["files/1/a.pdf", "files/2/b.html"],
        ),
        (r"Full Text:files/3/Doe\: a\; b.pdf:application/pdf", ["files/3/Doe: a; b.pdf"]),
        (r"Full:C\:\\Users\\doe\\a.pdf:application/pdf", [r"C:\Users\doe\a.pdf"]),
        ("/archive/doe/a.pdf", ["/archive/doe/a.pdf"]),
        ("", []),
    ],
)
def test_bibtex_files(value, paths):
    assert bibtex_files(value) == paths


def test_an_article_s_number_is_its_issue_and_its_doi_names_it():
    text = "@article{a, title={T}, journal={J}, number={3}, doi={10.1000/xyz}}"
    (entry,) = read_bibtex(text, folder=Path("."))
    assert (entry.proposal.document_symbol, entry.proposal.url, entry.proposal.kind) == (
        "10.1000/xyz",
        "https://doi.org/10.1000/xyz",
        "article",
    )


@pytest.mark.parametrize(
    ("value", "authors"),
    [
        ("Doe, Jane and Roe, John", "Jane Doe, John Roe"),
        ("{World Health Organization}", "World Health Organization"),
        ("van der Berg, Jan and Mas{\\'u}d, Ahmad Shah", "Jan van der Berg, Ahmad Shah Masúd"),
        ("", ""),
    ],
)
def test_bibtex_authors(value, authors):
    assert bibtex_authors(value) == authors


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("{Northern} {Alliance}", "Northern Alliance"),
        ("Jamiat-e Islami \\& Hezb-e Wahdat", "Jamiat-e Islami & Hezb-e Wahdat"),
        ('50\\% of the {\\"O}l', "50% of the Öl"),
        ("plain words", "plain words"),
    ],
)
def test_latex_text(value, text):
    assert latex_text(value) == text


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("en", "en"),
        ("en-US", "en-US"),
        ("English", "en"),
        ("french", "fr"),
        ("", ""),
        ("Klingon", ""),
    ],
)
def test_language_code(value, code):
    assert language_code(value) == code
