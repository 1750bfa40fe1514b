"""Tables for wiki.markup.parse: links, citations, statements, rendering, sanitising, robustness."""

import random
import re
import time
from contextlib import suppress

import pytest

from sources.citations.syntax import CitationRef
from wiki.markup.parse import (
    MAX_BODY_CHARS,
    CitationTarget,
    Coverage,
    LinkTarget,
    MarkupError,
    ParsedPage,
    parse,
    render,
)

MASUD = "Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party"
X, Y = "the first passage", "the second passage"  # a quote is at least 3 words, 12 characters
# Marks are joined to the word before them (U+2060) so that they never wrap onto a line alone.
JOIN = "\u2060"
MARK = JOIN + '<sup class="citation-needed"><a href="#coverage">citation needed</a></sup>'
PAGES = {"Ahmad Shah Massoud", "Northern Alliance", "Kabul", "Herat", "Massoud"}


def resolve_link(target: str) -> LinkTarget:
    url = "/actors/" + target.lower().replace(" ", "-") + "/"
    if target in PAGES:
        return LinkTarget(url, exists=True)
    return LinkTarget("/actors/new/?title=" + target.replace(" ", "+"), exists=False)


def resolve_citation(ref: CitationRef) -> CitationTarget | None:
    if ref.key == "missing":
        return None
    status = "orphaned" if ref.key == "orph" else "anchored"
    return CitationTarget(f"/sources/{ref.key}/#c1", f"Source {ref.key}", status)


def rendered(body: str, *, resolve_link=resolve_link, resolve_citation=resolve_citation):
    """render() with resolvers that answer one link or citation at a time."""
    return render(
        body,
        resolve_links=lambda targets: {target: resolve_link(target) for target in targets},
        resolve_citations=lambda refs: {ref: resolve_citation(ref) for ref in refs},
    )


def html(body: str, **resolvers) -> str:
    return rendered(body, **resolvers).html


def marked(body: str) -> str:
    """One paragraph's HTML with each citation-needed mark shown as "^"."""
    return html(body).replace(MARK, "^").removeprefix("<p>").removesuffix("</p>\n")


def ref_html(n: int, k: int = 1, key: str = "a", flags: str = "") -> str:
    link = f'<a href="#fn-{n}" id="fnref-{n}-{k}" title="Source {key}">[{n}]</a>'
    return f'{JOIN}<sup class="footnote-ref{flags}">{link}</sup>'


# Links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "links"),
    [
        ("[[Ahmad Shah Massoud]] led it.", ("Ahmad Shah Massoud",)),
        ("Massoud joined [[Northern Alliance|the Alliance]].", ("Northern Alliance",)),
        ("[[ Northern   Alliance | the Alliance ]]", ("Northern Alliance",)),
        ("*[[Kabul]]* and **[[Herat|the city]]**", ("Kabul", "Herat")),
        ("[[Kabul]], [[Herat]] and [[Kabul]] again.", ("Kabul", "Herat")),
        ("# About [[Kabul]]", ("Kabul",)),
        ("- [[Kabul]]\n  - [[Herat]]", ("Kabul", "Herat")),
        ("`[[Kabul]]` is code.", ()),
        ("```\n[[Kabul]]\n```", ()),
        (r"\[[Kabul]] is escaped.", ()),
        ("Unclosed [[Kabul and more.", ()),
        ("Empty [[]] and [[|label]] and [[Kabul\nHerat]].", ()),
    ],
)
def test_parse_finds_links(body, links):
    assert parse(body).links == links


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[[Kabul]]", '<a href="/actors/kabul/" class="wikilink">Kabul</a>'),
        (
            "[[Northern Alliance|the Alliance]]",
            '<a href="/actors/northern-alliance/" class="wikilink">the Alliance</a>',
        ),
        (
            "[[Nowhere Land]]",
            '<a href="/actors/new/?title=Nowhere+Land" class="wikilink new" '
            'title="Nowhere Land (page does not exist)">Nowhere Land</a>',
        ),
        ("*[[Kabul]]*", '<em><a href="/actors/kabul/" class="wikilink">Kabul</a></em>'),
        ("`[[Kabul]]`", "<code>[[Kabul]]</code>"),
        ("[[Kabul|<b>city</b>]]", 'class="wikilink">&lt;b&gt;city&lt;/b&gt;</a>'),
    ],
)
def test_render_links(body, expected):
    assert expected in html(body)


def test_render_link_keeps_the_tooltip_of_an_existing_page():
    def titled(target):
        return LinkTarget("/actors/massoud/", exists=True, title="Ahmad Shah Massoud (1953–2001)")

    assert 'title="Ahmad Shah Massoud (1953–2001)"' in html("[[Massoud]]", resolve_link=titled)


# Citations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "citations"),
    [
        (
            f'Massoud led it.[@ric-1999-afg00001 "{MASUD}"]',
            (CitationRef("ric-1999-afg00001", "", MASUD),),
        ),
        (
            'It was so.[@a, para. 3 "so it was said"]',
            (CitationRef("a", "para. 3", "so it was said"),),
        ),
        (f'Both.[@a "{X}"; @b "{Y}"]', (CitationRef("a", quote=X), CitationRef("b", quote=Y))),
        ("Whole document.[@a]", (CitationRef("a"),)),
        (r'He said.[@a "he said \"no\""]', (CitationRef("a", quote='he said "no"'),)),
        ('Odd.[@a "[My] forces; fight"]', (CitationRef("a", quote="[My] forces; fight"),)),
        ("Curly.[@a “Given the shift”]", (CitationRef("a", quote="Given the shift"),)),
        (f'One.[@a "{X}"] Two.[@b] One.[@a "{X}"]', (CitationRef("a", quote=X), CitationRef("b"))),
        (f'Two.[@a "{X}"][@a "{Y}"]', (CitationRef("a", quote=X), CitationRef("a", quote=Y))),
        ("[@a]: Massoud, not a link reference definition.", (CitationRef("a"),)),
        (r"Escaped \[@a] is text.", ()),
        ("Code `[@a]` is code.", ()),
        ('```\n[@a "never closed\n```', ()),
        ('Over lines.[@a\n  "over two\n  lines"]', (CitationRef("a", quote="over two\n  lines"),)),
        ("# Heading [@a]\n\n> Quoted.[@b]", (CitationRef("a"), CitationRef("b"))),
        ("Mail me at ops@example.org [not a citation].", ()),
    ],
)
def test_parse_finds_citations(body, citations):
    assert parse(body).citations == citations


def test_render_numbers_footnotes_in_order_and_reuses_numbers():
    page = rendered('One.[@a "x"] Two.[@b "y"] Three.[@a "x"]')
    assert page.html == (
        f"<p>One.{ref_html(1)} Two.{ref_html(2, key='b')} Three.{ref_html(1, k=2)}</p>\n"
    )
    assert [(note.number, note.ref, note.uses) for note in page.footnotes] == [
        (1, CitationRef("a", quote="x"), 2),
        (2, CitationRef("b", quote="y"), 1),
    ]
    assert page.footnotes[0].target == CitationTarget("/sources/a/#c1", "Source a")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('Anchored.[@a "x"]', ref_html(1)),
        ("Whole.[@a]", ref_html(1, flags=" unverified")),
        ('Orphaned.[@orph "x"]', ref_html(1, key="orph", flags=" orphaned")),
        (
            'Unknown source.[@missing "x"]',
            '<sup class="footnote-ref missing"><a href="#fn-1" id="fnref-1-1">[1]</a></sup>',
        ),
        ('Group.[@a "x"; @b]', ref_html(1) + ref_html(2, key="b", flags=" unverified")),
        (r"Escaped \[@a] stays.", "Escaped [@a] stays."),
    ],
)
def test_render_citation_markers(body, expected):
    assert expected in html(body)


def test_render_marks_a_citation_the_resolver_calls_unverified():
    def unverified(ref):
        return CitationTarget("/sources/a/", "Source a", status="unverified")

    assert ref_html(1, flags=" unverified") in html('It.[@a "x"]', resolve_citation=unverified)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            f'First line.\n\nThird line [@ric-1999 "{MASUD}]',
            'Line 3: Unclosed quote in citation starting "[@ric-1999 "Ahmad Shah Mas',
        ),
        ("Text ends with [@", 'Line 1: Missing key after "@" in citation starting "[@"'),
        ("Text [ @", 'Line 1: Missing key after "@"'),
        ("- fine [@a]\n- bad [@Bad Key]", 'Line 2: Bad key "@Bad"'),
        ("# Heading [@a, p. 3\n\nText.", 'Line 1: Missing "]" in citation starting "[@a, p. 3'),
        ('> one\n> two\n>\n> four [@a "x" and more]', 'Line 4: Text after the quote "and more]"'),
        (f'A paragraph\nover lines [@a "{X}";]', 'Line 2: Expected "@key" but found "]"'),
        ('Empty.[@a ""]', "Line 1: Empty quote"),
    ],
)
def test_malformed_citations_raise_markup_error_naming_the_line(body, message):
    with pytest.raises(MarkupError) as raised:
        parse(body)
    assert str(raised.value).startswith(message)
    with pytest.raises(MarkupError):
        html(body)


# Statements -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Left on 3 Dec. 1992. Back.", "Left on 3 Dec. 1992.^ Back.^"),
        ("The U.S. embassy closed. Staff left.", "The U.S. embassy closed.^ Staff left.^"),
        ("Mr Massoud arrived. He spoke.", "Mr Massoud arrived.^ He spoke.^"),
        ("Mr. Massoud arrived. He spoke.", "Mr. Massoud arrived.^ He spoke.^"),
        ("Dr. Abdullah spoke. Gen. Dostum came.", "Dr. Abdullah spoke.^ Gen. Dostum came.^"),
        ("Some, e.g. Jamiat, left. Few stayed.", "Some, e.g. Jamiat, left.^ Few stayed.^"),
        ("Most, i.e. Jamiat, left. Few stayed.", "Most, i.e. Jamiat, left.^ Few stayed.^"),
        ("Resolution No. 5 passed. It was ignored.", "Resolution No. 5 passed.^ It was ignored.^"),
        ("A. S. Massoud led it. He died in 2001.", "A. S. Massoud led it.^ He died in 2001.^"),
        ("About 3.5 million fled. Many returned.", "About 3.5 million fled.^ Many returned.^"),
        ("Paused... then on. Ended... Then.", "Paused... then on.^ Ended...^ Then.^"),
        ("Paused… then on. Ended… Then.", "Paused… then on.^ Ended…^ Then.^"),
        ('He said "We will fight." Then he left.', 'He said "We will fight."^ Then he left.^'),
        ("He said “We will fight.” Then he left.", "He said “We will fight.”^ Then he left.^"),
        ("(He left at once.) Then others came.", "(He left at once.)^ Then others came.^"),
        ("He left (for good). Then others came.", "He left (for good).^ Then others came.^"),
        ("Was it? Yes! Certainly.", "Was it?^ Yes!^ Certainly.^"),
        ("A sentence without a stop", "A sentence without a stop^"),
        ("He met [[Gen. Dostum]] in Kabul. He left.", "He met Gen. Dostum in Kabul.^ He left.^"),
        ("Met [[Dostum|Gen. Dostum]] in Kabul. Left.", "Met Gen. Dostum in Kabul.^ Left.^"),
        ('Said so [@a "Stop. Here. Mr."] in 1992. Then left.', "Said so[1] in 1992. Then left.^"),
    ],
)
def test_sentence_boundaries(body, expected):
    assert re.sub(r"<[^>]*>", "", marked(body)).replace(JOIN, "") == expected


@pytest.mark.parametrize(
    ("body", "sentences", "sourced"),
    [
        ("", 0, 0),
        (" \n\t\n", 0, 0),
        ("# A heading. With two sentences.", 0, 0),
        ("One. Two.[@a]", 2, 1),  # a citation backs its own sentence only
        ("One.[@a] Two.", 2, 1),
        ("One. [@a] Two. [@b] Three.", 3, 2),
        ("He died [@a]. He was buried in Jangalak.", 2, 1),  # a citation inside its sentence
        ("[@a] A citation at the start covers nothing.", 1, 0),
        ("First paragraph.\n\nSecond paragraph.[@a]", 2, 1),  # no help across paragraphs
        ("- One. [@a]\n- Two.\n  - Three.[@b]", 3, 2),
        ("- Loose item.\n\n  Its second paragraph.[@a]", 2, 1),  # the unit is the paragraph
        ("# Title\n\nText.[@a]\n\n## Section\n\nMore text. Unsourced tail.", 3, 1),
        ("Text.[@a]\n\n```\nCode. Is not. Prose.\n```\n\n    Indented code. Too.", 1, 1),
        ("> Ours is a just war.\n> — Ahmad Shah Massoud, 1998", 1, 0),  # attribution: no statement
        ("> Ours is a just war.[@a]\n> — Ahmad Shah Massoud, 1998", 1, 1),
        ("## See also\n\n- [[Kabul]]\n- [[Herat|the city]], [site](https://example.org)", 0, 0),
        ("[[Massoud]] led the defence of [[Kabul]].", 1, 0),  # words outside links: a statement
        ('Said so [@a "Stop. Here. Now. Mr."] in 1992. Then left.', 2, 1),
        ("Run `rm -rf . Now` first. Then stop.", 2, 0),
    ],
)
def test_coverage_counts(body, sentences, sourced):
    page = rendered(body)
    assert parse(body).coverage == Coverage(sourced, sentences) == page.coverage
    assert page.html.count(MARK) == sentences - sourced


@pytest.mark.parametrize(
    ("sentences", "sourced", "ratio", "percent"),
    [(0, 0, 1.0, 100), (4, 3, 0.75, 75), (3, 0, 0.0, 0), (2, 2, 1.0, 100), (3, 2, 2 / 3, 66)],
)
def test_coverage_property(sentences, sourced, ratio, percent):
    coverage = ParsedPage((), (), sentences, sourced).coverage
    assert (coverage.ratio, coverage.percent, float(coverage)) == (ratio, percent, ratio)
    assert coverage.is_complete == (sourced == sentences)


@pytest.mark.parametrize(("sourced", "total", "percent"), [(29, 100, 29), (995, 1000, 99)])
def test_coverage_percent_is_exact_and_rounds_down(sourced, total, percent):
    # 29 / 100 * 100 is 28.999… in floating point: the percentage comes from the counts.
    assert Coverage(sourced, total).percent == percent


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("He was *very brave.* Then he left.", "He was <em>very brave.</em>^ Then he left.^"),
        ("*He left. Then he came.*", "<em>He left.^ Then he came.</em>^"),
        ("Term **bold. Strong** end.", "Term <strong>bold.^ Strong</strong> end.^"),
        ("He met [[Massoud]]", 'He met <a href="/actors/massoud/" class="wikilink">Massoud</a>^'),
        ("[Massoud](/x) led it.", '<a href="/x">Massoud</a> led it.^'),
        ("He [left it.](/x) Then.", 'He <a href="/x">left it.</a>^ Then.^'),
        ("Run `ls -l`. Then go.", "Run <code>ls -l</code>.^ Then go.^"),
        ("Quote `Mr. X. Y.` here. Then go.", "Quote <code>Mr. X. Y.</code> here.^ Then go.^"),
        ("He left.\nThen he came.", "He left.^\nThen he came.^"),
        ("He left.  \nThen he came.", "He left.^<br>\nThen he came.^"),
        ("Sourced.[@a] Unsourced.", f"Sourced.{ref_html(1, flags=' unverified')} Unsourced.^"),
        ("One.[@a] Two. Three.", f"One.{ref_html(1, flags=' unverified')} Two.^ Three.^"),
        ("In [@a] it. Not.", f"In{ref_html(1, flags=' unverified')} it. Not.^"),
    ],
)
def test_citation_needed_marks_follow_unsourced_sentences(body, expected):
    assert marked(body) == expected


def test_citation_needed_marks_sit_in_list_items_and_quotes():
    body = "- Sourced.[@a]\n- Unsourced.\n\n> Quoted.\n> — Massoud\n\n# Heading"
    assert html(body).replace(MARK, "^") == (
        "<ul>\n"
        f"<li>Sourced.{ref_html(1, flags=' unverified')}</li>\n"
        "<li>Unsourced.^</li>\n"
        "</ul>\n"
        "<blockquote>\n<p>Quoted.^\n— Massoud</p>\n</blockquote>\n"
        "<h1>Heading</h1>\n"
    )


def test_long_paragraphs_split_as_short_ones_do():
    sentence = "Gen. Dostum met Mr. Smith in Dec. 1992 about No. 5 and 3.5 million people."
    assert parse(" ".join([sentence] * 400)).sentences == 400
    assert parse("word " * 1000 + "ends here. And another one.").sentences == 2


# Sanitising -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "kept", "gone"),
    [
        ("[x](javascript:alert(1))", "x", 'href="javascript'),
        ("[x](JaVaScRiPt:alert(1))", "x", "href"),
        ("<javascript:alert(1)>", "alert", "href"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "x", "href"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script"),
        ("<img src=x onerror=alert(1)>", "&lt;img", "<img"),
        ('<a href="/x" onclick="evil()">x</a>', "&lt;a href", "<a href"),
        ("![chart](https://e.org/c.png)", '!<a href="https://e.org/c.png">chart</a>', "<img"),
        ("[ok](https://example.org/a?b=1&c=2)", 'href="https://example.org/a?b=1&amp;c=2"', "rel="),
        ("[mail](mailto:desk@example.org)", 'href="mailto:desk@example.org"', "<script"),
        ("[page](/actors/massoud/#early-life)", 'href="/actors/massoud/#early-life"', "<script"),
        ("```py\nx = 1\n```", '<pre><code class="language-py">x = 1\n</code></pre>', "<b"),
        ("3. third\n4. fourth", '<ol start="3">', "<script"),
    ],
)
def test_sanitising(body, kept, gone):
    page = html(body).replace(MARK, "")
    assert kept in page
    assert gone not in page


def test_sanitiser_drops_a_bad_url_from_a_resolver():
    def hostile(target):
        return LinkTarget("javascript:alert(1)", exists=True)

    assert "javascript" not in html("[[Kabul]]", resolve_link=hostile)


# Robustness -----------------------------------------------------------------------------------

QUICK = 4.0  # seconds: the ~2 s budget, with room for a busy shared machine
NASTY = {
    "empty": "",
    "only white space": " \n\t\r\n  ",
    "5,000 nested lists on one line": "- " * 5000 + "deep",
    "5,000 nested lists indented": "".join("  " * i + "- x\n" for i in range(5000)),
    "5,000 nested quotes": ">" * 5000 + " deep",
    "1 MB single line": "Massoud led it. " * 62_500,
    "10,000 citations": "".join(f"[@k{i}]" for i in range(10_000)),
    "10,000 citations in one group": "Fact.[" + ";".join(f"@k{i}" for i in range(10_000)) + "]",
    "unclosed [[": "See [[Ahmad Shah Massoud and more",
    "[@ at the end": "Text ending in [@",
    "unclosed quote": 'Text [@a "' + "never closed " * 1000,
    "runs of [": "[" * MAX_BODY_CHARS,
    "runs of [[": "[[a" * (MAX_BODY_CHARS // 3),
    "runs of !(": "!(" * (MAX_BODY_CHARS // 2),  # sentencex alone is quadratic on this
    "runs of *_": "*_a" * (MAX_BODY_CHARS // 3),
    "25,000 list items": "- a\n" * (MAX_BODY_CHARS // 4),  # the slowest known for markdown-it
    "lone surrogate": "He left.\ud800 Then.",
    "NUL and CR": "He left.\x00\r\nThen.\r",
    "emoji": "😀 He left.[@a] 😀 Then. 👋🏽",
}


@pytest.mark.parametrize("body", NASTY.values(), ids=NASTY.keys())
def test_any_input_reads_or_raises_markup_error_quickly(body):
    for read in (parse, html):
        started = time.perf_counter()
        with suppress(MarkupError):
            read(body)
        assert time.perf_counter() - started < QUICK


def test_a_thousand_citations_are_all_read_and_ten_thousand_refused():
    assert len(parse("".join(f"[@k{i}]" for i in range(1_000))).citations) == 1_000
    with pytest.raises(MarkupError, match="10,000 citations"):
        parse("".join(f"[@k{i}]" for i in range(10_000)))


def test_an_over_long_body_is_refused_with_its_length():
    with pytest.raises(MarkupError, match="The page is 1,000,000 characters long"):
        parse("x" * 1_000_000)


@pytest.mark.parametrize("seed", range(30))
def test_random_markup_reads_or_raises_markup_error(seed):
    chance = random.Random(seed)
    body = "".join(chance.choice('[]@"“”\\;,|*_`>-#\n .!?(){}<>:ab1') for _ in range(3000))
    try:
        parse(body)
        html(body)
    except MarkupError as error:
        assert str(error).startswith("Line ")


def test_a_long_page_renders_fast():
    sentence = 'Gen. [[Massoud]] met *Dr.* Abdullah in Dec. 1992.[@ric-{0}, para. 3 "{1}"]'
    paragraphs = [
        " ".join(sentence.format(p, MASUD) for _ in range(5)) + " A tail." for p in range(60)
    ]
    body = "\n\n".join(paragraphs)
    started = time.perf_counter()
    parsed, page = parse(body), html(body)
    assert time.perf_counter() - started < 0.5  # about 0.05 s on a developer machine
    assert (parsed.sentences, parsed.sourced, len(parsed.citations)) == (360, 300, 60)
    assert page.count("footnote-ref") == 300
