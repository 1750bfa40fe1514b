"""Citation export of one source as BibTeX (biblatex), RIS and CSL-JSON.

Pure: the functions take any object with Source's fields (key, title, kind, authors, publisher,
published, url, document_symbol, accessed, language) and never touch the database. `notes` are
internal to the team and are never read here.
"""

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from edtf import Date, Interval, Season, UnspecifiedIntervalSection

from sources.common import dates

# ---------------------------------------------------------------------------------------------
# Kinds of document in each format's vocabulary

BIBTEX_TYPES = {
    "report": "techreport",
    "news": "article",
    "article": "article",
    "book": "book",
    "webpage": "online",
}
RIS_TYPES = {
    "report": "RPRT",
    "news": "NEWS",
    "article": "JOUR",
    "book": "BOOK",
    "webpage": "ELEC",
    "dataset": "DATA",
}
CSL_TYPES = {
    "report": "report",
    "news": "article-newspaper",
    "article": "article",
    "book": "book",
    "webpage": "webpage",
    "interview": "interview",
    "dataset": "dataset",
}


def _clean(value) -> str:
    """A field as one line: every run of white space (line breaks included) becomes one space."""
    return " ".join(str(value or "").split())


# ---------------------------------------------------------------------------------------------
# Authors: a free-text field that names people and organisations

# Words that only an organisation's name holds; "of", "for" and "the" as in "Ministry of …".
_ORGANISATION_WORDING = """
    agency alliance assembly association bank board bureau center centre commission committee
    company council court department division embassy foundation fund government group institute
    institution international league ministry mission network news office organisation
    organization party press programme program project research secretariat service society
    times tribunal union united university watch of for the
"""
_ORGANISATION_WORDS = frozenset(_ORGANISATION_WORDING.split())
_PEOPLE_SEPARATOR = re.compile(r"\s+and\s+")


@dataclass(frozen=True)
class Name:
    """One author as the source names it; an organisation's name is never split."""

    text: str
    is_organisation: bool = False

    @property
    def family(self) -> str:
        if self.is_organisation:
            return self.text
        if "," in self.text:
            return self.text.partition(",")[0].strip()
        return self.text.rpartition(" ")[2]

    @property
    def given(self) -> str:
        if self.is_organisation:
            return ""
        if "," in self.text:
            return self.text.partition(",")[2].strip()
        return self.text.rpartition(" ")[0]


def is_organisation(name: str) -> bool:
    """True for "Resource Information Center", "UNHCR" or "Reuters"; False for "A. Author"."""
    words = name.split()
    if len(words) == 1 or "&" in name or any(c.isdigit() for c in name):
        return True
    return any(word.strip(".,()").casefold() in _ORGANISATION_WORDS for word in words)


def split_authors(authors: str) -> list[Name]:
    """The names in an authors field: ";" separates any two, " and " separates two people.

    An organisation's own "and" ("Department of Peace and Security") stays in its name. A name
    in braces, as in BibTeX, is an organisation whatever its words: {Médecins Sans Frontières}.
    """
    names = []
    for part in _clean(authors).split(";"):
        part = part.strip()
        if not part:
            continue
        if len(part) > 2 and part[0] == "{" and part[-1] == "}":
            names.append(Name(part[1:-1].strip(), is_organisation=True))
            continue
        if is_organisation(part):
            names.append(Name(part, is_organisation=True))
            continue
        for person in _PEOPLE_SEPARATOR.split(part):
            if person.strip():
                names.append(Name(person.strip(), is_organisation=is_organisation(person)))
    return names


# ---------------------------------------------------------------------------------------------
# Dates: what an EDTF value says for sure


@dataclass(frozen=True)
class KnownDate:
    """The parts of one date that are known: (year,), (year, month) or (year, month, day)."""

    parts: tuple[int, ...]
    approximate: bool = False
    uncertain: bool = False
    season: int | None = None  # EDTF's 21–24: spring, summer, autumn, winter


def _number(text) -> int | None:
    return int(text) if text and re.fullmatch(r"-?\d+", str(text)) else None


def _known_date(edtf) -> KnownDate | None:
    # UncertainOrApproximate and DateAndTime hold their date in .date.
    date = getattr(edtf, "date", edtf)
    if not isinstance(date, Date):
        return None
    year = _number(date.year)
    if year is None:  # 199X: not even the year is sure
        return None
    parts, season = [year], None
    if isinstance(date, Season):  # 1997-21: a season has no month
        season = _number(date.season)
    elif (month := _number(date.month)) is not None and 1 <= month <= 12:
        parts.append(month)
        if (day := _number(date.day)) is not None:
            parts.append(day)
    both = edtf.is_uncertain_and_approximate
    return KnownDate(
        tuple(parts),
        approximate=edtf.is_approximate or both,
        uncertain=edtf.is_uncertain or both,
        season=season if season in (21, 22, 23, 24) else None,
    )


def known_dates(value: str) -> tuple[KnownDate | None, ...]:
    """() when nothing is known; (date,) for one date; (start, end) for an interval.

    An interval's open or unknown end is None. A value that is not EDTF gives ().
    """
    if not value or not value.strip():
        return ()
    try:
        edtf = dates.parse(value)
    except dates.InvalidDate:
        return ()
    if isinstance(edtf, Interval):
        ends = tuple(
            None if isinstance(end, UnspecifiedIntervalSection) else _known_date(end)
            for end in (edtf.lower, edtf.upper)
        )
        return ends if any(ends) else ()
    known = _known_date(edtf)
    return (known,) if known else ()


# ---------------------------------------------------------------------------------------------
# BibTeX, for biblatex/biber (which read UTF-8 and EDTF dates)

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",  # not \{: BibTeX counts braces even after a backslash
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL_RE = re.compile("|".join(re.escape(char) for char in _BIBTEX_SPECIAL))


def bibtex_escape(value) -> str:
    """Text for a braced BibTeX field: TeX's special characters escaped, the rest kept as is."""
    return _BIBTEX_SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIAL[m[0]], _clean(value))


def _bibtex_url(url) -> str:
    # biber reads url verbatim, so no TeX escapes; only what would break the braces or the line.
    return (
        _clean(url)
        .replace(" ", "%20")
        .translate({ord("{"): "%7B", ord("}"): "%7D", ord("\\"): "%5C"})
    )


def _bibtex_name(name: Name) -> str:
    text = bibtex_escape(name.text)
    return f"{{{text}}}" if name.is_organisation else text


def _year(year: int) -> str:
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _edtf_date(known: KnownDate | None) -> str:
    if known is None:
        return ""
    text = "-".join([_year(known.parts[0]), *(f"{part:02d}" for part in known.parts[1:])])
    if known.season:
        text += f"-{known.season}"
    if known.approximate and known.uncertain:
        return text + "%"
    return text + ("~" if known.approximate else "?" if known.uncertain else "")


def bibtex_date(value: str) -> str:
    """The biblatex date field: the known parts as EDTF, e.g. 1997~, 2021-08 or 1990/1992."""
    return "/".join(_edtf_date(known) for known in known_dates(value))


def to_bibtex(source) -> str:
    """One BibTeX entry for the source; empty fields are left out."""
    kind = BIBTEX_TYPES.get(str(source.kind), "misc")
    names = split_authors(source.authors)
    accessed = source.accessed
    fields = [
        ("author", " and ".join(_bibtex_name(name) for name in names)),
        # Double braces keep the title's own capitals ("Mas'ud", "Jamiat-e Islami").
        ("title", f"{{{bibtex_escape(source.title)}}}" if _clean(source.title) else ""),
        ("institution" if kind == "techreport" else "publisher", bibtex_escape(source.publisher)),
        ("date", bibtex_date(source.published)),
        ("number", bibtex_escape(source.document_symbol)),
        ("url", _bibtex_url(source.url)),
        ("urldate", accessed.isoformat() if accessed else ""),
        ("language", bibtex_escape(source.language)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{source.key},\n{body}\n}}\n"


# ---------------------------------------------------------------------------------------------
# RIS: one "TAG  - value" per line, CRLF, ended by "ER  - "


def _ris_date(known: KnownDate | None) -> str:
    """YYYY/MM/DD/ with the unknown parts left empty: 1997///, 2021/08//."""
    if known is None:
        return ""
    year, *rest = known.parts
    month, day = [f"{part:02d}" for part in rest] + [""] * (2 - len(rest))
    return f"{_year(year)}/{month}/{day}/"


def _ris_name(name: Name) -> str:
    if name.is_organisation or not name.given:
        return name.text
    return f"{name.family}, {name.given}"


def to_ris(source) -> str:
    """One RIS record for the source; an interval gives its start, a vague date nothing."""
    kind = RIS_TYPES.get(str(source.kind), "GEN")
    published = known_dates(source.published)
    date = _ris_date(published[0]) if published else ""
    accessed = source.accessed
    lines = [("TY", kind), ("ID", source.key)]
    lines += [("AU", _ris_name(name)) for name in split_authors(source.authors)]
    lines += [
        ("TI", source.title),
        ("PB", source.publisher),
        ("PY", date),
        ("DA", date),
        # A report's number is its SN; elsewhere SN means ISBN/ISSN, which a symbol is not.
        ("SN" if kind == "RPRT" else "M1", source.document_symbol),
        ("UR", source.url),
        ("Y2", accessed.strftime("%Y/%m/%d/") if accessed else ""),
        ("LA", source.language),
    ]
    records = [f"{tag}  - {_clean(value)}" for tag, value in lines if _clean(value)]
    return "\r\n".join([*records, "ER  - ", ""])


# ---------------------------------------------------------------------------------------------
# CSL-JSON, the data that Zotero, Pandoc and citeproc read


def _csl_parts(known: KnownDate) -> list[int]:
    year, *rest = known.parts
    # EDTF counts years astronomically (0 = 1 BC); CSL has no year 0 and gives BC as negative.
    return [year if year > 0 else year - 1, *rest]


def csl_date(value: str) -> dict | None:
    """A CSL date object: date-parts with only the known parts, circa when EDTF says ~ or %.

    EDTF's "?" (uncertain) has no CSL counterpart. An interval with an open or unknown end
    cannot be written as date-parts, so it is passed on as typed (`literal`).
    """
    known = known_dates(value)
    if not known:
        return None
    if None in known:
        return {"literal": value.strip()}
    date: dict[str, Any] = {"date-parts": [_csl_parts(part) for part in known]}
    if any(part.approximate for part in known):
        date["circa"] = True
    if len(known) == 1 and known[0].season and len(known[0].parts) == 1:
        date["season"] = known[0].season - 20
    return date


def _csl_name(name: Name) -> dict:
    if name.is_organisation or not name.given:
        return {"literal": name.text}
    return {"family": name.family, "given": name.given}


def to_csl_json(source) -> dict:
    """One CSL-JSON item for the source; empty fields are left out."""
    accessed: datetime.date | None = source.accessed
    item: dict[str, Any] = {
        "id": source.key,
        "type": CSL_TYPES.get(str(source.kind), "document"),
        "title": _clean(source.title),
        "author": [_csl_name(name) for name in split_authors(source.authors)],
        "publisher": _clean(source.publisher),
        "issued": csl_date(source.published),
        "number": _clean(source.document_symbol),
        "URL": _clean(source.url),
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
        if accessed
        else None,
        "language": _clean(source.language),
    }
    return {name: value for name, value in item.items() if value}


# ---------------------------------------------------------------------------------------------
# The three downloads


@dataclass(frozen=True)
class Format:
    """One export format: its file extension, its media type and how to write a source in it."""

    extension: str
    content_type: str
    render: Callable[[Any], str]


def _csl_json_file(source) -> str:
    # A CSL-JSON file is a list of items, even of one.
    return json.dumps([to_csl_json(source)], ensure_ascii=False, indent=2) + "\n"


FORMATS = {
    "bib": Format("bib", "application/x-bibtex; charset=utf-8", to_bibtex),
    "ris": Format("ris", "application/x-research-info-systems; charset=utf-8", to_ris),
    "json": Format(
        "json", "application/vnd.citationstyles.csl+json; charset=utf-8", _csl_json_file
    ),
}
