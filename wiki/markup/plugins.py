"""markdown-it-py plugins for the two inline forms: [[wiki links]] and [@key "quoted"] citations.

Each form becomes one token: ``wikilink`` (content: the label, meta: target) or ``citation``
(meta: refs, a tuple of CitationRef). A malformed citation stops the parse with a MarkupError that
names the line where the citation starts.
"""

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock, reference
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline, link

from sources.citations.syntax import CitationRef, CitationSyntaxError
from sources.citations.syntax import read_group as _read_refs

# A wiki link holds no brackets and no line break; the length cap keeps an unclosed "[[" in a long
# line from being searched to the end of the line again and again.
_WIKILINK = re.compile(r"\[\[([^\[\]\n]{1,500})\]\]")
_CITATION_START = re.compile(r"\[\s*@")


class MarkupError(ValueError):
    """A page body that cannot be read; the message names the line and what is wrong."""


def make_markdown() -> MarkdownIt:
    """A CommonMark parser (raw HTML off, nesting limit kept) that knows links and citations."""
    md = MarkdownIt("commonmark", {"html": False})
    # Images would be dropped by the sanitiser without a trace; as plain text they stay visible.
    md.disable("image")
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.inline.ruler.before("link", "citation", citation_rule)
    md.inline.ruler.at("link", _link_if_it_can_close)
    md.block.ruler.at("reference", _reference_unless_citation)
    md.core.ruler.at("inline", _inline_with_line_numbers)
    return md


def read_group(
    text: str, start: int, *, passages: bool = True
) -> tuple[tuple[CitationRef, ...], int]:
    """The citations of the group opening at text[start], and the offset just past its "]".

    passages=False reads a quote shorter than a passage too (rendering what was saved before
    that rule); saving always refuses one."""
    refs, end = _read_refs(text, start, passages=passages)
    return tuple(refs), end


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    """[[Target]] or [[Target|label]]: a link to another page of the wiki."""
    match = _WIKILINK.match(state.src, state.pos, state.posMax)
    if not match:
        return False
    target, _, label = match[1].partition("|")
    target = " ".join(target.split())
    if not target:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = " ".join(label.split()) or target
        token.meta = {"target": target}
    state.pos = match.end()
    return True


def citation_rule(state: StateInline, silent: bool) -> bool:
    """[@key, locator "quote"; @other]: one group of citations."""
    if not _CITATION_START.match(state.src, state.pos, state.posMax):
        return False
    # Inside a link's text the group must close before the text does.
    src = state.src if state.posMax == len(state.src) else state.src[: state.posMax]
    try:
        refs, end = read_group(src, state.pos, passages=state.env.get("attest_passages", True))
    except CitationSyntaxError as error:
        if silent:  # a link looking ahead; the real pass reports the error
            return False
        raise CitationSyntaxError(str(error), state.pos) from None
    if not silent:
        token = state.push("citation", "", 0)
        token.content = src[state.pos : end]
        token.meta = {"refs": refs}
    state.pos = end
    return True


def _link_if_it_can_close(state: StateInline, silent: bool) -> bool:
    # With no "]" ahead no link can close, yet markdown-it would look ahead from every "[" of a
    # long run of them, at 10-20 microseconds a character.
    last_close = getattr(state, "attest_last_close", None)
    if last_close is None:
        last_close = state.attest_last_close = state.src.rfind("]")
    return state.pos < last_close and link(state, silent)


def _reference_unless_citation(
    state: StateBlock, start_line: int, end_line: int, silent: bool
) -> bool:
    # CommonMark would swallow a line such as '[@a]: Massoud' as a link reference definition.
    first = state.bMarks[start_line] + state.tShift[start_line]
    if _CITATION_START.match(state.src, first):
        return False
    return reference(state, start_line, end_line, silent)


def _inline_with_line_numbers(state: StateCore) -> None:
    # markdown-it's own "inline" core rule, plus the block's line number in citation errors.
    for token in state.tokens:
        if token.type != "inline":
            continue
        token.children = []
        try:
            state.md.inline.parse(token.content, state.md, state.env, token.children)
        except CitationSyntaxError as error:
            first_line = token.map[0] if token.map else 0
            line = first_line + 1 + token.content.count("\n", 0, error.position)
            raise MarkupError(f"Line {line}: {error}") from None
