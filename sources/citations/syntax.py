"""Read Pandoc-style citation groups such as [@ric-1999, para. 3 "exact words"; @b "more"]."""

import re
from dataclasses import dataclass
from itertools import islice

_KEY = re.compile(r"[a-z0-9][a-z0-9._-]*")
_KEY_AS_WRITTEN = re.compile(r"[^\s,;\]\"“”]*")
_LOCATOR = re.compile(r"[^\";\]“”]*")
_GROUP_START = re.compile(r"\[\s*@")
_SPACE = re.compile(r"\s*")
_CLOSER = {'"': '"', "“": "”"}
_ESCAPABLE = ("\\", '"', "“", "”")
# How to quote a passage that holds double quotes, for the messages and the forms' help.
QUOTES_INSIDE_HELP = (
    'A double quote inside the passage is written \\" (or put the passage in “curly quotes”, '
    "inside which straight ones may stand as they are)."
)
_QUOTES_INSIDE = (
    '. If the passage holds double quotes, write each as \\" or put the passage in “curly quotes”'
)
_SNIPPET = 30
# The longest locator sources.Citation.locator holds (the syntax is pure: a test pins the two).
MAX_LOCATOR = 100
# A quote is a passage, not a document: a statement rarely needs more than a few sentences.
MAX_QUOTE = 1000
# Nor a word: "Kabul" is found in a hundred places and vouches for none of them. A passage says
# something in the source's own words, so that a reader can judge what the citation backs.
MIN_QUOTE_WORDS = 3
MIN_QUOTE_CHARS = 12
_WORD = re.compile(r"\S*[^\W_]\S*")  # a word holds a letter or a digit: a dash is none
PASSAGE_RULE = (
    f"a quote is a passage, not a word: quote at least {MIN_QUOTE_WORDS} words and "
    f"{MIN_QUOTE_CHARS} characters"
)


@dataclass(frozen=True)
class CitationRef:
    """One cited source within a group: its key, an optional locator and the quoted words."""

    key: str
    locator: str = ""
    quote: str = ""

    @property
    def is_whole_document(self) -> bool:
        """True when no passage is quoted: a weaker, unverified citation of the whole source."""
        return not self.quote


class CitationSyntaxError(ValueError):
    """A citation that cannot be read; the message says what is wrong and quotes where."""

    def __init__(self, message: str, position: int = 0):
        super().__init__(message)
        self.position = position


def parse_group(group: str) -> list[CitationRef]:
    """The citations of one "[@...]" group, in order."""
    start = _SPACE.match(group).end()
    if not _GROUP_START.match(group, start):
        raise CitationSyntaxError(f'A citation starts with "[@", not "{_snippet(group, start)}"')
    reader = _Reader(group, start)
    refs = reader.group()
    if group[reader.pos :].strip():
        raise reader.error('Text after the closing "]"')
    return refs


def read_group(text: str, start: int, *, passages: bool = True) -> tuple[list[CitationRef], int]:
    """The citations of the group opening at text[start], and the offset just past its "]".

    passages=False lets a quote shorter than a passage through, for reading what was saved
    before the rule; everything that saves reads with it.
    """
    reader = _Reader(text, start, passages=passages)
    refs = reader.group()
    return refs, reader.pos


def find_groups(text: str) -> list[tuple[int, int, list[CitationRef]]]:
    """Every citation group in free text, as (start, end, refs)."""
    groups, pos = [], 0
    while (pos := text.find("[", pos)) != -1:
        if text.startswith("[[", pos):  # a [[wiki link]], never a citation
            pos += 2
        elif _GROUP_START.match(text, pos) and not _is_escaped(text, pos):
            reader = _Reader(text, pos)
            refs = reader.group()
            groups.append((pos, reader.pos, refs))
            pos = reader.pos
        else:
            pos += 1
    return groups


def parse_evidence(text: str) -> list[CitationRef]:
    """The citations of a relation's evidence field, which holds citation groups only."""
    refs, pos = [], 0
    while (pos := _SPACE.match(text, pos).end()) < len(text):
        if not _GROUP_START.match(text, pos):
            raise CitationSyntaxError(
                'Evidence may hold only citations such as [@key "quoted words"], '
                f'found "{_snippet(text, pos)}"',
                pos,
            )
        reader = _Reader(text, pos)
        refs += reader.group()
        # Groups may stand one after another or be separated by ";", as citations in a group are.
        pos = _SPACE.match(text, reader.pos).end()
        if text.startswith(";", pos):
            pos += 1
    if not refs:
        raise CitationSyntaxError(
            'Evidence needs at least one citation, such as [@key "quoted words"]'
        )
    return refs


def short_quote(quote: str) -> str:
    """What makes quote too short to be a passage ("" when it is one): fewer than
    MIN_QUOTE_WORDS words, or fewer than MIN_QUOTE_CHARS characters (runs of space count once)."""
    words = sum(1 for _ in islice(_WORD.finditer(quote), MIN_QUOTE_WORDS))
    if words < MIN_QUOTE_WORDS:
        return f"A quote of {words} word{'' if words == 1 else 's'}"
    length = len(" ".join(quote.split()))
    if length < MIN_QUOTE_CHARS:
        return f"A quote of {length} characters"
    return ""


def escape_quote(text: str) -> str:
    """Quoted words as they are written inside a citation's double quotes."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def format_ref(ref: CitationRef) -> str:
    """ref written back as canonical markup, e.g. '[@key, p. 3 "quoted words"]'."""
    if not _KEY.fullmatch(ref.key) or _LOCATOR.fullmatch(ref.locator) is None:
        raise CitationSyntaxError(f"{ref!r} cannot be written as a citation")
    text = "[@" + ref.key
    if ref.locator.strip():
        text += ", " + ref.locator.strip()
    if ref.quote:
        text += ' "' + escape_quote(ref.quote) + '"'
    return text + "]"


class _Reader:
    """Reads one citation group character by character, so escapes inside quotes are exact."""

    def __init__(self, text: str, start: int, *, passages: bool = True):
        self.text, self.start, self.pos = text, start, start
        self.passages = passages  # refuse a quote shorter than a passage

    def group(self) -> list[CitationRef]:
        self.pos += 1  # the "["
        refs = [self.ref()]
        while self.peek() == ";":
            self.pos += 1
            refs.append(self.ref())
        if self.peek() != "]":
            raise self.error('Missing "]"')
        self.pos += 1
        return refs

    def ref(self) -> CitationRef:
        self.skip_space()
        if self.peek() != "@":
            raise self.error(f'Expected "@key" but found "{_snippet(self.text, self.pos, 10)}"')
        self.pos += 1
        key = _KEY_AS_WRITTEN.match(self.text, self.pos)[0]
        if not key:
            raise self.error('Missing key after "@"')
        if not _KEY.fullmatch(key):
            rule = ': keys use lower-case a-z, 0-9, ".", "_" and "-"'
            raise self.error(f'Bad key "@{key}"', then=rule)
        self.pos += len(key)
        self.skip_space()
        locator = quote = ""
        if self.peek() == ",":
            locator = _LOCATOR.match(self.text, self.pos + 1)[0]
            if len(locator.strip()) > MAX_LOCATOR:
                rule = f': a locator may have {MAX_LOCATOR} characters at most, such as "p. 3"'
                raise self.error(f"A locator of {len(locator.strip()):,} characters", then=rule)
            self.pos += 1 + len(locator)
        if self.peek() in _CLOSER:
            opened, closer = self.pos, _CLOSER[self.peek()]
            quote = self.quote()
            self.skip_space()
            if self.peek() not in (";", "]", ""):
                # Most often a double quote inside the passage, which ended the quote early.
                rule = _QUOTES_INSIDE if closer == '"' else ""
                snippet = _snippet(self.text, self.pos, 10)
                raise self.error(f'Text after the quote "{snippet}"', then=rule)
            if self.passages and (problem := short_quote(quote)):
                raise self.error(problem, opened, then=f": {PASSAGE_RULE}")
        elif self.peek() not in (";", "]", ""):
            raise self.error(f'Expected ",", a quote, ";" or "]" after "@{key}"')
        return CitationRef(key, locator.strip(), quote)

    def quote(self) -> str:
        opened, closer, chars = self.pos, _CLOSER[self.peek()], []
        self.pos += 1
        while (char := self.peek()) != closer:
            if not char:
                raise self.error("Unclosed quote", opened)
            following = self.text[self.pos + 1 : self.pos + 2]
            if char == "\\" and following in _ESCAPABLE:
                char = following
                self.pos += 1
            chars.append(char)
            self.pos += 1
        self.pos += 1
        if not chars:
            raise self.error("Empty quote", opened)
        if len(chars) > MAX_QUOTE:
            rule = f": a quote is a passage, not a document: quote at most {MAX_QUOTE:,} characters"
            raise self.error(f"A quote of {len(chars):,} characters", opened, then=rule)
        return "".join(chars)

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def skip_space(self) -> None:
        while self.peek().isspace():
            self.pos += 1

    def error(self, problem: str, at: int | None = None, then: str = "") -> CitationSyntaxError:
        where = _snippet(self.text, self.start)
        message = f'{problem} in citation starting "{where}"{then}'
        return CitationSyntaxError(message, self.pos if at is None else at)


def _snippet(text: str, start: int, length: int = _SNIPPET) -> str:
    line = text[start : start + length + 1].split("\n", 1)[0]
    return line[:length] + "…" if len(line) > length else line


def _is_escaped(text: str, pos: int) -> bool:
    # Markdown reads "\[" as a literal bracket; "\\[" is a literal backslash before a real one.
    backslashes = 0
    while pos > backslashes and text[pos - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1
