"""The generic history helpers: word diffs, their HTML, tag and field changes, diff parameters."""

import random
import time

import pytest
from django.http import Http404

from sources.common.history.revisions import (
    field_changes,
    revision_page,
    signed,
    tag_changes,
    tracked_fields,
)
from sources.common.history.views import parse_diff
from sources.common.history.worddiff import DELETE, EQUAL, INSERT, diff_html, text_diff
from sources.models import Source
from sources.services import source_save
from tests.factories import SourceFactory


def old_side(ops):
    return "".join(text for op, text in ops if op != INSERT)


def new_side(ops):
    return "".join(text for op, text in ops if op != DELETE)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("same words", "same words", [(EQUAL, "same words")]),
        ("", "new text", [(INSERT, "new text")]),
        ("old text", "", [(DELETE, "old text")]),
        (
            "The cat sat.",
            "The dog sat.",
            [(EQUAL, "The"), (DELETE, " cat"), (INSERT, " dog"), (EQUAL, " sat.")],
        ),
        ("One two.", "One two three.", [(EQUAL, "One two"), (INSERT, " three"), (EQUAL, ".")]),
        (
            "First line.\nSecond line.\n",
            "First line.\nSecond, changed line.\n",
            [
                (EQUAL, "First line.\nSecond"),
                (INSERT, ","),
                (INSERT, " changed"),
                (EQUAL, " line.\n"),
            ],
        ),
    ],
)
def test_text_diff_marks_words(old, new, expected):
    assert _joined(text_diff(old, new)) == _joined(expected)


def _joined(ops):
    out = []
    for op, text in ops:
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return out


def test_a_rewritten_paragraph_shows_as_removed_and_added_not_as_confetti():
    ops = text_diff("The cat sat on the mat.", "A dog ran in a park today.")
    assert ops == [(DELETE, "The cat sat on the mat."), (INSERT, "A dog ran in a park today.")]


def _prose(rng, paragraphs):
    words = [
        "the",
        "commander",
        "led",
        "forces",
        "of",
        "the",
        "northern",
        "alliance",
        "in",
        "the",
        "valley",
        "during",
        "war",
    ]
    return "\n\n".join(
        " ".join(rng.choices(words, k=150)).capitalize() + "." for _ in range(paragraphs)
    )


def _edit(rng, text, edits):
    words = text.split(" ")
    for _ in range(edits):
        at = rng.randrange(len(words))
        words[at : at + 1] = rng.choice([["EDITED"], ["INSERTED", words[at]], []])
    return " ".join(words)


@pytest.mark.parametrize("edits", [0, 1, 10, 300])
def test_text_diff_of_100_kb_is_complete_and_fast(edits):
    rng = random.Random(edits)
    old = _prose(rng, 110)  # about 100 KB
    new = _edit(rng, old, edits)
    started = time.perf_counter()
    ops = text_diff(old, new)
    elapsed = time.perf_counter() - started
    assert old_side(ops) == old and new_side(ops) == new
    assert elapsed < 2.0  # measured: 2-10 ms for a few edits, about 0.2 s for hundreds


def test_text_diff_stops_refining_at_its_budget_and_stays_correct():
    rng = random.Random(1)
    old = _prose(rng, 50)
    new = _edit(rng, old, 200)
    ops = text_diff(old, new, budget=0)
    assert old_side(ops) == old and new_side(ops) == new


def test_diff_html_escapes_every_piece():
    html = diff_html(text_diff("<b>old</b> & 'x'", "<script>new</script> & 'x'"))
    assert "<b>" not in html and "<script>" not in html and "</script>" not in html
    assert "&lt;<del>b</del><ins>script</ins>&gt;" in html
    assert "&amp;" in html and "&#x27;x&#x27;" in html


def test_diff_html_folds_long_unchanged_stretches():
    lines = [f"Line {n}." for n in range(40)]
    changed = lines.copy()
    changed[20] = "Line twenty."
    html = diff_html(text_diff("\n".join(lines), "\n".join(changed)))
    assert "Line 19." in html and "Line 21." in html  # context around the change
    assert "Line 5." not in html and "Line 35." not in html
    assert html.count('class="diff-gap"') == 2


def test_diff_html_folds_a_long_line_by_characters():
    old = "word " * 2000 + "end"
    html = diff_html(text_diff(old, old.replace("end", "finish")))
    assert "unchanged text (" in html and len(html) < 2000


@pytest.mark.parametrize(
    ("old", "new", "added", "removed"),
    [
        ("", "a, b", ["a", "b"], []),
        ("a, b", "b, c", ["c"], ["a"]),
        ("a", "a", [], []),
        ("a, b", "", [], ["a", "b"]),
    ],
)
def test_tag_changes(old, new, added, removed):
    assert tag_changes(old, new) == (added, removed)


@pytest.mark.parametrize(("value", "expected"), [("3..7", (3, 7)), ("12..12", (12, 12))])
def test_parse_diff(value, expected):
    assert parse_diff(value) == expected


@pytest.mark.parametrize("value", ["", "3", "3..", "..7", "a..b", "-1..2", "3...7", "3..7..9"])
def test_parse_diff_refuses_anything_else(value):
    with pytest.raises(Http404):
        parse_diff(value)


@pytest.mark.parametrize(
    ("number", "shown"), [(123, "+123"), (-45, "−45"), (0, "0"), (1500, "+1,500")]
)
def test_signed(number, shown):
    assert signed(number) == shown


@pytest.mark.django_db
def test_field_changes_use_labels_and_choice_names():
    source = SourceFactory(kind=Source.Kind.REPORT, title="A")
    source.kind, source.title = Source.Kind.BOOK, "B"
    source_save(source=source, user=None)
    new, old = source.history.all()[:2]
    fields = tracked_fields(Source, exclude={"text", "tag_list"})
    changes = [(c.label, c.old, c.new) for c in field_changes(old, new, fields)]
    assert changes == [("Title", "A", "B"), ("Kind", "Report", "Book")]


@pytest.mark.django_db
def test_tracked_fields_leave_out_derived_and_bookkeeping_fields():
    names = {f.name for f in tracked_fields(Source)}
    assert {"title", "text", "tag_list", "is_public"} <= names
    assert not names & {"id", "created_at", "updated_at", "updated_by", "published_earliest"}


@pytest.mark.django_db
def test_revision_page_computes_size_changes_across_page_boundaries(django_assert_num_queries):
    source = SourceFactory(text="x")
    for n in range(2, 8):
        source.text = "x" * n * n
        source_save(source=source, user=None)
    history = source.history.all()
    kwargs = {"text_field": "text", "fields": [], "history_url": "/h/", "revision_url": str}
    with django_assert_num_queries(2):
        first = revision_page(history, 1, per_page=3, **kwargs)
    second = revision_page(history, 2, per_page=3, **kwargs)
    third = revision_page(history, 3, per_page=3, **kwargs)
    rows = [*first.object_list, *second.object_list, *third.object_list]
    assert [row.size for row in rows] == [49, 36, 25, 16, 9, 4, 1]
    assert [row.size_change for row in rows] == [13, 11, 9, 7, 5, 3, 1]
    assert rows[-1].action == "created" and rows[-1].previous_id is None
    assert rows[0].diff_url == f"/h/?diff={rows[1].history_id}..{rows[0].history_id}"
