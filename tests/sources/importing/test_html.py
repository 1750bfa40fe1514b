"""Web pages: their main text and the metadata they declare."""

import time

import pytest

from sources.importing import ImportRefused
from sources.importing.html import MAX_ELEMENTS, element_count, read_html

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
    document = read_html(ARTICLE_HTML)
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
    assert read_html("<html><head><title>Empty</title></head><body></body></html>").text == ""


@pytest.mark.parametrize(
    ("html", "count"),
    [
        (ARTICLE_HTML, 17),
        ("<p>a < b and b<c</p>", 2),  # "b<c" looks like a tag; "a < b" does not
        ("<script>if (a<b) x('<div>')</script><style>p<a{}</style><p>x</p>", 1),
        ("<SCRIPT>a<b</Script><p>x</p>", 1),
        ("<!-- <div> <div> --><p>x</p>", 1),
        ("<p>x</p><script>never closed <div><div>", 1),
        ("<!-- never closed <div>", 0),
        ("", 0),
    ],
)
def test_element_count_counts_opening_tags_outside_scripts_and_comments(html, count):
    assert element_count(html) == count


def test_a_page_at_the_element_limit_is_read():
    cells = "<td>cell</td>" * (MAX_ELEMENTS - 4)  # html, body, table and tr
    document = read_html(f"<html><body><table><tr>{cells}</tr></table></body></html>")
    assert document.text.startswith("| cell | cell")  # a table, as trafilatura writes one


def test_a_page_over_the_element_limit_is_refused_before_it_is_parsed():
    page = "<html><body>" + "<p>cell</p>" * 200_000 + "</body></html>"  # 2.2 MB
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as refusal:
        read_html(page)
    assert time.perf_counter() - started < 0.5
    assert str(refusal.value) == (
        "The page has 200,002 HTML elements; Attest reads pages of up to 10,000. Upload its "
        "main text as a .txt file instead, or paste it."
    )
