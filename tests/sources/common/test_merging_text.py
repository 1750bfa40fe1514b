import pytest

from sources.common.history.merging import merge_fields, merge_text

BASE = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


@pytest.mark.parametrize(
    ("theirs", "ours", "expected"),
    [
        (BASE, BASE.replace("First", "1st"), BASE.replace("First", "1st")),
        (BASE.replace("First", "1st"), BASE, BASE.replace("First", "1st")),
        (
            BASE.replace("First", "1st"),
            BASE.replace("Third", "3rd"),
            BASE.replace("First", "1st").replace("Third", "3rd"),
        ),
        (BASE.replace("First", "1st"), BASE.replace("First", "1st"), BASE.replace("First", "1st")),
        (
            BASE + "Theirs added.\n",
            BASE.replace("First", "1st"),
            "1st" + (BASE + "Theirs added.\n")[5:],
        ),
    ],
)
def test_edits_of_different_paragraphs_merge(theirs, ours, expected):
    result = merge_text(BASE, theirs, ours)
    assert (result.text, result.conflicts) == (expected, 0)


def test_edits_of_the_same_paragraph_conflict():
    result = merge_text(BASE, BASE.replace("Second", "Their second"), BASE.replace("Second", "Our"))
    assert result.text is None and result.conflicts == 1


@pytest.mark.parametrize(
    ("base", "theirs", "ours", "merged", "conflicts"),
    [
        ({"title": "A"}, {"title": "A"}, {"title": "B"}, {"title": "B"}, []),
        ({"title": "A"}, {"title": "B"}, {"title": "A"}, {"title": "B"}, []),
        ({"title": "A"}, {"title": "B"}, {"title": "B"}, {"title": "B"}, []),
        ({"title": "A"}, {"title": "B"}, {"title": "C"}, {"title": "C"}, ["title"]),
        (
            {"title": "A", "summary": "s"},
            {"title": "T", "summary": "s"},
            {"title": "A", "summary": "ours"},
            {"title": "T", "summary": "ours"},
            [],
        ),
    ],
)
def test_merge_fields(base, theirs, ours, merged, conflicts):
    assert merge_fields(base, theirs, ours) == (merged, conflicts)
