"""Snippets around a mention and the passage offered for citing it: pure text handling."""

import pytest

from sources.mention_reading import Snippet, passage_around, snippet_around

TEXT = "First sentence here. Then Massoud spoke at length;\nhe left.  Next one."


def span(name: str) -> tuple[int, int]:
    start = TEXT.index(name)
    return start, start + len(name)


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (
            200,
            Snippet(
                "First sentence here. Then ",
                "Massoud",
                " spoke at length; he left. Next one.",
                False,
                False,
            ),
        ),
        (12, Snippet("here. Then ", "Massoud", " spoke at", True, True)),
        (0, Snippet("", "Massoud", "", True, True)),
    ],
)
def test_snippet_around_cuts_at_spaces_and_keeps_one_line(width, expected):
    assert snippet_around(TEXT, *span("Massoud"), width=width) == expected


@pytest.mark.parametrize(
    ("name", "width", "expected"),
    [
        ("Massoud", 160, "Then Massoud spoke at length; he left."),
        ("Next", 160, "Next one."),
        ("First", 160, "First sentence here."),
        ("length", 12, "spoke at length; he left."),
        ("length", 4, "at length; he"),
    ],
)
def test_passage_around_is_the_sentence_that_holds_the_mention(name, width, expected):
    assert passage_around(TEXT, *span(name), width=width) == expected
    assert " ".join(expected.split()) in " ".join(TEXT.split())
