"""The wiki markup: CommonMark with [[links]] and [@key "quoted"] citations, read and rendered.

A statement is a sentence of prose in a paragraph, whether the paragraph stands alone, sits in a
list item or in a block quote (a quotation needs its source like any other statement). Headings,
code and tables are not statements, and neither is a sentence whose words all sit inside links
(a "see also" item is navigation). Sentence boundaries come from sentencex.

A sentence is sourced when a citation stands inside it or after it in the same paragraph: a
citation covers the text before it back to the previous one. A citation at the very start of a
paragraph covers nothing. Sentences after a paragraph's last citation are unsourced, and render
with a "citation needed" mark right after them.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import nh3
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from sentencex import get_sentence_boundaries

from sources.citation_refs import CitationRef
from wiki.markup_plugins import MarkupError, make_markdown

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
# sentencex slows down quadratically on long runs of sentence ends ("!(" repeated), so a
# paragraph is read a window at a time; paragraphs shorter than a window split exactly as
# sentencex splits them, and an unclosed quote cannot swallow more than a window.
_SENTENCE_WINDOW = 2_000
_LOOKAHEAD = 200
# A sentence end that sentencex misses: an ellipsis, or a stop inside a closing bracket, before
# a capital letter.
_END_BEFORE_CAPITAL = re.compile(r"(…|[.!?]+[)\]]+)(?=\s+[\"“‘'(\[]*(\w))")
# In a block quote, a line such as "— Ahmad Shah Massoud, 1998" names the speaker: no statement.
_ATTRIBUTION = re.compile(r"[—―–]|--")

__all__ = [
    "MAX_BODY_CHARS",
    "MAX_CITATIONS",
    "MAX_LINES",
    "CitationTarget",
    "Footnote",
    "LinkTarget",
    "MarkupError",
    "ParsedPage",
    "RenderedPage",
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
    def coverage(self) -> float:
        """Sourced sentences over all sentences; 1.0 for a page without any."""
        return self.sourced / self.sentences if self.sentences else 1.0


@dataclass(frozen=True)
class LinkTarget:
    """Where a [[link]] goes; a target that does not exist renders as a red link."""

    url: str
    exists: bool
    title: str = ""


@dataclass(frozen=True)
class CitationTarget:
    """Where a citation's footnote points: the passage in the source viewer."""

    url: str
    label: str
    status: str = "anchored"  # anchored | orphaned | unverified


@dataclass(frozen=True)
class Footnote:
    """One numbered entry of the reference list."""

    number: int
    ref: CitationRef
    target: CitationTarget | None


@dataclass(frozen=True)
class RenderedPage:
    """A page body as sanitised HTML, with its footnotes as data for the template."""

    html: str
    footnotes: tuple[Footnote, ...]
    sentences: int
    sourced: int


def parse(body: str) -> ParsedPage:
    """The links, citations and sentence counts of a page body; MarkupError if it cannot be read."""
    lines = body.count("\n") + 1
    if lines > MAX_LINES:
        raise MarkupError(
            f"The page has {lines:,} lines, more than the {MAX_LINES:,} a page may hold: split "
            "it into several pages"
        )
    tokens = _tokens(body)
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
        raise MarkupError(
            f"The page has {cited:,} citations, more than the {MAX_CITATIONS:,} a page may "
            "hold: split it into several pages"
        )
    sentences, sourced = _count_statements(tokens, mark=False)
    return ParsedPage(tuple(links), tuple(citations), sentences, sourced)


def render(
    body: str,
    *,
    resolve_link: Callable[[str], LinkTarget],
    resolve_citation: Callable[[CitationRef], CitationTarget | None],
) -> RenderedPage:
    """A page body as sanitised HTML with footnote markers, red links and citation-needed marks.

    resolve_citation is called once per distinct citation, in order of first appearance: the
    order of parse(body).citations. A LinkTarget without a url renders as plain text.
    """
    tokens = _tokens(body)
    sentences, sourced = _count_statements(tokens, mark=True)
    _attach_citations(tokens)
    resolved = _Resolved(resolve_link, resolve_citation)
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {"attest": resolved})
    return RenderedPage(
        _CLEANER.clean(html), tuple(resolved.footnotes.values()), sentences, sourced
    )


def _tokens(body: str) -> list[Token]:
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
    return _MARKDOWN.parse(body, {})


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


# Statements ---------------------------------------------------------------------------------


@dataclass
class _Block:
    """One paragraph's inline tokens and the plain text a reader sees in them."""

    children: list[Token]
    starts: list[int] = field(default_factory=list)  # where each child begins in text
    text: str = ""  # citations take no room, so they never split or join sentences
    prose: str = ""  # text with link labels blanked: words there are navigation
    citations: list[int] = field(default_factory=list)  # offsets in text


def _count_statements(tokens: list[Token], *, mark: bool) -> tuple[int, int]:
    # Only paragraphs hold statements; a list item's or block quote's text is a paragraph too.
    sentences = sourced = quote_depth = 0
    for index, token in enumerate(tokens):
        quote_depth += (token.type == "blockquote_open") - (token.type == "blockquote_close")
        if token.type != "inline" or tokens[index - 1].type != "paragraph_open":
            continue
        block = _read_block(token.children or [])
        spans = _sentences(block, in_quote=quote_depth > 0)
        last_citation = max(block.citations, default=-1)
        covered = sum(start < last_citation for start, _ in spans)
        sentences, sourced = sentences + len(spans), sourced + covered
        if mark and covered < len(spans):
            token.children = _insert_marks(block, [end for _, end in spans[covered:]])
    return sentences, sourced


def _read_block(children: list[Token]) -> _Block:
    block, parts, prose, offset, link_depth = _Block(children), [], [], 0, 0
    for child in children:
        block.starts.append(offset)
        piece = _plain(child)
        link_depth += (child.type == "link_open") - (child.type == "link_close")
        if child.type == "citation":
            block.citations.append(offset)
        parts.append(piece)
        is_label = link_depth > 0 or child.type == "wikilink"
        prose.append(" " * len(piece) if is_label else piece)
        offset += len(piece)
    block.text, block.prose = "".join(parts), "".join(prose)
    return block


def _plain(child: Token) -> str:
    if child.type in ("text", "wikilink"):
        return child.content
    if child.type in ("softbreak", "hardbreak"):
        return " "
    if child.type == "code_inline":
        return "code"  # what code says (file.txt, e.g.) must not end a sentence
    return ""  # citations and the edges of emphasis or links take no room


def _sentences(block: _Block, *, in_quote: bool) -> list[tuple[int, int]]:
    """(first, past-last) visible character of each statement in the block."""
    spans: list[tuple[int, int, bool]] = []
    for start, end in _segments(_for_splitter(block.text)):
        segment = block.text[start:end]
        last = start + len(segment.rstrip())
        if not any(char.isalnum() for char in segment):
            if spans:  # a stray closing quote or bracket belongs to the sentence before it
                spans[-1] = (spans[-1][0], max(spans[-1][1], last), spans[-1][2])
            continue
        first = start + len(segment) - len(segment.lstrip())
        is_statement = any(char.isalnum() for char in block.prose[start:end]) and not (
            in_quote and _ATTRIBUTION.match(block.text, first)
        )
        spans.append((first, last, is_statement))
    return [(first, last) for first, last, is_statement in spans if is_statement]


def _for_splitter(text: str) -> str:
    """text as sentencex reads it best: the same length, so offsets still point into text."""
    return _END_BEFORE_CAPITAL.sub(_end_first, text)


def _end_first(match: re.Match) -> str:
    # "(He left.) Then" ends a sentence as "(He left). Then" does; "… Then" as "... Then".
    end = match[1]
    if not match[2].isupper():
        return end
    if end == "…":
        return "."
    stop = end.rstrip(")]")
    return end[len(stop) :] + stop


def _segments(text: str) -> Iterator[tuple[int, int]]:
    """sentencex's sentence spans of text, read a window at a time so the cost stays linear."""
    pos = sentence_start = 0  # a sentence longer than a window carries on into the next
    while True:
        last_window = len(text) - pos <= _SENTENCE_WINDOW
        cut = len(text) if last_window else _window_end(text, pos)
        spans = [
            (pos + found["start_index"], pos + found["end_index"])
            for found in get_sentence_boundaries("en", text[pos:cut])
        ] or [(pos, cut)]
        final = spans if last_window else _settled(spans, cut)
        if not final:
            pos = cut
            continue
        final[0] = (sentence_start, final[0][1])
        yield from final
        if last_window:
            return
        pos = sentence_start = final[-1][1]


def _settled(spans: list[tuple[int, int]], cut: int) -> list[tuple[int, int]]:
    # Keep a boundary only with enough text after it for sentencex to judge it (an opening
    # quote cut off at the window's end reads as a stray one); the rest is read again.
    settled = [span for span in spans[:-1] if span[1] <= cut - _LOOKAHEAD]
    return settled or spans[:1] if len(spans) > 1 else []


def _window_end(text: str, pos: int) -> int:
    # Cut between words, so that a window never splits an abbreviation such as "Gen." in two.
    cut = text.rfind(" ", pos + 1, pos + _SENTENCE_WINDOW)
    return cut if cut > pos else pos + _SENTENCE_WINDOW


def _insert_marks(block: _Block, cuts: list[int]) -> list[Token]:
    """The block's children with a citation-needed token after each cut (a sentence's end)."""
    out: list[Token] = []
    pending, remaining = 0, iter(cuts)
    cut = next(remaining, None)
    for child, start in zip(block.children, block.starts, strict=True):
        if pending and not child.type.endswith("_close"):
            out += [_mark() for _ in range(pending)]
            pending = 0
        end = start + len(_plain(child))
        done = 0
        while cut is not None and start < cut <= end:
            local = cut - start
            if child.type == "text" and local < len(child.content):
                out += [_text(child.content[done:local]), _mark()]
                done = local
            else:  # at the end of this token: after any closing emphasis or link, too
                pending += 1
            cut = next(remaining, None)
        out.append(_text(child.content[done:]) if done else child)
    return out + [_mark() for _ in range(pending)]


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _mark() -> Token:
    return Token("citation_needed", "", 0)


# Rendering ----------------------------------------------------------------------------------


class _Resolved:
    """Looks each link target and each cited ref up once per render, and numbers footnotes."""

    def __init__(
        self,
        resolve_link: Callable[[str], LinkTarget],
        resolve_citation: Callable[[CitationRef], CitationTarget | None],
    ):
        self._resolve_link, self._resolve_citation = resolve_link, resolve_citation
        self.links: dict[str, LinkTarget] = {}
        self.footnotes: dict[CitationRef, Footnote] = {}
        self._anchors: Counter[CitationRef] = Counter()

    def link(self, target: str) -> LinkTarget:
        if target not in self.links:
            self.links[target] = self._resolve_link(target)
        return self.links[target]

    def footnote(self, ref: CitationRef) -> tuple[Footnote, int]:
        if ref not in self.footnotes:
            number = len(self.footnotes) + 1
            self.footnotes[ref] = Footnote(number, ref, self._resolve_citation(ref))
        self._anchors[ref] += 1
        return self.footnotes[ref], self._anchors[ref]


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
    if note.ref.is_whole_document or status == "unverified":
        flags.append("unverified")
    if status in ("orphaned", "missing"):
        flags.append(status)
    return flags


def _render_citation_needed(renderer, tokens, idx, options, env) -> str:
    return f'{_JOIN}<sup class="citation-needed"><a href="#coverage">citation needed</a></sup>'


_MARKDOWN = make_markdown()
_MARKDOWN.add_render_rule("wikilink", _render_wikilink)
_MARKDOWN.add_render_rule("citation", _render_citation)
_MARKDOWN.add_render_rule("citation_needed", _render_citation_needed)

# The second wall after html=False: only what the renderer emits, only safe URL schemes.
_CLEANER = nh3.Cleaner(
    tags={"a", "sup", "span", "em", "strong", "code", "pre", "ul", "ol", "li", "p"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "br"}
    | {"table", "thead", "tbody", "tr", "th", "td"},
    attributes={"*": {"class", "id", "title"}, "a": {"href"}, "ol": {"start"}},
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
)
