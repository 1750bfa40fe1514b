"""A citation backs the sentence it is attached to: placed inside it, or after its end before the
next sentence begins. It never backs the sentences before it in the paragraph."""

import re

import pytest

from wiki.markup.parse import Coverage, parse
from wiki.markup.statements import count_statements

from .test_parse import JOIN, MARK, html

# Each body: (sourced, total), and its text with each citation as [n] and each mark as ^.
ATTACHED = {
    "at the end of the last sentence": ("One. Two. Three.[@a]", (1, 3), "One.^ Two.^ Three.[1]"),
    "after the middle sentence": ("One. Two.[@a] Three.", (1, 3), "One.^ Two.[1] Three.^"),
    "after a space": ("One. [@a] Two.", (1, 2), "One.[1] Two.^"),
    "one each": ("One.[@a] Two.[@b] Three.", (2, 3), "One.[1] Two.[2] Three.^"),
    "first and last": ("One.[@a] Two. Three.[@b]", (2, 3), "One.[1] Two.^ Three.[2]"),
    "inside it": (
        "He died [@a] in 2001. He was buried.",
        (1, 2),
        "He died[1] in 2001. He was buried.^",
    ),
    "before its stop": ("He died [@a]. He was buried.", (1, 2), "He died[1]. He was buried.^"),
    "two after one": ("One. Two.[@a][@b]", (1, 2), "One.^ Two.[1][2]"),
    "a group": ("One. Two.[@a; @b]", (1, 2), "One.^ Two.[1][2]"),
    "at the start": ("[@a] Covers nothing. Two.", (0, 2), "[1] Covers nothing.^ Two.^"),
    "every sentence": ("One.[@a] Two.[@a] Three.[@a]", (3, 3), "One.[1] Two.[1] Three.[1]"),
    "not across paragraphs": ("First.\n\nSecond.[@a]", (1, 2), "First.^\n\nSecond.[1]"),
    "not across list items": ("- One.\n- Two.[@a]", (1, 2), "One.^\n\nTwo.[1]"),
    "a quotation and its speaker": (
        "> Ours is a just war.\n> — Ahmad Shah Massoud, 1998 [@a]",
        (1, 1),
        "Ours is a just war.\n— Ahmad Shah Massoud, 1998[1]",
    ),
    "navigation between": (
        "He led it. [[Kabul]]. [@a] Then more.",
        (1, 2),
        "He led it. Kabul.[1] Then more.^",
    ),
}


def text_of(body: str) -> str:
    """The rendered body as text: footnote markers as [n], citation-needed marks as ^."""
    page = html(body).replace(MARK, "^").replace(JOIN, "")
    blocks = re.split(r"</(?:p|li)>", page)
    return "\n\n".join(t for block in blocks if (t := re.sub(r"<[^>]*>", "", block).strip()))


@pytest.mark.parametrize(("body", "counts", "text"), ATTACHED.values(), ids=ATTACHED.keys())
def test_a_citation_backs_the_sentence_it_is_attached_to(body, counts, text):
    sourced, total = counts
    assert parse(body).coverage == Coverage(sourced, total)
    assert text_of(body) == text


def test_a_later_citation_no_longer_sources_the_sentences_before_it():
    body = "Founded in 1992. Led by Massoud. Dissolved in 2001.[@a]"
    assert parse(body).coverage == Coverage(1, 3)
    assert html(body).count(MARK) == 2


def test_counting_without_marks_leaves_the_tokens_alone():
    from wiki.markup.plugins import make_markdown

    tokens = make_markdown().parse("One. Two.[@a]", {})
    before = [child.type for child in tokens[1].children]
    statements = count_statements(tokens, mark=False)
    assert statements.coverage == Coverage(1, 2)
    assert [child.type for child in tokens[1].children] == before
