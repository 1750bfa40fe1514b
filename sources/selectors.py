"""Reads for the source pages: lists, the marked-up text and what cites a source.

Sources never import the wiki: pages and relations that cite a passage are reached through
CitationUse's generic `citing` link, and their visibility is read from their own fields.
"""

from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import F, Max, Q, prefetch_related_objects

from sources.common.dates import date_display, span_display  # noqa: F401 - re-exported for the wiki
from sources.common.permissions import is_team
from sources.mention_reading import SourceMentions, source_mentions
from sources.models import Citation, CitationUse, Source

# ---------------------------------------------------------------------------------------------
# The source list

SOURCE_SORTS = {
    "title": ("title", "pk"),
    "-updated": ("-updated_at", "pk"),
    "date": (F("published_earliest").asc(nulls_last=True), "title", "pk"),
}


def source_list(user, *, tag: str = "", kind: str = "", sort: str = "title", reliability=()):
    """Sources the user may see, filtered by tag slug, kind and reliability grades (any of
    them), in the named order."""
    sources = Source.objects.visible_to(user).for_list()
    if tag:
        sources = sources.filter(tags__slug=tag)
    if kind:
        sources = sources.filter(kind=kind)
    if reliability:
        sources = sources.filter(reliability__in=reliability)
    return sources.order_by(*SOURCE_SORTS.get(sort, SOURCE_SORTS["title"]))


@dataclass(frozen=True)
class SourceRow:
    """A source in a list, with who wrote and published it when, as one line's parts."""

    source: Source
    byline: list[str]


def source_rows(sources) -> list[SourceRow]:
    """List rows for already loaded sources."""
    rows = []
    for source in sources:
        parts = (source.authors, source.publisher, date_display(source.published))
        rows.append(SourceRow(source, [part for part in parts if part]))
    return rows


# ---------------------------------------------------------------------------------------------
# The stored text with its cited passages marked


@dataclass(frozen=True)
class Segment:
    """A run of the source text: plain, a cited passage (`mark_id`) or the rest of an overlap.

    `anchors` are citations whose passage starts inside this highlight; they get empty
    <mark id="c…"></mark> elements just before it, so that highlights never nest.
    """

    text: str
    mark_id: int | None = None
    marked: bool = False
    anchors: tuple[int, ...] = ()


def is_placed(citation: Citation, text: str) -> bool:
    """True when the citation's offsets still point at its quote in this text."""
    if citation.status != Citation.Status.ANCHORED or citation.start is None:
        return False
    if citation.end is None or not 0 <= citation.start <= citation.end <= len(text):
        return False
    return text[citation.start : citation.end] == citation.quote


def text_segments(text: str, citations) -> list[Segment]:
    """Split `text` into plain runs and highlights, one <mark id="c<id>"> per cited passage.

    Overlapping passages are never nested. Passages that overlap form one run of highlight: the
    passage that starts first (the longest, if several start together) is wrapped exactly in its
    own mark; the run's remaining text follows in a mark without id; every other passage of the
    run gets an empty anchor mark just before the run, so a link to it scrolls to the highlight
    that holds its start.
    """
    placed = sorted(
        (c for c in citations if is_placed(c, text)), key=lambda c: (c.start, -c.end, c.pk)
    )
    segments, cursor, i = [], 0, 0
    while i < len(placed):
        first, j = placed[i], i + 1
        run_end = first.end
        while j < len(placed) and placed[j].start < run_end:
            run_end = max(run_end, placed[j].end)
            j += 1
        if first.start > cursor:
            segments.append(Segment(text[cursor : first.start]))
        anchors = tuple(c.pk for c in placed[i + 1 : j])
        segments.append(
            Segment(text[first.start : first.end], mark_id=first.pk, marked=True, anchors=anchors)
        )
        if run_end > first.end:
            segments.append(Segment(text[first.end : run_end], marked=True))
        cursor, i = run_end, j
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


# ---------------------------------------------------------------------------------------------
# What cites a source


@cache
def _has_publish_flag(model) -> bool:
    return any(f.name == "is_public" for f in model._meta.concrete_fields)


@cache
def _linked_fields(model) -> tuple:
    """Foreign keys from a citing model to publishable things (a relation's two ends)."""
    return tuple(
        f
        for f in model._meta.concrete_fields
        if f.many_to_one and f.related_model is not None and _has_publish_flag(f.related_model)
    )


@cache
def _generic_ends(model) -> tuple[str, ...]:
    """Generic links from a citing model to what it is about (a claim's subject)."""
    return tuple(f.name for f in model._meta.private_fields if isinstance(f, GenericForeignKey))


def _ends(obj) -> list:
    """What a citing thing links to: a relation's ends, a claim's subject (None: gone)."""
    linked = [getattr(obj, f.name) for f in _linked_fields(type(obj))]
    return [end for end in linked if end is not None] + [
        getattr(obj, name) for name in _generic_ends(type(obj))
    ]


def _ends_public(obj) -> bool:
    """Whether everything a citing thing links to is published (a generic end must exist)."""
    return all(end is not None and getattr(end, "is_public", True) for end in _ends(obj))


def _visible_citing(model, user):
    """What of `model` the user may see: for the public, published and linking only to published
    (generic ends, such as a claim's subject, are checked once loaded: _visible_uses)."""
    linked = _linked_fields(model)
    citing = model._default_manager.select_related(*(f.name for f in linked))
    citing = citing.prefetch_related(*_generic_ends(model))
    if is_team(user):
        return citing
    if _has_publish_flag(model):
        citing = citing.filter(is_public=True)
    for f in linked:
        # A participation names an actor or a faction: the empty end does not hide it.
        end_ok = Q(**{f"{f.name}__isnull": True}) | Q(**{f"{f.name}__is_public": True})
        citing = citing.filter(end_ok)
    return citing


@dataclass
class CitingRow:
    """One page or relation that cites the source, with the passages it uses."""

    label: str
    url: str
    kind: str
    is_public: bool
    citations: list = field(default_factory=list)


def _citing_row(obj) -> CitingRow:
    ends = [end for end in _ends(obj) if end is not None]
    # A page links to itself; a relation (a claim) to the page of its first end (its subject).
    target = obj if hasattr(obj, "get_absolute_url") else (ends[0] if ends else None)
    published = getattr(obj, "is_public", True) and _ends_public(obj)
    return CitingRow(
        label=str(obj),
        url=target.get_absolute_url() if target is not None else "",
        kind=obj._meta.verbose_name,
        is_public=published,
    )


@dataclass
class SourceReading:
    """Everything the source viewer shows besides the source's own fields."""

    segments: list["ReadingSegment"]
    cited_by: list[CitingRow]
    unplaced: list[Citation]
    passage_count: int
    mentions: SourceMentions | None = None  # the entries the text names (the mention index)
    citations: list[Citation] = field(default_factory=list)  # the passages shown, in text order


@dataclass(frozen=True)
class PassageNote:
    """Who cites one passage: shown beside the highlight a link to that passage opens."""

    citation_id: int
    citers: list[CitingRow]


@dataclass(frozen=True)
class ReadingSegment:
    """A text segment with the notes of the passages it opens, ready for the template."""

    segment: Segment
    notes: list[PassageNote]


def _with_notes(segments: list[Segment], citers: dict[int, list[CitingRow]]):
    # The notes come before the highlight in a fixed order: the run's own passage first, then
    # the passages anchored in it, last to first (the stylesheet relies on this order).
    for segment in segments:
        ids = [segment.mark_id] if segment.mark_id else []
        ids += list(reversed(segment.anchors)) if segment.mark_id else []
        yield ReadingSegment(segment, [PassageNote(i, citers.get(i, [])) for i in ids])


def _visible_uses(source: Source, user) -> list[CitationUse]:
    """The citation uses of a source whose citing page or relation the user may see."""
    uses = list(
        CitationUse.objects.filter(citation__source=source)
        .select_related("content_type")
        .order_by("content_type", "object_id", "position")
    )
    models = {use.content_type.model_class() for use in uses} - {None}
    querysets = [_visible_citing(model, user) for model in models]
    prefetch_related_objects(uses, GenericPrefetch("citing", querysets))
    team = is_team(user)
    return [use for use in uses if use.citing is not None and (team or _ends_public(use.citing))]


def source_reading(source: Source, user) -> SourceReading:
    """The marked text, the "cited by" rows and the citations that have no place in the text.

    The public sees only passages that something visible cites; the team sees every citation.
    Queries: citations, uses, then one per kind of citing thing (at most six) and per kind of
    claim subject; mentions, then one per kind of entry named (at most three).
    """
    # Through the source, so that each citation knows it (its grade reads its reliability).
    citations = list(source.citations.order_by("start", "pk"))
    uses = _visible_uses(source, user)
    by_id = {citation.pk: citation for citation in citations}
    rows: dict[tuple[int, int], CitingRow] = {}
    for use in uses:
        row = rows.setdefault((use.content_type_id, use.object_id), _citing_row(use.citing))
        if by_id[use.citation_id] not in row.citations:
            row.citations.append(by_id[use.citation_id])
    if not is_team(user):
        used = {use.citation_id for use in uses}
        citations = [citation for citation in citations if citation.pk in used]
    cited_by = sorted(rows.values(), key=lambda row: (row.kind, row.label.casefold()))
    citers: dict[int, list[CitingRow]] = {}
    for row in cited_by:
        for citation in row.citations:
            citers.setdefault(citation.pk, []).append(row)
    return SourceReading(
        segments=list(_with_notes(text_segments(source.text, citations), citers)),
        cited_by=cited_by,
        unplaced=[c for c in citations if not is_placed(c, source.text)],
        passage_count=len(citations),
        mentions=source_mentions(source, user, _cited_spans(source, citations, uses)),
        citations=citations,
    )


def passage_revisions(citations) -> dict[int, int]:
    """The latest revision of each citation, by id, for the grading forms: one query."""
    latest = (
        Citation.history.filter(id__in=[citation.pk for citation in citations])
        .values("id")
        .annotate(latest=Max("history_id"))
        .order_by()
    )
    return {row["id"]: row["latest"] for row in latest}


def _cited_spans(source: Source, citations, uses) -> list[tuple[int, int]]:
    """Where the passages that something cites stand in the text."""
    used = {use.citation_id for use in uses}
    return [(c.start, c.end) for c in citations if c.pk in used and is_placed(c, source.text)]


def public_citers(source: Source) -> list[CitingRow]:
    """The pages and relations the public sees citing source, each with its label and page."""
    return source_reading(source, AnonymousUser()).cited_by


def citers_named(citers: list[CitingRow]) -> str:
    """The citing things in one line, each with its kind and page, for a refusal's message."""
    named = (f"{row.label} ({row.kind}{', ' + row.url if row.url else ''})" for row in citers)
    return "; ".join(named)


def source_safe_url(source: Source) -> str:
    """The source's URL if it is a web address a reader may follow (http or https), else ""."""
    url = (source.url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""
