"""Page bodies as safe HTML: CommonMark through markdown-it-py, then sanitised with nh3.

A stop-gap until the wiki markup (footnotes, [[links]], coverage) lands: citation groups stay as
the text the editor typed, and the page lists its citations separately.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# html=False: raw HTML in a body is shown as text, never trusted; nh3 still cleans the output.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def render_body(body: str) -> SafeString:
    """A page body as sanitised HTML."""
    if not body.strip():
        return mark_safe("")
    return mark_safe(nh3.clean(_MARKDOWN.render(body)))  # noqa: S308 - nh3 sanitised it
