"""The support check: the details of a sourced sentence that none of its quoted passages carries.

A citation vouches for a sentence, but a reader takes its particulars on trust: the year, the
count, the date, the page it links to. Each is a detail; a detail is carried when one of the
sentence's quotes says it too. Matching forgives what a reader would not call a difference:
"2,500" and "2500", "12 March 1998" and "March 12, 1998", case, accents, and the kinds of quote
mark, apostrophe and dash (sources.common.folding). A linked page is carried when a quote names
it by its title or any alias. Words are not checked: a paraphrase is the writer's right.

Pure: strings in, dataclasses out.
"""

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sources.common.folding import APOSTROPHES, name_form, plain_punctuation

NUMBER, DATE, NAME = "number", "date", "name"

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH = rf"(?P<{{0}}>{_MONTHS})\b\.?"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?(?![\w])"
_YEAR = r"(?P<{0}>\d{{4}})(?!\d)"
_LEFT = r"(?<![^\W_])"  # not inside a word or a number: "AFG00001", "B2" are codes
_DATE = re.compile(
    _LEFT
    + "|".join(
        [
            # 1998-03-12
            r"(?P<iy>\d{4})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?!\d)",
            # 12.03.1998, as datelines write it
            r"(?P<ed>[0-3]?\d)\.(?P<em>[01]?\d)\.(?P<ey>\d{4})(?!\d)",
            # 12 March 1998, 12th of March, 12 Mar. 1998
            _DAY.format("ad")
            + r"\s+(?:of\s+)?"
            + _MONTH.format("am")
            # a comma, but not one that goes on to a count ("12 March, 2,500 people")
            + r"(?:,?\s+"
            + _YEAR.format("ay")
            + r"(?![,.]\d))?",
            # March 12, 1998; March 12
            _MONTH.format("bm")
            + r"\s+"
            + _DAY.format("bd")
            + r"(?:,?\s+"
            + _YEAR.format("by")
            + r"(?![,.]\d))?",
            # May 2006, May of 2006
            _MONTH.format("cm") + r",?\s+(?:of\s+)?" + _YEAR.format("cy") + r"(?![,.]\d)",
        ]
    ),
    re.IGNORECASE,
)
# A count, a year, an amount: 2,500 (or 2 500 with a narrow space), 3.5, 1990s, 19th.
_NUMBER = re.compile(
    _LEFT + r"(?P<n>\d{1,3}(?:[,\u00a0\u202f\u2009]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:s|st|nd|rd|th)?(?![^\W_])",
    re.IGNORECASE,
)
_APOSTROPHE = re.compile(f"[{re.escape(APOSTROPHES)}]")
_DIGIT = re.compile(r"\d")
_GROUPING = re.compile(r"[,\u00a0\u202f\u2009]")
_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


@dataclass(frozen=True)
class Detail:
    """One particular of a sentence: a number, a date or the name of a page it links to."""

    kind: str  # NUMBER, DATE or NAME
    text: str  # as the sentence writes it (a linked page: the link's target as written)
    start: int  # where it stands in the text it was read from (a link: its place, too)
    end: int
    names: tuple[str, ...] = ()  # a linked page: every name a quote may carry it by
    value: object = field(default=None, compare=False, repr=False)  # as compared: see carry


@dataclass(frozen=True)
class _Date:
    month: int
    day: int | None = None
    year: int | None = None

    def agrees_with(self, other: "_Date") -> bool:
        """True when other says at least as much: "May 2006" agrees with 12 May 2006."""
        return (
            self.month == other.month
            and self.day in (None, other.day)
            and self.year in (None, other.year)
        )


def details(text: str, start: int = 0, end: int | None = None) -> list[Detail]:
    """The dates and numbers written in text[start:end], in order; a date's numbers are part
    of it. text is the sentence as a reader sees it, with link labels blanked (names are
    details of their own, see linked_name)."""
    end = len(text) if end is None else end
    if not _DIGIT.search(text, start, end):
        return []  # most sentences: no number, so no date either
    # Dashes and quote marks in their plain forms, so that "1998‑03‑12" reads as a date too.
    plain = plain_punctuation(text[start:end])
    found: list[Detail] = []
    taken = []
    for match in _DATE.finditer(plain):
        if (date := _as_date(match)) is not None:
            first, last = start + match.start(), start + match.end()
            found.append(Detail(DATE, text[first:last], first, last, value=date))
            taken.append((match.start(), match.end()))
    for match in _NUMBER.finditer(plain):
        if not any(first <= match.start() < last for first, last in taken):
            first, last = start + match.start(), start + match.end()
            found.append(Detail(NUMBER, text[first:last], first, last, value=_number(match["n"])))
    return sorted(found, key=lambda detail: detail.start)


def linked_name(target: str, names: Iterable[str], start: int, end: int) -> Detail:
    """The detail a [[link]] makes: its target, carried by the target or any of the page's names."""
    return Detail(NAME, target, start, end, tuple(dict.fromkeys([target, *names])))


class Passages:
    """The quotes of one sentence, asked about each of its details."""

    def __init__(self, quotes: Sequence[str]):
        self._folded = [_folded(quote) for quote in quotes]

    def carry(self, detail: Detail) -> bool:
        """True when some quote says the detail, as forgivingly as a reader would read it."""
        if detail.kind == NUMBER:
            return any(detail.value in quote.numbers for quote in self._folded)
        if detail.kind == DATE:
            return any(
                detail.value.agrees_with(other) for quote in self._folded for other in quote.dates
            )
        return any(
            f" {form} " in words
            for form in _name_forms(detail.names)
            for quote in self._folded
            for words in quote.words
        )

    def unsupported(self, found: Iterable[Detail]) -> list[Detail]:
        """The details no quote carries."""
        return [detail for detail in found if not self.carry(detail)]


@dataclass(frozen=True)
class _Folded:
    """One quote as details are looked up in it."""

    numbers: frozenset[str]
    dates: tuple[_Date, ...]
    words: tuple[str, ...]  # name_form, padded; once more with apostrophes as spaces


# A page quotes a passage once or a few times, but it is read again and again: fold each once.
@functools.lru_cache(maxsize=4096)
def _folded(quote: str) -> _Folded:
    plain = plain_punctuation(quote)
    # Names fold without apostrophes ("Mas’ud" is "masud"), but a possessive is two words:
    # "the Northern Alliance’s leader" names the Northern Alliance.
    return _Folded(
        frozenset(_number(match["n"]) for match in _NUMBER.finditer(plain)),
        tuple(_dates(plain)),
        (f" {name_form(quote)} ", f" {name_form(_split_at(quote))} "),
    )


@functools.lru_cache(maxsize=4096)
def _name_forms(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(form for name in names if (form := name_form(name))))


def _split_at(text: str) -> str:
    """text with a space for each apostrophe."""
    return _APOSTROPHE.sub(" ", text)


def _number(written: str) -> str:
    """A number as compared: no grouping, no leading zeros ("2,500" and "2500"; "05" and "5")."""
    whole, dot, fraction = _GROUPING.sub("", written).partition(".")
    return (whole.lstrip("0") or "0") + dot + fraction


def _dates(text: str) -> Iterator[_Date]:
    for match in _DATE.finditer(text):
        if (date := _as_date(match)) is not None:
            yield date


def _as_date(match: re.Match | None) -> _Date | None:
    """The date a match says, or None where it cannot be one ("31 Feb" passes; "45 May" not)."""
    if match is None:
        return None
    groups = {name[1:]: value for name, value in match.groupdict().items() if value}
    month = groups["m"]
    month = int(month) if month.isdigit() else _MONTH_NUMBERS[month[:3].lower()]
    day = int(groups["d"]) if "d" in groups else None
    year = int(groups["y"]) if "y" in groups else None
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return _Date(month, day, year)
