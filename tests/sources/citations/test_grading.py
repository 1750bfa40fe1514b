"""The grading scale in words (pure): labels, titles, filters, the legend."""

import pytest

from sources.citations.grading import (
    CREDIBILITY_CHOICES,
    LEGEND,
    RELIABILITY_CHOICES,
    Grade,
    grade_label,
    grade_title,
    reliability_codes,
)


@pytest.mark.parametrize(
    ("reliability", "credibility", "label", "title"),
    [
        ("B", 2, "B2", "B: usually reliable; 2: probably true"),
        ("A", 1, "A1", "A: completely reliable; 1: confirmed by other sources"),
        ("F", 6, "F6", "F: reliability cannot be judged; 6: truth cannot be judged"),
        ("E", None, "E", "E: unreliable"),
        ("", 4, "4", "4: doubtful"),
        (None, 5, "5", "5: improbable"),
        ("", None, "", ""),
        ("Z", 9, "", ""),  # not on the scale: shown as not graded
    ],
)
def test_a_grade_shows_only_the_parts_that_are_set(reliability, credibility, label, title):
    assert grade_label(reliability, credibility) == label
    assert grade_title(reliability, credibility) == title
    grade = Grade(reliability or "", credibility)
    assert (grade.label, grade.title, bool(grade)) == (label, title, bool(label))


@pytest.mark.parametrize(
    ("values", "codes"),
    [
        (["A"], ("A",)),
        (["b", " c "], ("B", "C")),
        (["A", "A", "B"], ("A", "B")),
        (["", "G", "AB", "1"], ()),
        ([], ()),
    ],
)
def test_a_filter_keeps_the_reliability_grades_it_knows(values, codes):
    assert reliability_codes(values) == codes


def test_the_choices_and_the_legend_say_the_scale_in_the_same_words():
    assert [code for code, _ in RELIABILITY_CHOICES] == list("ABCDEF")
    assert [number for number, _ in CREDIBILITY_CHOICES] == [1, 2, 3, 4, 5, 6]
    assert RELIABILITY_CHOICES[1] == ("B", "B: usually reliable")
    sources, passages = LEGEND
    assert sources.grades[0] == ("A", "completely reliable")
    assert passages.grades[-1] == ("6", "truth cannot be judged")


@pytest.mark.parametrize(
    ("grade", "words"), [(Grade("B", 2), "usually reliable"), (Grade("", 2), "")]
)
def test_reliability_words(grade, words):
    assert grade.reliability_words == words
