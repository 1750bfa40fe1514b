"""Zotero exports: CSL-JSON (.json) and BibTeX (.bib), each entry read as the metadata it states
and the files attached to it.

No database: an export's path in, its entries out (metadata as Zotero holds it, and the files
attached); CSL-JSON is read here, BibTeX in bibtex.py, and bulk.py reads the files and saves.
Only files inside the export's folder are read:
- BibTeX exported with "Export Files" names them in each entry's `file` field, relative to the
  .bib ("Full Text PDF:files/12/Doe - 2020 - Title.pdf:application/pdf;Snapshot:…").
- CSL-JSON names none. Beside the .json, `files/` holds a folder per item named after its
  Zotero item key (the end of its `id`, e.g. 4G3PMW5F), its citation key or its `id`
  (`files/4G3PMW5F/report.pdf`); or a file named so (`files/doe2020.pdf`).
"""

import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf.locale import LANG_INFO

from sources.common.dates import InvalidDate
from sources.common.dates import parse as parse_edtf
from sources.importing.documents import ImportRefused
from sources.importing.metadata import Proposal, clean, date_to_edtf, is_web_url

EXPORT_SUFFIXES = (".bib", ".json")
FILES_FOLDER = "files"  # what Zotero's "Export Files" writes beside the export
# Which attached file holds the document when an entry has several (a PDF and a web snapshot).
PREFERRED = (".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".text")


@dataclass(frozen=True)
class ExportEntry:
    """One entry of an export: how messages name it, its metadata, and its attached files.

    `named_files` are the files the export names that are not there (a moved export);
    `problem` says why an entry that could not be read is not imported.
    """

    label: str
    proposal: Proposal
    attachments: tuple[Path, ...] = ()
    named_files: tuple[str, ...] = ()
    problem: str = ""


def kinds(**types: str) -> dict[str, str]:
    """A source kind for each of an export's types, from kind="type type…"; others are "other"."""
    return {name: kind for kind, names in types.items() for name in names.split()}


def is_export(path: Path) -> bool:
    """True for a file named as a Zotero export (.bib or .json)."""
    return path.suffix.lower() in EXPORT_SUFFIXES


def read_export(path: Path) -> list[ExportEntry]:
    """The entries of a CSL-JSON or BibTeX export; ImportRefused when it is not one."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused("is not UTF-8 text: export it from Zotero again.") from error
    if path.suffix.lower() == ".bib":
        from sources.importing.bibtex import read_bibtex

        return read_bibtex(text, folder=path.parent)
    read = read_csl_json
    return read(text, folder=path.parent)


def by_preference(paths) -> tuple[Path, ...]:
    """Attached files, the likeliest document first: PDF, Word, web page, then text."""

    def rank(path: Path) -> int:
        suffix = path.suffix.lower()
        return PREFERRED.index(suffix) if suffix in PREFERRED else len(PREFERRED)

    return tuple(sorted(dict.fromkeys(paths), key=rank))


# ---------------------------------------------------------------------------------------------
# CSL-JSON

CSL_KINDS = kinds(
    article="article article-journal article-magazine paper-conference review review-book",
    news="article-newspaper",
    book="book chapter entry entry-dictionary entry-encyclopedia",
    report="report",
    webpage="webpage post post-weblog",
    dataset="dataset",
    interview="interview personal_communication",
)


def read_csl_json(text: str, *, folder: Path) -> list[ExportEntry]:
    """The items of a CSL-JSON export, with their files from `files/` beside it."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRefused(f"is not JSON ({error.msg}, line {error.lineno}).") from error
    if isinstance(items, dict) and isinstance(items.get("items"), list):
        items = items["items"]
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ImportRefused("is not a CSL-JSON export: it holds no list of items.")
    if items and not any("type" in item or "title" in item for item in items):
        raise ImportRefused("is not a CSL-JSON export: its items have no type or title.")
    return [_csl_entry(item, folder / FILES_FOLDER) for item in items]


def _csl_entry(item: dict, files: Path) -> ExportEntry:
    def get(name: str) -> str:
        return _string(item.get(name))

    names = _csl_names(item)
    proposal = Proposal(
        title=clean(get("title"), "title"),
        authors=clean(", ".join(_csl_person(p) for p in _list(item.get("author"))), "authors"),
        publisher=clean(get("publisher") or get("container-title"), "publisher"),
        published=csl_date(item.get("issued")),
        url=web_url(get("URL"), get("DOI")),
        document_symbol=clean(get("number") or get("DOI"), "document_symbol"),
        accessed=day_of(csl_date(item.get("accessed"))),
        language=language_code(get("language")),
        kind=CSL_KINDS.get(get("type"), "other"),
    )
    label = names[0] if names else proposal.title or "an item without id or title"
    return ExportEntry(label, proposal, _files_named(files, names))


def _csl_names(item: dict) -> list[str]:
    """What an item's folder in files/ may be called: its item key, citation key or id."""
    item_id = _string(item.get("id"))
    names = [item_id.rstrip("/").rsplit("/", 1)[-1]] if item_id else []
    names += [_string(item.get("citation-key")), _string(item.get("citation_key")), item_id]
    return [name for name in dict.fromkeys(names) if name and "/" not in name and name[0] != "."]


def _files_named(files: Path, names: list[str]) -> tuple[Path, ...]:
    found = []
    for name in names:
        if (files / name).is_dir():
            found += sorted(path for path in (files / name).rglob("*") if path.is_file())
        if files.is_dir():
            found += sorted(path for path in files.glob(f"{name}.*") if path.is_file())
    return by_preference(path for path in found if inside(path, files))


def _csl_person(person) -> str:
    if isinstance(person, str):
        return person.strip()
    if not isinstance(person, dict):
        return ""
    if literal := _string(person.get("literal")):
        return literal
    parts = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")
    return " ".join(_string(person.get(part)) for part in parts if _string(person.get(part)))


def csl_date(value) -> str:
    """A CSL date as EDTF: {"date-parts": [[1999, 12, 14]]} → "1999-12-14", a range as
    "1990/1992", "circa" as "~"; a "raw" or "literal" date read as documents write them."""
    if isinstance(value, str):
        return date_to_edtf(value)
    if not isinstance(value, dict):
        return ""
    parts = [_ymd(part) for part in _list(value.get("date-parts"))[:2]]
    parts = [part for part in parts if part]
    if parts:
        edtf = parts[0] if len(parts) == 1 or parts[0] == parts[1] else "/".join(parts)
    else:
        edtf = date_to_edtf(_string(value.get("raw")) or _string(value.get("literal")))
    if edtf and value.get("circa") and "/" not in edtf:
        edtf += "~"
    return edtf if valid_edtf(edtf) else ""


def _ymd(part) -> str:
    numbers = []
    for number in _list(part)[:3]:
        try:
            numbers.append(int(str(number).strip()))
        except ValueError:
            break
    return ymd(*numbers)


def ymd(year=None, month=None, day=None) -> str:
    """A year, month and day as EDTF at the precision given; "" when the year is missing or the
    date impossible. A month outside 1-12 (CSL's seasons are 13-16) is left out."""
    if not isinstance(year, int) or not 1 <= year <= 9999:
        return ""
    if not isinstance(month, int) or not 1 <= month <= 12:
        return f"{year:04d}"
    if isinstance(day, int):
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            pass
    return f"{year:04d}-{month:02d}"


def valid_edtf(value: str) -> bool:
    """True when Attest stores the date as it is."""
    try:
        return bool(value) and bool(parse_edtf(value))
    except InvalidDate:
        return False


# ---------------------------------------------------------------------------------------------
# Shared


def web_url(url: str, doi: str) -> str:
    """The web address, else the DOI's (https://doi.org/10…), else ""."""
    if is_web_url(url):
        return clean(url, "url")
    doi = doi.strip().removeprefix("https://doi.org/").removeprefix("doi:")
    return clean(f"https://doi.org/{doi}", "url") if doi.startswith("10.") else ""


def inside(path: Path, folder: Path) -> bool:
    """True when path (once its links are followed) is inside folder."""
    return path.resolve().is_relative_to(folder.resolve())


def day_of(edtf: str) -> datetime.date | None:
    """A day's date from EDTF ("2016-05-29"); None for anything less."""
    try:
        return datetime.date.fromisoformat(edtf)
    except ValueError:
        return None


def language_code(value: str) -> str:
    """A language as a code: "en", "en-US" kept; "English" or "english" → "en"; else ""."""
    value = value.strip()
    if not value or re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        return clean(value, "language")
    lowered = value.lower()
    return next(
        (code for code, info in LANG_INFO.items() if info.get("name", "").lower() == lowered), ""
    )


def _string(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _list(value) -> list:
    return value if isinstance(value, list) else []
