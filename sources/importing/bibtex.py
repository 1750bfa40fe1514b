"""Zotero's BibTeX (and BibLaTeX) exports: each entry's metadata, and the files its `file` field
names, relative to the .bib as Zotero's "Export Files" writes them ("Full Text
PDF:files/12/Doe - 2020 - Title.pdf:application/pdf;Snapshot:…"). Read through bibtexparser (v2);
LaTeX in values (braces, accents, "\\&") is read as text with pylatexenc. No database.
"""

import functools
import logging
import re
from pathlib import Path

from sources.importing.documents import ImportRefused
from sources.importing.metadata import Proposal, clean, date_to_edtf
from sources.importing.zotero import (
    ExportEntry,
    by_preference,
    day_of,
    inside,
    kinds,
    language_code,
    valid_edtf,
    web_url,
    ymd,
)

BIBTEX_KINDS = kinds(
    article="article inproceedings conference proceedings",
    book="book inbook incollection booklet collection mvbook",
    report="techreport report",
    webpage="online electronic www webpage",
    dataset="dataset data",
    interview="interview",
)
_EDTF_LIKE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# A file field's separators and what escapes them: "desc:path:type;desc:path:type".
_UNESCAPED = re.compile(r"(?<!\\)((?:\\\\)*)([:;])")
_ESCAPE = re.compile(r"\\(.)")
_ENTRY_KEY = re.compile(r"\s*@\w+\s*[{(]\s*([^,\s]+)\s*,")


def read_bibtex(text: str, *, folder: Path) -> list[ExportEntry]:
    """The entries of a BibTeX (or BibLaTeX) export, with the files their `file` field names."""
    import bibtexparser  # loaded when an export is read

    splitter = logging.getLogger("bibtexparser")
    level = splitter.level
    splitter.setLevel(logging.CRITICAL)  # its failures are reported as the entries' own
    try:
        library = bibtexparser.parse_string(text)
    finally:
        splitter.setLevel(level)
    if not library.entries and library.failed_blocks:
        raise ImportRefused("is not BibTeX that can be read: no entry was found in it.")
    failed = [_failed_entry(block) for block in library.failed_blocks]
    return [_bibtex_entry(entry, folder) for entry in library.entries] + failed


def _failed_entry(block) -> ExportEntry:
    named = _ENTRY_KEY.match(block.raw or "")
    label = named[1] if named else f"the entry on line {(block.start_line or 0) + 1}"
    reason = (str(block.error).strip().splitlines() or [""])[0]
    return ExportEntry(label, Proposal(), problem=f"cannot be read as BibTeX. {reason}".strip())


def _bibtex_entry(entry, folder: Path) -> ExportEntry:
    fields = {name.lower(): str(field.value) for name, field in entry.fields_dict.items()}

    def value(*names: str) -> str:
        return next((latex_text(fields[n]) for n in names if fields.get(n, "").strip()), "")

    doi = value("doi")
    kind = BIBTEX_KINDS.get(entry.entry_type.lower(), "other")
    # A report's number is its symbol; an article's is the journal's issue.
    symbol = value("number") if kind == "report" else ""
    proposal = Proposal(
        title=clean(value("title"), "title"),
        authors=clean(bibtex_authors(fields.get("author", "")), "authors"),
        publisher=clean(
            value("publisher", "institution", "organization", "journal", "journaltitle"),
            "publisher",
        ),
        published=bibtex_date(value("date"), value("year"), value("month"), value("day")),
        url=web_url(value("url"), doi),
        document_symbol=clean(symbol or doi, "document_symbol"),
        accessed=day_of(bibtex_date(value("urldate"), "", "", "")),
        language=language_code(value("langid", "language")),
        kind=kind,
    )
    found, missing = _bibtex_files(fields.get("file", ""), folder)
    return ExportEntry(entry.key, proposal, found, missing)


def bibtex_files(value: str) -> list[str]:
    """The paths a BibTeX `file` field names: Zotero's "Full Text:files/1/a.pdf:application/pdf"
    joined by ";", with "\\:" and "\\;" escaped, or bare paths."""
    paths = []
    for part in _split(value, ";"):
        pieces = _split(part, ":")
        # "description:path:type"; a Windows drive letter leaves one more piece ("C:\…").
        path = ":".join(pieces[1:-1] if len(pieces) >= 3 else pieces)
        if path := _ESCAPE.sub(r"\1", path).strip():
            paths.append(path)
    return paths


def _split(value: str, separator: str) -> list[str]:
    parts, start = [], 0
    for match in _UNESCAPED.finditer(value):
        if match[2] == separator:
            parts.append(value[start : match.end(1)])
            start = match.end()
    return [*parts, value[start:]]


def _bibtex_files(value: str, folder: Path) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    found, missing = [], []
    for named in bibtex_files(value):
        path = folder / named
        # An export names files inside its folder: never one elsewhere on this machine.
        if path.is_file() and inside(path, folder):
            found.append(path)
        else:
            missing.append(Path(named).name)
    return by_preference(found), tuple(missing)


def bibtex_authors(value: str) -> str:
    """BibTeX names ("Doe, Jane and {World Health Organization}") as people read them:
    "Jane Doe, World Health Organization"."""
    from bibtexparser.middlewares.names import (
        InvalidNameError,
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    names = []
    for name in split_multiple_persons_names(value) if value.strip() else []:
        try:
            parts = parse_single_name_into_parts(name, strict=False).merge_first_name_first
        except InvalidNameError:  # kept as written
            parts = name
        if parts := latex_text(parts):
            names.append(parts)
    return ", ".join(names)


def bibtex_date(date: str, year: str, month: str, day: str) -> str:
    """A BibLaTeX `date` ("1999-12-14", "1990/1992") or BibTeX's year, month and day, as EDTF."""
    if date:
        edtf = date.strip() if _EDTF_LIKE.fullmatch(date.strip()) else date_to_edtf(date)
        return edtf if valid_edtf(edtf) else ""
    return ymd(_number(year), _month(month), _number(day))


def _number(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def _month(value: str) -> int | None:
    value = value.strip().lower()
    if value.isdigit():
        return int(value)
    return _MONTHS.index(value[:3]) + 1 if value[:3] in _MONTHS else None


@functools.cache
def _latex_decoder():
    from pylatexenc.latex2text import LatexNodes2Text  # bibtexparser's own decoder

    return LatexNodes2Text(math_mode="verbatim")


def latex_text(value: str) -> str:
    """A BibTeX value as text: "{Northern} {Alliance} \\& {M}as{\\'u}d" →
    "Northern Alliance & Masúd"."""
    if "\\" not in value and "{" not in value and "~" not in value:
        return " ".join(value.split())
    try:
        value = _latex_decoder().latex_to_text(value)
    except Exception:  # pylatexenc is lenient; a value it cannot read is kept as written
        value = value.replace("{", "").replace("}", "")
    return " ".join(value.split())
