"""Web pages: their main text and the metadata they declare."""

from sources.importing.html import read_html

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
