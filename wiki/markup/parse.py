"""The wiki markup: CommonMark with [[links]] and [@key "quoted"] citations, read and rendered.

A statement is a sentence of prose in a paragraph, whether the paragraph stands alone, sits in a
list item or in a block quote (a quotation needs its source like any other statement). Headings,
code and tables are not statements, and neither is a sentence whose words all sit inside links
(a "see also" item is navigation). Sentence boundaries come from sentencex.

A sentence is sourced when a citation is attached to it: placed inside it, or after its end
before the next sentence begins. A citation vouches for its own sentence only, never for the
sentences before it; one at the very start of a paragraph covers nothing. An unsourced sentence
renders with a "citation needed" mark right after it.

The support check: in a sourced sentence, each number, date and linked page's name that none of
the sentence's quotes carries renders inside an element of class "unsupported-detail"
(wiki.markup.support says what counts and how forgivingly it is matched).

Saving is strict and reading is lenient: parse() refuses a quote shorter than a passage
(sources.citations.syntax), render() still shows a body saved before that rule.
"""

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import nh3
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from sources.citations.syntax import CitationRef
from wiki.markup.plugins import MarkupError, make_markdown
from wiki.markup.statements import (
    Coverage,
    Sentence,
    SupportSources,
    Unsupported,
    count_statements,
    sentences,
)

# markdown-it-py reads markup-dense text (thousands of one-word list items, runs of emphasis or
# brackets) at up to 17 microseconds a character; this cap keeps any body within about 2 s. It
# is some 10,000 words with their citations, past where Wikipedia advises splitting an article.
MAX_BODY_CHARS = 100_000
# Each [@…] costs a footnote to render and a passage to look up on save; a cited sentence every
# ten words of a full-length page stays well below this.
MAX_CITATIONS = 1_000
# Block markup costs markdown-it some 40 microseconds a line (25,000 one-word list items take
# over a second); a long list of names fills a few hundred.
MAX_LINES = 5_000
# Block containers (list items, block quotes) that markdown-it opens: it reads nothing deeper
# than its maxNesting levels, so whatever sits below would vanish without a word.
_CONTAINERS = frozenset({"list_item_open", "blockquote_open"})

__all__ = [
    "MAX_BODY_CHARS",
    "MAX_CITATIONS",
    "MAX_LINES",
    "CitationTarget",
    "Coverage",
    "Footnote",
    "LinkTarget",
    "MarkupError",
    "ParsedPage",
    "RenderedPage",
    "Unsupported",
    "parse",
    "render",
]


@dataclass(frozen=True)
class ParsedPage:
    """What a page body says: its links, its citations and how much of it is sourced."""

    links: tuple[str, ...]
    citations: tuple[CitationRef, ...]
    sentences: int
    sourced: int

    @property
    def coverage(self) -> Coverage:
        """Sourced sentences out of all of them (page_save stores the counts and the ratio)."""
        return Coverage(self.sourced, self.sentences)


@dataclass(frozen=True)
class LinkTarget:
    """Where a [[link]] goes; a target that does not exist renders as a red link."""

    url: str
    exists: bool
    title: str = ""
    names: tuple[str, ...] = ()  # every name of the page (title, aliases): quotes may use any


@dataclass(frozen=True)
class CitationTarget:
    """Where a citation's footnote points: the passage in the source viewer."""

    url: str
    label: str
    status: str = "anchored"  # anchored | orphaned | unverified | withheld (a protected source)


@dataclass(frozen=True)
class Footnote:
    """One numbered entry of the reference list, cited `uses` times in the text."""

    number: int
    ref: CitationRef
    target: CitationTarget | None
    uses: int = 1  # its markers are #fnref-<number>-1 to #fnref-<number>-<uses>


@dataclass(frozen=True)
class RenderedPage:
    """A page body as sanitised HTML, with its footnotes as data for the template."""

    html: str
    footnotes: tuple[Footnote, ...]
    coverage: Coverage
    unsupported: tuple[Unsupported, ...] = ()  # details no quote of their sentence carries


# Resolvers are asked once per render, for everything at once, so that each can be one query.
LinkResolver = Callable[[Sequence[str]], Mapping[str, LinkTarget]]
CitationResolver = Callable[[Sequence[CitationRef]], Mapping[CitationRef, CitationTarget | None]]


def parse(body: str, *, passages: bool = True) -> ParsedPage:
    """The links, citations and sentence counts of a page body; MarkupError if it cannot be read.

    passages=False reads a quote shorter than a passage too, as render() does: for counting
    what was saved before that rule, never for saving.
    """
    tokens, links, citations = _read(body, passages=passages)
    coverage = count_statements(tokens, mark=False).coverage
    return ParsedPage(links, citations, coverage.total, coverage.sourced)


def cited_sentences(body: str) -> tuple[tuple[CitationRef, ...], list[Sentence]]:
    """The body's distinct citations in order (as its saved uses number them, from 1) and its
    sentences with the citations of each; MarkupError if it cannot be read."""
    tokens, _, citations = _read(body, passages=False)
    return citations, sentences(tokens)


def render(
    body: str, *, resolve_links: LinkResolver, resolve_citations: CitationResolver
) -> RenderedPage:
    """A page body as sanitised HTML with footnote markers, red links and citation-needed marks.

    resolve_links gets every distinct [[target]] and resolve_citations every distinct citation,
    in order of first appearance (the order of parse(body).citations); each returns what each
    one resolves to. A LinkTarget without a url renders as plain text; a citation without a
    target is not judged by the support check. MarkupError where parse would raise it, but for
    a quote shorter than a passage, which a body saved before that rule may hold.
    """
    tokens, links, citations = _read(body, passages=False)
    resolved = _Resolved(resolve_links(links), resolve_citations(citations))
    statements = count_statements(tokens, mark=True, support=resolved.support())
    _attach_citations(tokens)
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {"attest": resolved})
    return RenderedPage(
        _CLEANER.clean(html), resolved.numbered(), statements.coverage, statements.unsupported
    )


def _read(
    body: str, *, passages: bool = True
) -> tuple[list[Token], tuple[str, ...], tuple[CitationRef, ...]]:
    """The body's tokens, its distinct link targets and citations; MarkupError past the limits
    (and, with passages, for a quote too short to be a passage)."""
    lines = body.count("\n") + 1
    if lines > MAX_LINES:
        raise MarkupError(
            f"The page has {lines:,} lines, more than the {MAX_LINES:,} a page may hold: split "
            "it into several pages"
        )
    # Far too many citations are refused before the (costly) parse; a body near the limit is
    # counted exactly below. Twice the limit leaves room for [@ in code and escaped brackets.
    opened = body.count("[@")
    if opened > 2 * MAX_CITATIONS:
        _refuse_citation_count(opened)
    tokens = _tokens(body, passages=passages)
    _refuse_deep_nesting(tokens)
    links: dict[str, None] = {}
    citations: dict[CitationRef, None] = {}
    cited = 0
    for child in _inline_children(tokens):
        if child.type == "wikilink":
            links[child.meta["target"]] = None
        elif child.type == "citation":
            citations.update(dict.fromkeys(child.meta["refs"]))
            cited += len(child.meta["refs"])
    if cited > MAX_CITATIONS:
        _refuse_citation_count(cited)
    return tokens, tuple(links), tuple(citations)


def _refuse_citation_count(cited: int):
    raise MarkupError(
        f"The page has {cited:,} citations, more than the {MAX_CITATIONS:,} a page may "
        "hold: split it into several pages"
    )


def _tokens(body: str, *, passages: bool) -> list[Token]:
    if len(body) > MAX_BODY_CHARS:
        raise MarkupError(
            f"The page is {len(body):,} characters long, more than the {MAX_BODY_CHARS:,} "
            "a page may hold: split it into several pages"
        )
    # A lone surrogate cannot cross into the Rust of nh3 and sentencex; show it as "?" instead.
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:
        body = body.encode("utf-8", "replace").decode("utf-8")
    return _MARKDOWN.parse(body, {"attest_passages": passages})


def _refuse_deep_nesting(tokens: list[Token]) -> None:
    """MarkupError where lists or block quotes nest deeper than markdown-it reads."""
    deepest = _MARKDOWN.options.maxNesting - 1
    for token in tokens:
        if token.type in _CONTAINERS and token.level >= deepest:
            line = token.map[0] + 1 if token.map else 1
            raise MarkupError(
                f"Line {line} nests lists or block quotes too deeply to be read (nine lists "
                "or nineteen quotes at most): flatten them"
            )


# U+2060 WORD JOINER: no line break between a sentence and the marks that follow it.
_JOIN = "\u2060"


def _attach_citations(tokens: list[Token]) -> None:
    """Drop the space typed before a citation, so its marker never wraps onto a line alone."""
    for token in tokens:
        children = token.children or ()
        for before, child in zip(children, children[1:], strict=False):
            if child.type == "citation" and before.type == "text":
                before.content = before.content.rstrip()


def _inline_children(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        if token.type == "inline":
            yield from token.children or ()


# Rendering ----------------------------------------------------------------------------------


class _Resolved:
    """What the resolvers found for one render; numbers footnotes and counts their markers."""

    def __init__(
        self,
        links: Mapping[str, LinkTarget],
        targets: Mapping[CitationRef, CitationTarget | None],
    ):
        self._links, self._targets = links, targets
        self.footnotes: dict[CitationRef, Footnote] = {}
        self._anchors: Counter[CitationRef] = Counter()

    def link(self, target: str) -> LinkTarget:
        return self._links[target]

    def footnote(self, ref: CitationRef) -> tuple[Footnote, int]:
        if ref not in self.footnotes:
            number = len(self.footnotes) + 1
            self.footnotes[ref] = Footnote(number, ref, self._targets.get(ref))
        self._anchors[ref] += 1
        return self.footnotes[ref], self._anchors[ref]

    def support(self) -> SupportSources:
        """What the support check asks of this render: quotes and linked pages' names."""
        return SupportSources(self._quotes, lambda target: self._links[target].names)

    def _quotes(self, refs) -> tuple[str, ...] | None:
        # A citation with no target is unknown or withheld: its sentence is not judged.
        if any(_withheld(self._targets.get(ref)) for ref in refs):
            return None
        return tuple(ref.quote for ref in refs if ref.quote)

    def numbered(self) -> tuple[Footnote, ...]:
        """The footnotes in number order, each with how often the text cites it."""
        return tuple(replace(note, uses=self._anchors[ref]) for ref, note in self.footnotes.items())


def _render_wikilink(renderer, tokens, idx, options, env) -> str:
    token = tokens[idx]
    target = env["attest"].link(token.meta["target"])
    label = escapeHtml(token.content)
    if not target.url:  # a page this reader may not see or create: plain text, no link
        return f'<span class="wikilink-plain">{label}</span>'
    classes, title = "wikilink", target.title
    if not target.exists:
        classes += " new"
        title = f"{target.title or token.meta['target']} (page does not exist)"
    title_attr = f' title="{escapeHtml(title)}"' if title else ""
    return f'<a href="{escapeHtml(target.url)}" class="{classes}"{title_attr}>{label}</a>'


def _render_citation(renderer, tokens, idx, options, env) -> str:
    resolved = env["attest"]
    return "".join(_footnote_ref(*resolved.footnote(ref)) for ref in tokens[idx].meta["refs"])


def _footnote_ref(note: Footnote, anchor: int) -> str:
    classes = " ".join(["footnote-ref", *_citation_flags(note)])
    label = note.target.label if note.target else ""
    title = f' title="{escapeHtml(label)}"' if label else ""
    n = note.number
    link = f'<a href="#fn-{n}" id="fnref-{n}-{anchor}"{title}>[{n}]</a>'
    return f'{_JOIN}<sup class="{classes}">{link}</sup>'


def _citation_flags(note: Footnote) -> list[str]:
    status = note.target.status if note.target else "missing"
    flags = []
    if status == "withheld":  # a protected source: the public learns nothing of the citation
        return ["withheld"]
    if note.ref.is_whole_document or status == "unverified":
        flags.append("unverified")
    if status in ("orphaned", "missing"):
        flags.append(status)
    return flags


def _withheld(target: CitationTarget | None) -> bool:
    """A footnote whose source the reader may not see (a protected one says so)."""
    return target is None or target.status == "withheld"


def _render_citation_needed(renderer, tokens, idx, options, env) -> str:
    return f'{_JOIN}<sup class="citation-needed"><a href="#coverage">citation needed</a></sup>'


UNSUPPORTED_TITLE = "Not in the quoted passage: no quote of this sentence carries this detail"


def _render_detail_open(renderer, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    anchor = f' id="detail-{meta["number"]}"' if meta["anchored"] else ""
    return f'<span class="unsupported-detail"{anchor} title="{UNSUPPORTED_TITLE}">'


def _render_detail_close(renderer, tokens, idx, options, env) -> str:
    return "</span>"


_MARKDOWN = make_markdown()
_MARKDOWN.add_render_rule("wikilink", _render_wikilink)
_MARKDOWN.add_render_rule("citation", _render_citation)
_MARKDOWN.add_render_rule("citation_needed", _render_citation_needed)
_MARKDOWN.add_render_rule("detail_open", _render_detail_open)
_MARKDOWN.add_render_rule("detail_close", _render_detail_close)

# The second wall after html=False: only what the renderer emits, only safe URL schemes.
_CLEANER = nh3.Cleaner(
    tags={"a", "sup", "span", "em", "strong", "code", "pre", "ul", "ol", "li", "p"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "br"}
    | {"table", "thead", "tbody", "tr", "th", "td"},
    attributes={"*": {"class", "id", "title"}, "a": {"href"}, "ol": {"start"}},
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
)
