"""The support check: in a sourced sentence, the numbers, dates and linked pages' names that none
of its quotes carries are marked, forgiving what a reader would not call a difference."""

import pytest

from wiki.markup.parse import UNSUPPORTED_TITLE, CitationTarget, LinkTarget, render
from wiki.markup.support import DATE, NAME, NUMBER, Passages, details

from .test_parse import MARK

# The linked pages these tables know, with every name of each (title first, then aliases).
PAGES = {
    "Abuja": ("Abuja",),
    "Massoud": ("Ahmad Shah Massoud", "Ahmad Shah Mas'ud", "Massoud", "Lion of Panjshir"),
    "Northern Alliance": ("Northern Alliance", "United Front", "UIF"),
    "Herat": ("Herāt", "Herat"),
}


def rendered(body: str):
    def links(targets):
        return {t: LinkTarget(f"/p/{t}/", t in PAGES, t, PAGES.get(t, ())) for t in targets}

    def citations(refs):  # "withheld": a source this reader may not see
        return {ref: None if ref.key == "withheld" else CitationTarget("/s/", "S") for ref in refs}

    return render(body, resolve_links=links, resolve_citations=citations)


def unsupported(body: str) -> list[tuple[str, str]]:
    return [(detail.kind, detail.text) for detail in rendered(body).unsupported]


# body → the details none of its sentence's quotes carries, in order
TABLE = {
    "the brief's example": (
        'It was signed in [[Abuja]] in May 2006. [@a "the agreement was signed at last"]',
        [(NAME, "Abuja"), (DATE, "May 2006")],
    ),
    "both carried": ('Signed in [[Abuja]] in May 2006. [@a "signed at Abuja in May 2006"]', []),
    "grouping": ('About 2,500 fled. [@a "some 2500 people fled"]', []),
    "grouping the other way": ('About 2500 fled. [@a "some 2,500 people fled"]', []),
    "a narrow space": ('About 2\u202f500 fled. [@a "some 2,500 people fled"]', []),
    "another count": ('About 3,000 fled. [@a "some 2,500 people fled"]', [(NUMBER, "3,000")]),
    "a decimal": ('Some 3.5 million fled. [@a "3.5 million people fled"]', []),
    "a date in another order": ('Founded on 12 March 1998. [@a "on March 12, 1998, it began"]', []),
    "an ordinal date": ('Founded on 12th of March 1998. [@a "began on 12 March 1998"]', []),
    "a numeric date": ('Founded on 12 March 1998. [@a "dated 1998-03-12 in the file"]', []),
    "a day the quote lacks": (
        'Founded on 12 March 1998. [@a "in March 1998 it began"]',
        [(DATE, "12 March 1998")],
    ),
    "a dateline": ('Reported in July 2015. [@a "21.07.2015  |  Mazar-e Sharif"]', []),
    "a month the quote narrows": ('Founded in March 1998. [@a "on 12 March 1998 it began"]', []),
    "an abbreviated month": ('Founded in Dec. 1992. [@a "in December 1992 it began"]', []),
    "a year of a quoted date": ('Founded in 1998. [@a "on 12 March 1998 it began"]', []),
    "another year": ('Founded in 1998. [@a "on 12 March 1997 it began"]', [(NUMBER, "1998")]),
    "case": ('It began in May 2006. [@a "IT BEGAN IN MAY 2006"]', []),
    "a decade": ('Active in the 1990s. [@a "active through the 1990s"]', []),
    "a numeric date with other dashes": ('Dated 1998‑03‑12. [@a "on 12 March 1998 it began"]', []),
    "dash kinds": ('The 1992–1996 war. [@a "the war of 1992-1996 ended"]', []),
    "codes are no numbers": ('Filed as AFG00001 and B2. [@a "a report on the matter"]', []),
    "a title": ('Led by [[Massoud]]. [@a "led by Ahmad Shah Massoud himself"]', []),
    "an alias, with another apostrophe": (
        'Led by [[Massoud|him]]. [@a "led by Ahmad Shah Mas’ud himself"]',
        [],
    ),
    "an alias in capitals": ('Led by [[Massoud]]. [@a "led by the LION OF PANJSHIR"]', []),
    "a possessive": ('He led the [[Northern Alliance]]. [@a "the Northern Alliance’s leader"]', []),
    "an abbreviation": ('He led the [[Northern Alliance]]. [@a "the UIF was led by him"]', []),
    "accents": ('Born in [[Herat]]. [@a "he was born in herāt city"]', []),
    "a name nowhere": (
        'He led the [[Northern Alliance]]. [@a "he led the resistance there"]',
        [(NAME, "Northern Alliance")],
    ),
    "a page nobody wrote": ('Met [[Nobody Yet]]. [@a "he met nobody yet there"]', []),
    "a part of a name is not the name": (
        'Met [[Abuja]] leaders. [@a "met the Abujan leaders"]',
        [(NAME, "Abuja")],
    ),
    "any of the sentence's quotes": (
        'From 1992 to 1996. [@a "it began in 1992"; @b "and it ended in 1996"]',
        [],
    ),
    "only the sentence's own quotes": (
        'In 1992. [@a "it began in 1993"] In 1994. [@b "and went on in 1994"]',
        [(NUMBER, "1992")],
    ),
    "an unsourced sentence is not checked": ('In 1992. [@a "it began in 1992"] In 1999.', []),
    "a whole document carries nothing": ("In 1992.[@a]", [(NUMBER, "1992")]),
    "a withheld passage is not judged": ('In 1992. [@withheld "a passage nobody may read"]', []),
    "link labels are names, not numbers": (
        'See [[Abuja|the 2006 talks]]. [@a "the Abuja talks"]',
        [],
    ),
}


@pytest.mark.parametrize(("body", "expected"), TABLE.values(), ids=TABLE.keys())
def test_unsupported_details(body, expected):
    assert unsupported(body) == expected


def test_each_unsupported_detail_is_marked_in_the_text_with_a_title_and_an_anchor():
    page = rendered(
        'It was signed in [[Abuja]] in May 2006. [@a "the agreement was signed at last"] Unsourced.'
    )
    title = f'title="{UNSUPPORTED_TITLE}"'
    assert (
        f'signed in <span class="unsupported-detail" id="detail-1" {title}>'
        '<a href="/p/Abuja/" class="wikilink" title="Abuja">Abuja</a></span> in '
        f'<span class="unsupported-detail" id="detail-2" {title}>May 2006</span>.' in page.html
    )
    assert page.html.count('class="citation-needed"') == 1  # after "Unsourced."
    assert [(d.number, d.anchor) for d in page.unsupported] == [(1, "detail-1"), (2, "detail-2")]
    assert "passage" in UNSUPPORTED_TITLE and "carr" in UNSUPPORTED_TITLE


def test_a_detail_over_a_line_break_is_marked_piece_by_piece_and_anchored_once():
    page = rendered('Founded on 12 March\n1998. [@a "it was founded that spring"]')
    assert [d.text for d in page.unsupported] == ["12 March 1998"]
    assert page.html.count('class="unsupported-detail"') == 2
    assert page.html.count('id="detail-1"') == 1


def test_an_unsourced_sentence_gets_its_mark_and_no_detail_marks():
    page = rendered('In 1992 [@a "it began much later"] it began. Then it ended in 1996.')
    assert page.html.count('class="unsupported-detail"') == 1
    assert ">1992</span>" in page.html
    assert "ended in 1996." + MARK in page.html


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("signed in May 2006 by 2,500 men", [(DATE, "May 2006"), (NUMBER, "2,500")]),
        ("on 12 March, 2,500 people", [(DATE, "12 March"), (NUMBER, "2,500")]),
        ("March 12, 1998 and 3 Dec. 1992", [(DATE, "March 12, 1998"), (DATE, "3 Dec. 1992")]),
        (
            "the 1990s, the 19th century, 9/11",
            [(NUMBER, "1990s"), (NUMBER, "19th"), (NUMBER, "9"), (NUMBER, "11")],
        ),
        ("In 1992, the alliance", [(NUMBER, "1992")]),
        ("a 32-year-old", [(NUMBER, "32")]),
        ("AFG00001.REF, B2, G7", []),
        ("in May, and in March", []),  # a month alone is no date
        ("may 5 march", [(DATE, "may 5")]),
    ],
)
def test_details_of_a_sentence(text, found):
    assert [(detail.kind, detail.text) for detail in details(text)] == found


def test_passages_fold_once_and_judge_each_detail():
    passages = Passages(["In May of 2006, 2500 of them", "on MARCH 12 1998"])
    judged = {
        d.text: passages.carry(d)
        for d in details("in May 2006, 2,500 men, 12 March 1998, 12 March 1999, May 2007")
    }
    assert judged == {
        "May 2006": True,
        "2,500": True,
        "12 March 1998": True,
        "12 March 1999": False,
        "May 2007": False,
    }
