"""The Admiralty grading scale, in words: how reliable a source is, how credible a passage.

A source is graded A to F, a cited passage 1 to 6; together they read "B2" (a usually reliable
source, a passage probably true). Either part may be missing: a grade shows only what is set.
Pure: the models take their choices from here, templates their words and the legend.
"""

from dataclasses import dataclass

RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}

RELIABILITY_CHOICES = [(code, f"{code}: {words}") for code, words in RELIABILITY.items()]
CREDIBILITY_CHOICES = [(number, f"{number}: {words}") for number, words in CREDIBILITY.items()]


@dataclass(frozen=True)
class Grade:
    """A source's reliability and a passage's credibility, either of them possibly unset."""

    reliability: str = ""
    credibility: int | None = None

    def __bool__(self) -> bool:
        return bool(self.label)

    @property
    def label(self) -> str:
        """What the page shows: "B2", "B", "2", or "" when neither is set."""
        return grade_label(self.reliability, self.credibility)

    @property
    def reliability_words(self) -> str:
        """The source's reliability in words ("usually reliable"), or ""."""
        return RELIABILITY.get(self.reliability, "")

    @property
    def title(self) -> str:
        """The label in words: "B: usually reliable; 2: probably true"."""
        return grade_title(self.reliability, self.credibility)


def _parts(reliability, credibility) -> list[tuple[str, str]]:
    parts = []
    if reliability in RELIABILITY:
        parts.append((reliability, RELIABILITY[reliability]))
    if credibility in CREDIBILITY:
        parts.append((str(credibility), CREDIBILITY[credibility]))
    return parts


def grade_label(reliability: str | None, credibility: int | None) -> str:
    """The grade as a reader sees it beside a footnote: "B2"; only the parts that are set."""
    return "".join(code for code, _ in _parts(reliability, credibility))


def grade_title(reliability: str | None, credibility: int | None) -> str:
    """The grade spelled out, for the title of its abbreviation."""
    return "; ".join(f"{code}: {words}" for code, words in _parts(reliability, credibility))


def reliability_codes(values) -> tuple[str, ...]:
    """The reliability grades a filter asks for (?reliability=A&reliability=b), known ones only."""
    codes = (value.strip().upper() for value in values)
    return tuple(dict.fromkeys(code for code in codes if code in RELIABILITY))


@dataclass(frozen=True)
class LegendPart:
    """One half of the scale, as the legend under a page's references shows it."""

    heading: str
    grades: tuple[tuple[str, str], ...]


LEGEND = (
    LegendPart("Source (reliability)", tuple(RELIABILITY.items())),
    LegendPart(
        "Passage (credibility)",
        tuple((str(number), words) for number, words in CREDIBILITY.items()),
    ),
)
