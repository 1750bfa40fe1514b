"""Proposals a researcher accepts: header lines taken out of the text, short distinct keys, the
kind only where something says it, the site as publisher, the day a URL was read (tables)."""

from datetime import date

import pytest

from sources.importing.html import read_html
from sources.importing.keys import distinct_key, propose_key
from sources.importing.metadata import (
    Proposal,
    kind_of_page,
    propose_from_fetch,
    take_header_lines,
)
from sources.importing.text import read_text

# ---------------------------------------------------------------------------------------------
# Header lines leave the stored text


@pytest.mark.parametrize(
    ("text", "values", "body"),
    [
        (
            "title: Sirte: who's who\nurl: https://irinnews.org/r/1\npublished: 12 May 2007\n"
            "publisher: IRIN\nauthor: J. Smith\n\nThe city was held by three groups.",
            {
                "title": "Sirte: who's who",
                "url": "https://irinnews.org/r/1",
                "published": "2007-05-12",
                "publisher": "IRIN",
                "authors": "J. Smith",
            },
            "The city was held by three groups.",
        ),
        (
            "Title: Notes\n\n\nDate: 2021-08\n\nBody line.\ntitle: not a header here",
            {"title": "Notes", "published": "2021-08"},
            "Body line.\ntitle: not a header here",
        ),
        # Only the leading block: a header line after the first line of prose stays.
        ("The body first.\ntitle: late", {}, "The body first.\ntitle: late"),
        # A value that does not read as its field ends the block; the line stays in the text.
        ("published: soon\nBody.", {}, "published: soon\nBody."),
        ("url: see below\nBody.", {}, "url: see below\nBody."),
        # "Publisher X" without a colon is the document's own words (Refworld's header): kept.
        ("Publisher IRIN\nBody.", {}, "Publisher IRIN\nBody."),
        # Nothing but header lines: nothing would be left to cite, so the text stays whole.
        ("title: Only a title", {}, "title: Only a title"),
        ("accessed: 2 May 2020\nBody.", {"accessed": date(2020, 5, 2)}, "Body."),
        ("  Author :  Jane Doe  \nBody.", {"authors": "Jane Doe"}, "Body."),
    ],
)
def test_take_header_lines(text, values, body):
    proposal, rest = take_header_lines(text)
    assert proposal.values() == values
    assert rest == body


def test_each_header_value_names_its_line():
    proposal, _ = take_header_lines("title: Field notes\n\nBody.")
    assert (
        proposal.evidence["title"] == "the header line “title: Field notes”, taken out of the text"
    )


def test_a_pasted_text_is_stored_without_its_header_lines():
    document = read_text("title: Field notes\nauthor: Jane Doe\n\nThe convoy left at dawn.")
    assert document.text == "The convoy left at dawn."
    assert (document.proposal.title, document.proposal.authors) == ("Field notes", "Jane Doe")


def test_pasted_text_is_not_proposed_as_a_report():
    assert read_text("The convoy left at dawn.").proposal.kind == ""


# ---------------------------------------------------------------------------------------------
# Keys: short, readable, distinct


@pytest.mark.parametrize(
    ("proposal", "key"),
    [
        (Proposal(publisher="IRIN", published="2007-05-12", title="Sirte: who's who"),
         "irin-2007-sirte-whos-who"),
        (Proposal(publisher="IRIN", published="2011", title="Sudan's oil: the fight for Heglig"),
         "irin-2011-sudans-oil-fight"),
        (Proposal(authors="Ahmad Shah Mas'ud", title="Letter"), "masud-letter"),
        (Proposal(publisher="www.irinnews.org", published="2007", title="Sirte"),
         "irinnews-2007-sirte"),
        (Proposal(title="Who are the Northern Alliance?", publisher="The Independent"),
         "independent-northern-alliance"),
        (Proposal(title="Libya — the “Third Way”’s end", published="2014"),
         "2014-libya-third-way"),
        (Proposal(title="’s odd - - start"), "odd-start"),
        (Proposal(), "source"),
    ],
)  # fmt: skip
def test_propose_key(proposal, key):
    assert propose_key(proposal) == key
    assert "-s-" not in f"-{key}-"


@pytest.mark.parametrize(
    ("taken", "key"),
    [
        (set(), "irin-2007-sirte"),
        ({"irin-2007-sirte"}, "irin-2007-sirte-2"),
        ({"irin-2007-sirte", "irin-2007-sirte-2"}, "irin-2007-sirte-3"),
        ({"irin-2007-sirte-2"}, "irin-2007-sirte"),
    ],
)
def test_a_key_is_distinct_from_the_keys_taken(taken, key):
    proposal = Proposal(publisher="IRIN", published="2007", title="Sirte")
    assert propose_key(proposal, taken) == key
    assert distinct_key("irin-2007-sirte", taken) == key


# ---------------------------------------------------------------------------------------------
# Kind, publisher and access date


@pytest.mark.parametrize(
    ("page_type", "host", "kind"),
    [
        ("article", "example.org", "news"),
        ("NewsArticle", "", "news"),
        ("website", "www.reuters.com", "news"),
        ("", "news.bbc.co.uk", "news"),
        ("", "www.irinnews.org", "news"),
        ("website", "example.org", ""),
        ("", "", ""),
        ("", "notreuters.com", ""),
    ],
)
def test_kind_of_page(page_type, host, kind):
    found, why = kind_of_page(page_type, host)
    assert found == kind
    assert bool(why) == bool(kind)  # every proposal names where it came from


@pytest.mark.parametrize(
    ("proposal", "url", "expected"),
    [
        (
            Proposal(),
            "https://www.example.org/a",
            {"url": "https://www.example.org/a", "publisher": "example.org"},
        ),
        (
            Proposal(publisher="IRIN", evidence={"publisher": "the page’s metadata"}),
            "https://www.example.org/a",
            {"url": "https://www.example.org/a", "publisher": "IRIN"},
        ),
        (
            Proposal(kind="webpage"),
            "https://www.reuters.com/world/a",
            {"url": "https://www.reuters.com/world/a", "publisher": "reuters.com", "kind": "news"},
        ),
    ],
)
def test_a_fetched_document_proposes_its_address_day_and_site(proposal, url, expected):
    fetched = propose_from_fetch(proposal, url, date(2024, 5, 1))
    assert fetched.values() == {**expected, "accessed": date(2024, 5, 1)}
    assert set(fetched.evidence) >= set(fetched.values())


def test_a_report_with_a_document_symbol_is_proposed_as_a_report():
    document = read_text("Report\nDocument Symbol: S/2001/123\n\nBody.")
    assert document.proposal.kind == "report"
    assert "S/2001/123" in document.proposal.evidence["kind"]


@pytest.mark.parametrize(
    ("head", "kind", "why"),
    [
        ('<meta property="og:type" content="article">', "news", "og:type"),
        ('<link rel="canonical" href="https://www.reuters.com/a">', "news", "news site"),
        ("", "webpage", "the file type (HTML)"),
    ],
)
def test_an_html_page_is_news_where_it_says_so(head, kind, why):
    page = f"<html><head>{head}<title>T</title></head><body><article><p>{'Words. ' * 30}</p>"
    proposal = read_html(page + "</article></body></html>").proposal
    assert proposal.kind == kind
    assert why in proposal.evidence["kind"]
