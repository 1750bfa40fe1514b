"""Statements in a page body: which sentence each citation backs, and marks where none does.

Works on markdown-it's tokens of a parsed body (wiki.markup.parse parses and renders): a paragraph's
inline tokens become one plain text, sentencex splits it into sentences, and a sentence counts as
sourced when a citation is attached to it: placed inside it, or after its end before the next
sentence begins. A citation vouches for its own sentence, not for those before it. The support
check (wiki.markup.support) then asks of each sourced sentence which of its numbers, dates and
linked names none of its quotes carries. Pure: no database access.
"""

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token
from sentencex import get_sentence_boundaries

from sources.citations.syntax import CitationRef
from wiki.markup.support import NAME, Detail, Passages, details, linked_name

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


@dataclass
class _Block:
    """One paragraph's inline tokens and the plain text a reader sees in them."""

    children: list[Token]
    starts: list[int] = field(default_factory=list)  # where each child begins in text
    text: str = ""  # citations take no room, so they never split or join sentences
    prose: str = ""  # text with link labels blanked: words there are navigation
    citations: list[tuple[int, Token]] = field(default_factory=list)  # with their offsets


@dataclass(frozen=True)
class Coverage:
    """How much of a text is sourced: its sourced statements out of all of them."""

    sourced: int
    total: int

    @property
    def ratio(self) -> float:
        """The share sourced, 0.0 to 1.0; a text without statements leaves nothing unsourced."""
        return self.sourced / self.total if self.total else 1.0

    @property
    def percent(self) -> int:
        """The share sourced as a whole percentage, rounded down (99.6 % is not 100 %)."""
        return self.sourced * 100 // self.total if self.total else 100

    @property
    def unsourced(self) -> int:
        return self.total - self.sourced

    @property
    def is_complete(self) -> bool:
        return self.sourced >= self.total

    def __float__(self) -> float:
        # The share sourced, as the pages' stored `coverage` column holds it for sorting.
        return self.ratio

    def __add__(self, other: "Coverage") -> "Coverage":
        """Two texts' statements counted together (a page's body and its facts)."""
        return Coverage(self.sourced + other.sourced, self.total + other.total)


@dataclass(frozen=True)
class SupportSources:
    """What the support check needs to know of a render.

    quotes gives the quoted words of a sentence's citations, or None when one of them cannot
    be judged (its source is unknown, or withheld from this reader: a mark would tell what its
    passage says); names gives every name of a linked page (its title and aliases).
    """

    quotes: Callable[[Sequence[CitationRef]], Sequence[str] | None]
    names: Callable[[str], Sequence[str]]


@dataclass(frozen=True)
class Unsupported:
    """A detail of a sourced sentence that none of its quotes carries, numbered in the text."""

    number: int  # its mark is #detail-<number>
    kind: str  # number, date or name (wiki.markup.support)
    text: str

    @property
    def anchor(self) -> str:
        return f"detail-{self.number}"


@dataclass(frozen=True)
class Statements:
    """How much of a body is sourced, and the details its quotes do not carry."""

    coverage: Coverage
    unsupported: tuple[Unsupported, ...] = ()


def count_statements(
    tokens: list[Token], *, mark: bool, support: SupportSources | None = None
) -> Statements:
    """How many of the paragraphs' sentences a citation backs; with mark, a citation-needed
    token follows each sentence that none does. With support, the details of the sourced
    sentences that no quote carries are found, and with mark each is wrapped in detail tokens."""
    sentences = sourced = 0
    unsupported: list[Unsupported] = []
    for token, block, spans, attached in _paragraphs(tokens):
        sentences += len(spans)
        sourced += sum(1 for citations in attached if citations)
        found = _unsupported(block, spans, attached, support) if support else []
        numbered = [(len(unsupported) + n, detail) for n, detail in enumerate(found, 1)]
        unsupported += [Unsupported(n, detail.kind, detail.text) for n, detail in numbered]
        if mark:
            if numbered:
                block = _wrap_details(block, numbered)
            cuts = [end for (_, end), cites in zip(spans, attached, strict=True) if not cites]
            token.children = _insert_marks(block, cuts) if cuts else block.children
    return Statements(Coverage(sourced, sentences), tuple(unsupported))


@dataclass(frozen=True)
class Sentence:
    """One statement as a reader sees it, and the citations attached to it (none: unsourced)."""

    text: str
    refs: tuple[CitationRef, ...]


def sentences(tokens: list[Token]) -> list[Sentence]:
    """The paragraphs' sentences in order, each with the citations that back it."""
    return [
        Sentence(
            block.text[start:end].strip(),
            tuple(ref for citation in citations for ref in citation.meta["refs"]),
        )
        for _, block, spans, attached in _paragraphs(tokens)
        for (start, end), citations in zip(spans, attached, strict=True)
    ]


def _paragraphs(tokens: list[Token]) -> Iterator[tuple[Token, _Block, list, list[list[Token]]]]:
    """Each paragraph's inline token, its text, its sentences' spans and their citations.
    Only paragraphs hold statements; a list item's or block quote's text is a paragraph too."""
    quote_depth = 0
    for index, token in enumerate(tokens):
        quote_depth += (token.type == "blockquote_open") - (token.type == "blockquote_close")
        if token.type != "inline" or tokens[index - 1].type != "paragraph_open":
            continue
        block = _read_block(token.children or [])
        spans = _sentences(block, in_quote=quote_depth > 0)
        yield token, block, spans, _attach(spans, block.citations)


def _attach(spans: list[tuple[int, int]], citations: list[tuple[int, Token]]) -> list[list[Token]]:
    """The citations of each sentence: those after its first character and no later than where
    the next sentence begins. One at the very start of a paragraph backs nothing."""
    firsts = [first for first, _ in spans]
    attached: list[list[Token]] = [[] for _ in spans]
    for offset, citation in citations:
        sentence = bisect_left(firsts, offset) - 1  # the last one that begins before it
        if sentence >= 0:
            attached[sentence].append(citation)
    return attached


def _unsupported(
    block: _Block,
    spans: list[tuple[int, int]],
    attached: list[list[Token]],
    support: SupportSources,
) -> list[Detail]:
    """The details of the block's sourced sentences that none of their quotes carries."""
    found = []
    for (start, end), citations in zip(spans, attached, strict=True):
        if not citations or not (particulars := _details(block, start, end, support)):
            continue
        quotes = support.quotes([ref for citation in citations for ref in citation.meta["refs"]])
        if quotes is not None:
            found += Passages(quotes).unsupported(particulars)
    return found


def _details(block: _Block, start: int, end: int, support: SupportSources) -> list[Detail]:
    """The numbers, dates and linked names of the sentence at block.text[start:end]."""
    links = [
        (offset, offset + len(child.content), child.meta["target"])
        for child, offset in zip(block.children, block.starts, strict=True)
        if child.type == "wikilink" and start <= offset < end
    ]
    # A link's label is a name, never a number: "[[Abuja|the 2006 talks]]" names Abuja.
    found = [
        detail
        for detail in details(block.text, start, end)
        if not any(first < detail.end and detail.start < last for first, last, _ in links)
    ]
    found += [
        linked_name(target, support.names(target), first, last) for first, last, target in links
    ]
    return sorted(found, key=lambda detail: detail.start)


def _read_block(children: list[Token]) -> _Block:
    block, parts, prose, offset, link_depth = _Block(children), [], [], 0, 0
    for child in children:
        block.starts.append(offset)
        piece = _plain(child)
        link_depth += (child.type == "link_open") - (child.type == "link_close")
        if child.type == "citation":
            block.citations.append((offset, child))
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


def _wrap_details(block: _Block, numbered: list[tuple[int, Detail]]) -> _Block:
    """The block with each detail between detail_open and detail_close tokens: a linked name
    around its link, a number or date around its words (piece by piece, should it run over a
    line break). Its text stays as it was: the new tokens take no room."""
    wrapped = _Block([], text=block.text, prose=block.prose, citations=block.citations)
    names = {detail.start: n for n, detail in numbered if detail.kind == NAME}
    spans = [(n, detail) for n, detail in numbered if detail.kind != NAME]
    for child, start in zip(block.children, block.starts, strict=True):
        end = start + len(_plain(child))
        if child.type == "wikilink" and start in names:
            pieces = [_detail_open(names[start]), child, _detail_close()]
        elif child.type == "text" and spans and spans[0][1].start < end:
            hits = [(n, detail) for n, detail in spans if detail.start < end and detail.end > start]
            pieces = _split_text(child, start, hits)
            spans = [(n, detail) for n, detail in spans if detail.end > end]
        else:
            pieces = [child]
        for piece in pieces:
            wrapped.children.append(piece)
            wrapped.starts.append(start)
            start += len(_plain(piece))
    return wrapped


def _split_text(child: Token, start: int, hits: list[tuple[int, Detail]]) -> list[Token]:
    if not hits:
        return [child]
    out, done, content = [], 0, child.content
    for number, detail in hits:
        first, last = max(detail.start - start, 0), min(detail.end - start, len(content))
        if first > done:
            out.append(_text(content[done:first]))
        anchored = detail.start >= start  # the id goes where the detail begins
        out += [_detail_open(number, anchored), _text(content[first:last]), _detail_close()]
        done = last
    return out + ([_text(content[done:])] if done < len(content) else [])


def _detail_open(number: int, anchored: bool = True) -> Token:
    return Token("detail_open", "span", 1, meta={"number": number, "anchored": anchored})


def _detail_close() -> Token:
    return Token("detail_close", "span", -1)


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _mark() -> Token:
    return Token("citation_needed", "", 0)
