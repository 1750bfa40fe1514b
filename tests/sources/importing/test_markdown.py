"""Markdown as the plain text a reader sees; front matter as metadata (tables)."""

import time

import pytest

from sources.importing import ImportRefused
from sources.importing.markdown import MAX_LINES, MAX_MARKUP, markdown_to_text, read_markdown


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        (
            "# Title *one*\n\nA **bold** [link](http://x) and `code`.",
            "Title one\n\nA bold link and code.",
        ),
        ("Soft\nbreak and hard  \nbreak.", "Soft break and hard\nbreak."),
        ("- one\n- two\n  - nested\n\nAfter.", "- one\n- two\n  - nested\n\nAfter."),
        ("1. first\n2. second", "1. first\n2. second"),
        ("![A map of Panjshir](map.png)", "A map of Panjshir"),
        ("Fish &amp; chips <span>here</span>.", "Fish & chips here."),
        ("```\nkept   as is\n```", "kept   as is"),
        ("<div>An <b>HTML</b> block</div>", "An HTML block"),
    ],
)
def test_markdown_to_text(markdown, text):
    assert markdown_to_text(markdown) == text


def test_markdown_front_matter_is_metadata_not_text():
    document = read_markdown(
        '---\ntitle: "Field notes"\nauthor: Jane Doe\ndate: 2021-08-15\n---\n# Kabul\n\nIt rained.'
    )
    assert document.text == "Kabul\n\nIt rained."
    assert document.proposal.values() == {
        "title": "Field notes",
        "authors": "Jane Doe",
        "published": "2021-08-15",
    }


def test_front_matter_without_a_title_leaves_the_heading_as_the_title():
    document = read_markdown("---\ntags: kabul, 2021\n---\n# Kabul diary\n\nIt rained.")
    assert document.proposal.title == "Kabul diary"
    assert document.proposal.evidence["title"] == "the line “Kabul diary”"


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        (
            "- item\n" * MAX_LINES,  # and the empty line after the last
            "The document has 10,001 lines; Attest reads Markdown of up to 10,000 lines. Upload "
            "it as a .txt file, where the text is kept as written, or in parts.",
        ),
        (
            "[a](b) " * (MAX_MARKUP + 1),
            "The document has 20,001 Markdown markup characters ([, *, _, `, <, & and \\); "
            "Attest reads Markdown with up to 20,000.",
        ),
        (
            "Intro.\n\n" + "> " * 20 + "deep",
            "Line 3 of the document nests lists or block quotes too deeply: Markdown is read to "
            "9 levels of lists or 19 of block quotes. Flatten them, or upload the file as .txt",
        ),
        ("- " * 10 + "deep", "Line 1 of the document nests lists or block quotes too deeply"),
        (
            "".join("   " * depth + "1. item\n" for depth in range(12)),
            "Line 10 of the document nests lists",
        ),
    ],
    ids=["lines", "markup", "block-quotes", "lists", "indented-lists"],
)
def test_markdown_too_large_or_too_deep_to_read_is_refused_quickly(markdown, message):
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as refusal:
        read_markdown(markdown)
    assert time.perf_counter() - started < 0.5
    assert message in str(refusal.value)


@pytest.mark.parametrize(
    ("markdown", "end"),
    [
        ("> " * 19 + "deep\n\nafter", "deep\n\nafter"),
        ("- " * 9 + "deep\n\nafter", "- deep\n\nafter"),
        ("a\n" * (MAX_LINES - 1), "a"),
        ("*a* " * (MAX_MARKUP // 2), "a"),
    ],
    ids=["block-quotes", "lists", "lines", "markup"],
)
def test_markdown_at_the_limits_is_read(markdown, end):
    assert read_markdown(markdown).text.endswith(end)
