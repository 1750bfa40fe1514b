"""Reads of the mention index: snippets around a mention, the source viewer's mention panel and
the sources that name an entry (for the entry's page).

The wiki builds the index (sources.Mention); sources only read it. Entries are reached through
the generic `entry` link and their visibility read from their own is_public field, so sources
still never import the wiki.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from itertools import accumulate

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, F, Value, Window, prefetch_related_objects
from django.db.models.functions import Greatest, Substr
from django.urls import reverse
from django.utils.http import urlencode

from sources.common.permissions import is_team
from sources.models import Mention, Source

SNIPPET_WIDTH = 80  # characters of context on each side of a mention
PASSAGE_WIDTH = 160  # at most this much on each side of a mention in a suggested passage
UNCITED_LIMIT = 100  # the to-do list shows this many, then says how many more
_WHITE_SPACE = re.compile(r"\s+")
_SENTENCE_ENDS = (". ", "? ", "! ", ".\n", "?\n", "!\n", "\n\n")


@dataclass(frozen=True)
class Snippet:
    """A mention with some text around it, cut at spaces; `lead`/`tail` say the text goes on."""

    before: str
    match: str
    after: str
    lead: bool
    tail: bool


def _one_line(text: str) -> str:
    return _WHITE_SPACE.sub(" ", text)


def snippet_around(text: str, start: int, end: int, *, width: int = SNIPPET_WIDTH) -> Snippet:
    """The mention text[start:end] with up to `width` characters either side, on one line."""
    left, right = max(0, start - width), min(len(text), end + width)
    if left > 0 and (space := text.find(" ", left, start)) != -1:
        left = space + 1  # never begin inside a word
    if right < len(text) and (space := text.rfind(" ", end, right)) != -1:
        right = space
    return Snippet(
        before=_one_line(text[left:start]).lstrip(),
        match=text[start:end],
        after=_one_line(text[end:right]).rstrip(),
        lead=left > 0,
        tail=right < len(text),
    )


def passage_around(text: str, start: int, end: int, *, width: int = PASSAGE_WIDTH) -> str:
    """The sentence that holds a mention, at most `width` characters either side, on one line:
    what the team would quote to cite it."""
    floor, ceiling = max(0, start - width), min(len(text), end + width)
    starts = [i + len(m) for m in _SENTENCE_ENDS if (i := text.rfind(m, floor, start)) != -1]
    left = max(starts, default=floor)
    if left == floor and floor > 0 and (space := text.find(" ", floor, start)) != -1:
        left = space + 1  # a long sentence: begin at a word near the mention
    ends = [i + 1 for m in _SENTENCE_ENDS if (i := text.find(m, end, ceiling + 1)) != -1]
    right = min(ends, default=ceiling)
    if right == ceiling and ceiling < len(text) and (space := text.rfind(" ", end, ceiling)) != -1:
        right = space
    return " ".join(text[left:right].split())


@dataclass
class MentionedEntry:
    """An entry the text names, and how often."""

    entry: object
    count: int

    @property
    def kind(self) -> str:
        return self.entry._meta.verbose_name


@dataclass(frozen=True)
class UncitedMention:
    """A mention that no citation of the source covers: the team's to-do list."""

    entry: object
    snippet: Snippet
    cite_url: str


@dataclass
class SourceMentions:
    """What the source viewer shows of the mention index."""

    entries: list[MentionedEntry] = field(default_factory=list)
    uncited: list[UncitedMention] = field(default_factory=list)
    uncited_more: int = 0


def _visible_entries(mentions: list[Mention], user) -> list[Mention]:
    """The mentions whose entry exists and the user may see: one query per kind of entry."""
    models = {mention.content_type.model_class() for mention in mentions} - {None}
    querysets = [model._default_manager.visible_to(user) for model in models]
    prefetch_related_objects(mentions, GenericPrefetch("entry", querysets))
    return [mention for mention in mentions if mention.entry is not None]


class _Coverage:
    """Which spans of the text the given citation passages cover."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [start for start, _ in spans]
        self.reach = list(accumulate((end for _, end in spans), max))

    def covers(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and self.reach[i] >= end


def _cite_url(source: Source, start: int, end: int) -> str:
    passage = passage_around(source.text, start, end)
    url = reverse("sources:source-cite-on", args=[source.key])
    return f"{url}?{urlencode({'passage': passage})}"


def source_mentions(source: Source, user, cited: list[tuple[int, int]]) -> SourceMentions:
    """The entries the text names (that the user may see), most named first; for the team, the
    mentions that no cited passage (`cited`: (start, end) of each) covers, in text order.

    Queries: the mention rows, then one per kind of entry named (at most three).
    """
    mentions = list(Mention.objects.filter(source=source).select_related("content_type"))
    mentions = _visible_entries(mentions, user)
    result = SourceMentions(
        entries=sorted(
            (MentionedEntry(m.entry, m.count) for m in mentions),
            key=lambda row: (-row.count, row.entry.title.casefold()),
        )
    )
    if not is_team(user):
        return result
    coverage = _Coverage(cited)
    uncited = sorted(
        (start, end, m.entry)
        for m in mentions
        for start, end in m.positions
        if not coverage.covers(start, end)
    )
    result.uncited = [
        UncitedMention(
            entry, snippet_around(source.text, start, end), _cite_url(source, start, end)
        )
        for start, end, entry in uncited[:UNCITED_LIMIT]
    ]
    result.uncited_more = max(0, len(uncited) - UNCITED_LIMIT)
    return result


# ---------------------------------------------------------------------------------------------
# The sources that name an entry, for the entry's page

MENTION_LIMIT = 20
# Enough of the text to cut a snippet from: context on both sides and a long name between.
_WINDOW = 2 * SNIPPET_WIDTH + 240


@dataclass
class MentionRow:
    """A source that names the entry: how often, and the text around the first mention."""

    source: Source
    count: int
    snippet: Snippet


@dataclass
class EntryMentions:
    """The sources that name an entry: the first `MENTION_LIMIT` of `total`."""

    total: int
    rows: list[MentionRow]

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _mention_row(mention) -> MentionRow:
    start, end = (offset - mention.window_start for offset in mention.positions[0])
    snippet = snippet_around(mention.window, start, end)
    # The window was cut out of a longer text: say so where the snippet reaches its edges.
    snippet = replace(
        snippet,
        lead=snippet.lead or mention.window_start > 0,
        tail=snippet.tail or len(mention.window) == _WINDOW,
    )
    return MentionRow(mention.source, mention.count, snippet)


def entry_mentions(entry, user, *, limit: int = MENTION_LIMIT) -> EntryMentions:
    """The sources the user may see that name the entry, most mentions first: one query.

    Only a window of each text around its first mention is read, never the whole text.
    """
    window_start = Greatest(F("first_start") - SNIPPET_WIDTH, Value(0))
    mentions = (
        Mention.objects.filter(
            content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
        )
        .select_related("source")
        .only("count", "positions", "source", "source__key", "source__title", "source__is_public")
        .annotate(
            window_start=window_start,
            window=Substr("source__text", window_start + 1, _WINDOW),
            total=Window(Count("pk")),
        )
        .order_by("-count", "source__title", "pk")
    )
    if not is_team(user):
        mentions = mentions.filter(source__is_public=True)
    rows = list(mentions[:limit])
    return EntryMentions(rows[0].total if rows else 0, [_mention_row(m) for m in rows])
