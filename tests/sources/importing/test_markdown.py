"""Markdown as the plain text a reader sees; front matter as metadata (tables)."""

import pytest

from sources.importing.markdown import markdown_to_text, read_markdown


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
