"""Markdown (.md) as the plain text a reader sees, metadata from its front matter and header lines.

markdown-it-py parses the document and only the words a reader sees are kept, not the asterisks,
link targets or HTML tags, so that a passage copied from the rendered document is found in the
stored text.
"""

import re

from markdown_it import MarkdownIt

from sources.importing.documents import Format, ImportedDocument, ImportRefused, normalise_newlines
from sources.importing.metadata import propose_from_text

# markdown-it-py is pure Python and spends its time per line and per character of markup: 50,000
# list items took 7 s, 50,000 links 5 s. Both are counted before the parse; within these limits
# the worst document takes about a second (a list of 10,000 items with links and emphasis).
MAX_LINES = 10_000
MAX_MARKUP = 20_000
_MARKUP = "[*_`<&\\"
# markdown-it stops reading at this depth of nesting (a list takes two levels, a list item and
# the list) and silently drops everything after: such a document is refused instead.
_MAX_NESTING = MarkdownIt("commonmark").options.maxNesting
_CONTAINERS = {"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_MATTER_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w -]*):\s*(?P<value>.*?)\s*$")


def read_markdown(source: str, *, name: str = "") -> ImportedDocument:
    """Markdown as the plain text a reader sees; metadata from front matter and header lines.

    ImportRefused, naming the limit, for a document too large or too deeply nested to parse.
    """
    front, source = _split_front_matter(normalise_newlines(source))
    text = markdown_to_text(source, name=name)
    proposal = propose_from_text(text)
    if front:
        proposal = propose_from_text(front, guess=False).fill(proposal)
    return ImportedDocument(text=text, proposal=proposal, format="markdown")


def _split_front_matter(source: str) -> tuple[str, str]:
    match = _FRONT_MATTER.match(source)
    if not match:
        return "", source
    # YAML "author: Jane Doe" reads like a header line "Author: Jane Doe"; quotes go.
    lines = []
    for line in match["body"].splitlines():
        if item := _FRONT_MATTER_LINE.match(line):
            lines.append(f"{item['key']}: {item['value'].strip(chr(34) + chr(39))}")
    return "\n".join(lines), source[match.end() :]


def markdown_to_text(source: str, *, name: str = "") -> str:
    """The words of a Markdown document, one block a paragraph, list items one a line."""
    blocks: list[tuple[str, bool]] = []  # (text, is a list item)
    markers: list[str] = []  # the marker of each open list item, innermost last
    pending = ""
    for token in _parse(source, name):
        if token.type == "list_item_open":
            pending = f"{token.info}. " if token.info else "- "
            markers.append(pending)
        elif token.type == "list_item_close":
            markers.pop()
        elif token.type == "inline":
            indent = "  " * max(len(markers) - 1, 0) if markers else ""
            blocks.append((indent + pending + _inline_text(token.children or []), bool(markers)))
            pending = ""
        elif token.type in ("fence", "code_block"):
            blocks.append((token.content.rstrip("\n"), False))
        elif token.type == "html_block" and (words := _html_fragment_text(token.content)):
            blocks.append((words, False))
    parts = []
    for i, (text, in_list) in enumerate(blocks):
        if i:
            parts.append("\n" if in_list and blocks[i - 1][1] else "\n\n")
        parts.append(text)
    return "".join(parts).strip("\n")


def _parse(source: str, name: str) -> list:
    """markdown-it's tokens, or ImportRefused when the parse would take long or lose text."""
    subject = name or "The document"
    if (lines := source.count("\n") + 1) > MAX_LINES:
        raise ImportRefused(
            f"{subject} has {lines:,} lines; Attest reads Markdown of up to {MAX_LINES:,} lines. "
            "Upload it as a .txt file, where the text is kept as written, or in parts."
        )
    if (markup := sum(source.count(char) for char in _MARKUP)) > MAX_MARKUP:
        raise ImportRefused(
            f"{subject} has {markup:,} Markdown markup characters ([, *, _, `, <, & and \\); "
            f"Attest reads Markdown with up to {MAX_MARKUP:,}. Upload it as a .txt file, where "
            "the text is kept as written, or in parts."
        )
    tokens = MarkdownIt("commonmark").parse(source)
    for token in tokens:
        if token.type in _CONTAINERS and token.level >= _MAX_NESTING - 1:
            line = token.map[0] + 1 if token.map else 1
            raise ImportRefused(
                f"Line {line:,} of {name or 'the document'} nests lists or block quotes too "
                f"deeply: Markdown is read to {_MAX_NESTING // 2 - 1} levels of lists or "
                f"{_MAX_NESTING - 1} of block quotes. Flatten them, or upload the file as .txt, "
                "where the text is kept as written."
            )
    return tokens


def _inline_text(children) -> str:
    words = []
    for child in children:
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type == "softbreak":
            words.append(" ")  # a line break in the source is a space to the reader
        elif child.type == "hardbreak":
            words.append("\n")
        elif child.type == "image":
            words.append(_inline_text(child.children or []))
    return "".join(words).strip()


def _html_fragment_text(fragment: str) -> str:
    import lxml.html  # comes with trafilatura; loaded when a document is read

    try:
        return " ".join(lxml.html.fromstring(fragment).text_content().split())
    except (lxml.etree.ParserError, ValueError):  # an empty or broken fragment
        return ""


FORMAT = Format(
    "markdown", (".md", ".markdown"), ("text/markdown", "text/x-markdown"), read_markdown
)
