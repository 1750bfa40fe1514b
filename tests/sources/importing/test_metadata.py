"""The metadata a document states about itself: dates as EDTF, header lines, keys (tables)."""

import time
from datetime import date

import pytest

from sources.importing.metadata import Proposal, date_to_edtf, propose_from_text, propose_key

RIC_HEADER = """Last Updated: Friday, 27 May 2016, 08:49 GMT

Afghanistan: Background on the Anti-Taliban group, the Northern Alliance

Publisher United States Bureau of Citizenship and Immigration Services
Author Resource Information Center
Publication Date 14 December 1999
Citation / Document Symbol AFG00001.REF
Cite as United States Bureau of Citizenship and Immigration Services, Afghanistan: Background \
on the Anti-Taliban group, the Northern Alliance, 14 December 1999, AFG00001.REF, available at: \
[accessed 29 May 2016]

In 1992, the Northern Alliance was established in opposition of the communist government.
"""

NEWS_HEADER = """Dostum and Noor announce new alliance to fight Taliban in the north

Waheed Orya
A renewed alliance between Governor Noor and Vice President Dostum has raised eyebrows.
21.07.2015\u00a0\u00a0|\u00a0\u00a0Mazar-e Sharif

As Afghan National Security Forces struggle to contain the Taliban's spring offensive…
"""

# ---------------------------------------------------------------------------------------------
# Dates as documents write them, as EDTF


@pytest.mark.parametrize(
    ("written", "edtf"),
    [
        ("14 December 1999", "1999-12-14"),
        ("December 14, 1999", "1999-12-14"),
        ("December 1999", "1999-12"),
        ("Aug 2021", "2021-08"),
        ("1999", "1999"),
        ("21.07.2015", "2015-07-21"),
        ("05.07.2015", "2015-07-05"),  # day first, as most of the world writes it
        ("2015-07-21", "2015-07-21"),
        ("2021-08-15T10:00:00+00:00", "2021-08-15"),
        ("Friday, 27 May 2016, 08:49 GMT", "2016-05-27"),
        ("14. Dezember 1999", "1999-12-14"),
        ("2 days ago", ""),  # relative: meaningless once the page is old
        ("Mazar-e Sharif", ""),
        ("AFG00001.REF", ""),
        ("", ""),
    ],
)
def test_date_to_edtf(written, edtf):
    assert date_to_edtf(written) == edtf


# ---------------------------------------------------------------------------------------------
# Metadata from a plain text's header lines


def test_the_ric_header_proposes_every_field_it_states():
    proposal = propose_from_text(RIC_HEADER)
    assert proposal.values() == {
        "title": "Afghanistan: Background on the Anti-Taliban group, the Northern Alliance",
        "authors": "Resource Information Center",
        "publisher": "United States Bureau of Citizenship and Immigration Services",
        "published": "1999-12-14",
        "document_symbol": "AFG00001.REF",
        "accessed": date(2016, 5, 29),
        "kind": "report",
    }
    assert proposal.evidence["published"] == "the line “Publication Date 14 December 1999”"


def test_a_news_dateline_and_a_bare_byline():
    proposal = propose_from_text(NEWS_HEADER)
    assert proposal.title == "Dostum and Noor announce new alliance to fight Taliban in the north"
    assert proposal.authors == "Waheed Orya"
    assert proposal.published == "2015-07-21"
    assert proposal.kind == "news"
    assert "21.07.2015 | Mazar-e Sharif" in proposal.evidence["published"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title: The report\nBody.", {"title": "The report"}),
        ("Report\nPublished by The Independent\n", {"publisher": "The Independent"}),
        ("Report\nPublished: 3 March 2001\n", {"published": "2001-03-03"}),
        ("Report\nDate: 2021-08\n", {"published": "2021-08"}),
        ("Report\nAuthors: A. Rahimi, B. Noor\n", {"authors": "A. Rahimi, B. Noor"}),
        ("Report\nBy Jane Doe and John Roe\n", {"authors": "Jane Doe and John Roe"}),
        ("A story\n Andy Gregory 2 days ago\n", {"authors": "Andy Gregory"}),
        ("Report\nURL: https://example.org/a.html.\n", {"url": "https://example.org/a.html"}),
        ("Report\nDocument Symbol: S/2001/123\n", {"document_symbol": "S/2001/123"}),
        ("Report\nRetrieved on 2 May 2020\n", {"accessed": date(2020, 5, 2)}),
        ("Report\nGeneva, 14 December 1999\n", {"published": "1999-12-14", "kind": "news"}),
    ],
)
def test_header_rules(text, expected):
    proposal = propose_from_text(text).values()
    assert {name: proposal.get(name) for name in expected} == expected


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Report\nAuthorities said the road was closed.\n", "authors"),
        ("Report\nDate palms grow in the south since 1990.\n", "published"),
        ("Report\nPublished 2 days ago\n", "published"),
        ("Report\nURL: not a web address\n", "url"),
        ("Report\nAccessed in 2016\n", "accessed"),  # no day: no access date
        ("A heading\nthe rest of a sentence\n", "authors"),
        ("Report\nIn 1992\n", "published"),  # a year alone is a heading, not a dateline
    ],
)
def test_prose_is_not_read_as_metadata(text, absent):
    assert absent not in propose_from_text(text).values()


def test_the_title_guess_skips_update_stamps_and_metadata_lines():
    text = "Last Updated: 1 May 2016\nPublisher RIC\n\nThe real title\n\nBody."
    assert propose_from_text(text).title == "The real title"


def test_what_the_first_proposal_says_wins_when_filling_gaps():
    declared = Proposal(title="Declared", evidence={"title": "the page’s metadata"})
    read = Proposal(title="Read", authors="A. Author", evidence={"authors": "the line “x”"})
    filled = declared.fill(read)
    assert (filled.title, filled.authors) == ("Declared", "A. Author")
    assert filled.evidence == {"title": "the page’s metadata", "authors": "the line “x”"}


@pytest.mark.parametrize(
    ("proposal", "key"),
    [
        (
            Proposal(
                publisher="United States Bureau of Citizenship and Immigration Services",
                published="1999-12-14",
                document_symbol="AFG00001.REF",
            ),
            "usbcis-1999-afg00001",
        ),
        (
            Proposal(
                title="Dostum and Noor announce new alliance",
                authors="Waheed Orya",
                published="2015-07-21",
            ),
            "orya-2015-dostum-noor-announce",
        ),
        (
            Proposal(title="Who are the Northern Alliance?", publisher="The Independent"),
            "independent-northern-alliance",
        ),
        (Proposal(), "source"),
    ],
)
def test_propose_key(proposal, key):
    assert propose_key(proposal) == key


@pytest.mark.parametrize(
    "text",
    ["word " * 1_000_000, "Publisher Someone\n" + "word " * 1_000_000, "\n" * 5_000_000 + "x"],
    ids=["one-line", "header-then-one-line", "blank-lines"],
)
def test_proposing_reads_only_the_top_of_a_large_document(text):
    started = time.perf_counter()
    proposal = propose_from_text(text)
    assert time.perf_counter() - started < 0.2
    assert proposal.values().get("publisher") in (None, "Someone")
