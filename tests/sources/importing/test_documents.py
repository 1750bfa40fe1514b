"""Reading documents: text extraction, refusals, and the metadata a document states (tables)."""

import codecs
from datetime import date

import pytest

from sources.importing import documents as importing
from sources.importing.documents import ImportRefused, Proposal

MAX = 1024 * 1024

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
    assert importing.date_to_edtf(written) == edtf


# ---------------------------------------------------------------------------------------------
# Metadata from a plain text's header lines


def test_the_ric_header_proposes_every_field_it_states():
    proposal = importing.propose_from_text(RIC_HEADER)
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
    proposal = importing.propose_from_text(NEWS_HEADER)
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
    proposal = importing.propose_from_text(text).values()
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
    assert absent not in importing.propose_from_text(text).values()


def test_the_title_guess_skips_update_stamps_and_metadata_lines():
    text = "Last Updated: 1 May 2016\nPublisher RIC\n\nThe real title\n\nBody."
    assert importing.propose_from_text(text).title == "The real title"


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
    assert importing.propose_key(proposal) == key


# ---------------------------------------------------------------------------------------------
# Markdown and HTML


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
    assert importing.markdown_to_text(markdown) == text


def test_markdown_front_matter_is_metadata_not_text():
    document = importing.read_markdown(
        '---\ntitle: "Field notes"\nauthor: Jane Doe\ndate: 2021-08-15\n---\n# Kabul\n\nIt rained.'
    )
    assert document.text == "Kabul\n\nIt rained."
    assert document.proposal.values() == {
        "title": "Field notes",
        "authors": "Jane Doe",
        "published": "2021-08-15",
    }


ARTICLE_HTML = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<title>Who are the Northern Alliance? | The Independent</title>
<meta name="author" content="Andy Gregory">
<meta property="article:published_time" content="2021-08-19T10:15:00+00:00">
<meta property="og:site_name" content="The Independent">
<link rel="canonical" href="https://www.example.com/asia/northern-alliance.html">
</head><body><nav><a href="/">Home</a> · <a href="/news">News</a></nav>
<article><h1>Who are the Northern Alliance?</h1>
<p>While the Taliban has rapidly seized power in Afghanistan, a small pocket of resistance is
emerging in the northern province of Panjshir.</p>
<p>Mr Saleh, who was born and trained to fight in Panjshir, is reportedly joined by 32-year-old
Ahmad Massoud.</p></article>
<footer>Cookie policy · Subscribe to our newsletter</footer></body></html>"""


def test_html_gives_its_main_text_and_declared_metadata():
    document = importing.read_html(ARTICLE_HTML)
    assert "a small pocket of resistance is emerging" in document.text
    assert "Cookie policy" not in document.text and "Home" not in document.text
    assert "\n\nMr Saleh" in document.text  # paragraphs stay apart
    assert document.proposal.values() == {
        "title": "Who are the Northern Alliance?",
        "authors": "Andy Gregory",
        "publisher": "The Independent",
        "published": "2021-08-19",
        "url": "https://www.example.com/asia/northern-alliance.html",
        "language": "en-GB",
        "kind": "webpage",
    }
    assert document.proposal.evidence["authors"] == "the page’s metadata"


def test_an_html_page_without_a_body_has_no_text():
    assert (
        importing.read_html("<html><head><title>Empty</title></head><body></body></html>").text
        == ""
    )


# ---------------------------------------------------------------------------------------------
# Files: what is read, and what is refused


LATIN1_HTML = (
    '<html><head><meta charset="iso-8859-1"></head><body><p>Café au lait.</p></body></html>'
)


@pytest.mark.parametrize(
    ("name", "data", "text"),
    [
        ("a.txt", b"Line one\r\nLine two\r\n", "Line one\nLine two"),
        ("a.TXT", codecs.BOM_UTF8 + "Mas’ud".encode(), "Mas’ud"),
        ("a.txt", codecs.BOM_UTF16_LE + "Mas’ud".encode("utf-16-le"), "Mas’ud"),
        ("a.md", b"# Heading\n\nSome *text*.", "Heading\n\nSome text."),
        (
            "a.html",
            LATIN1_HTML.encode("latin-1"),
            "Café au lait.",
        ),
    ],
)
def test_read_upload_keeps_the_text(name, data, text):
    assert importing.read_upload(name, data, max_bytes=MAX).text == text


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "notes.txt",
            "Café".encode("latin-1"),
            "“notes.txt” is not UTF-8 text: byte 0xE9 at position 3",
        ),
        ("notes.txt", PNG, "“notes.txt” is a PNG file (image/png), not text"),
        ("notes.txt", b"text\x00\x01\x02 more", "“notes.txt” holds binary data"),
        ("report.pdf", b"%PDF-1.4", "“report.pdf” is not a file Attest can read"),
        ("noext", b"plain", "is not a file Attest can read: upload a .txt, .md or .html file"),
        (
            "big.txt",
            b"x" * (MAX + 1),
            "“big.txt” is 1.0\xa0MB; the largest file Attest accepts is 1.0\xa0MB",
        ),
        ("empty.txt", b"  \n", "“empty.txt” holds no text"),
        ("page.html", b"<html><body><script>x()</script></body></html>", "No readable text"),
    ],
)
def test_read_upload_refuses_with_a_reason(name, data, message):
    with pytest.raises(ImportRefused) as refusal:
        importing.read_upload(name, data, max_bytes=MAX)
    assert message in str(refusal.value)


def test_front_matter_without_a_title_leaves_the_heading_as_the_title():
    document = importing.read_markdown("---\ntags: kabul, 2021\n---\n# Kabul diary\n\nIt rained.")
    assert document.proposal.title == "Kabul diary"
    assert document.proposal.evidence["title"] == "the line “Kabul diary”"
