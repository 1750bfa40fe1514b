"""Search over pages and sources: one box, ranked results with snippets, facets, pages.

On PostgreSQL, full-text search over the stored, weighted vector (websearch syntax: "a phrase",
OR, -word) plus trigram similarity on names, so that "Masud" or "Dostam" finds its page. On
SQLite, every typed word must start a word of the document (folded for case, accents and
apostrophes), and a title or alias match ranks first. Both read SearchDocument only.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Lower, StrIndex, Substr
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import fuzz, process
from taggit.models import Tag

from sources.permissions import can_read_drafts

from . import names
from .models import Name, SearchDocument
from .search_index import CONFIG
from .search_text import START, STOP, Query, headline_html, parse_query, snippet_html

PER_PAGE = 20
TAG_FACETS = 20
# A page whose name is the query outranks every body match: name similarity counts double
# against full-text rank, which stays below 1.
NAME_WEIGHT = 2.0
KIND_LABELS = {
    "actor": "Actors",
    "faction": "Factions",
    "event": "Events",
    "source": "Sources",
}
# How alike (0-100, rapidfuzz) a name must be to the query to count on SQLite: Dostam and
# Dostum score 83.
CLOSE_NAME_CUTOFF = 80
# Characters of a text that a headline is cut from.
HEADLINE_WINDOW = 8_000
# SQLite refuses a statement with more than 32,766 parameters; past this many matches, the
# results are drawn from the first ones (SQLite serves small sites; PostgreSQL has no limit).
MAX_SQLITE_IDS = 30_000
LISTED_FIELDS = ("kind", "title", "summary", "url", "is_public", "content_type_id", "object_id")


@dataclass(frozen=True)
class SearchResult:
    """One hit: what it is, where it is, and a passage with the query words in <mark>."""

    kind: str
    title: str
    url: str
    snippet: SafeString
    rank: float
    is_public: bool = True
    tags: tuple = ()

    @property
    def kind_label(self) -> str:
        return SearchDocument.Kind(self.kind).label


@dataclass(frozen=True)
class Facet:
    """One value to narrow the results by, with how many results it keeps."""

    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    """A page of results, the total, and the facets of everything that matched."""

    query: Query
    results: list[SearchResult] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    kinds: list[Facet] = field(default_factory=list)
    tags: list[Facet] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _visible(user):
    documents = SearchDocument.objects.all()
    return documents if can_read_drafts(user) else documents.filter(is_public=True)


# PostgreSQL ------------------------------------------------------------------------------------


def _tsquery(query: Query) -> SearchQuery:
    return SearchQuery(query.websearch(), search_type="websearch", config=CONFIG)


def _name_hits(query: Query):
    """Names like the query: it is close to part of the name, or (one word) to the whole."""
    typed = names.normalise(query.raw)
    close = Q(normalised__trigram_word_similar=typed)
    if " " not in typed:
        # One word may be a misspelt name ("Dostam"); several words each need not be close.
        close |= Q(normalised__trigram_similar=typed)
    return Name.objects.filter(close)


def _pg_matching(documents, query: Query):
    matching = documents.filter(search_vector=_tsquery(query)).values("pk")
    if query.is_plain:
        # Name matches only for plain words: quotes, OR and -word ask for exactly those words.
        hits = _name_hits(query).filter(
            content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
        )
        matching = matching.union(documents.filter(Exists(hits)).values("pk"))
    return documents.filter(pk__in=matching)


def _pg_ranked(matches, query: Query):
    rank = SearchRank(F("search_vector"), _tsquery(query))
    if query.is_plain:
        similarity = (
            _name_hits(query)
            .filter(content_type=OuterRef("content_type"), object_id=OuterRef("object_id"))
            .annotate(similarity=_similarity(query))
            .order_by("-similarity")
            .values("similarity")[:1]
        )
        rank = rank + NAME_WEIGHT * Coalesce(Subquery(similarity), Value(0.0))
    return matches.annotate(rank=rank)


def _similarity(query: Query):
    return TrigramSimilarity("normalised", names.normalise(query.raw))


def _headline_window(query: Query):
    """A stretch of the text around the first place the first word occurs (or its start).

    ts_headline reads the whole text it is given, and a source may be a book: it is given a
    window of HEADLINE_WINDOW characters instead, found with a plain string search.
    """
    at = StrIndex(Lower("text"), Value(query.words[0]))
    start = Greatest(Value(1), at - HEADLINE_WINDOW // 4)
    return Substr("text", start, HEADLINE_WINDOW)


def _pg_snippets(rows, query: Query) -> dict[int, str]:
    headlines = SearchDocument.objects.filter(pk__in=[row.pk for row in rows]).annotate(
        headline=SearchHeadline(
            _headline_window(query),
            _tsquery(query),
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )
    return dict(headlines.values_list("pk", "headline"))


# SQLite ----------------------------------------------------------------------------------------


def _words_start(column: str, words) -> Q:
    return Q(**{f"{column}__contains": " " + " ".join(words)})


def _close_names(query: Query, user) -> dict[tuple[int, int], float]:
    """SQLite's stand-in for trigrams: pages with a name close to the query, and how close.

    Reads every visible name and lets rapidfuzz compare them in C: some 20 ms for 20,000
    names, fine at the sizes SQLite serves; PostgreSQL asks its trigram index instead.
    """
    if not query.is_plain:
        return {}
    rows = Name.objects.values_list("content_type_id", "object_id", "normalised")
    if not can_read_drafts(user):
        rows = rows.filter(is_public=True)
    rows = list(rows)
    typed = names.normalise(query.raw)
    hits = process.extract(
        typed,
        [key for _, _, key in rows],
        scorer=fuzz.token_sort_ratio,
        score_cutoff=CLOSE_NAME_CUTOFF,
        limit=PER_PAGE,
    )
    close: dict[tuple[int, int], float] = {}
    for _, score, index in hits:
        page = rows[index][:2]
        close[page] = max(score, close.get(page, 0))
    return close


def _page_is(page: tuple[int, int]) -> Q:
    return Q(content_type_id=page[0], object_id=page[1])


def _sqlite_matching(documents, query: Query, close: dict):
    wanted = Q()
    for clause in query:
        either = Q()
        for term in clause:
            found = _words_start("folded", term.words)
            either |= ~found if term.negated else found
        wanted &= either
    for page in close:
        wanted |= _page_is(page)
    return documents.filter(wanted)


def _sqlite_ranked(matches, query: Query, close: dict):
    in_names = Q()
    for word in query.words:
        in_names &= Q(folded_names__contains=f" {word}") | Q(folded_names__contains=f"\n{word}")
    rank = Case(
        When(folded_names__contains=f"\n{query.folded}\n", then=Value(3.0)),
        When(in_names, then=Value(2.0)),
        *(When(_page_is(page), then=Value(1.0 + score / 100)) for page, score in close.items()),
        default=Value(1.0),
        output_field=FloatField(),
    )
    return matches.annotate(rank=rank)


# Both ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    pk: int
    kind: str
    tagged: bool  # carries the tag asked for (True when none was)


def _matched(matches, tag: str | None) -> list[_Match]:
    """Every match as (id, kind, tagged): the one pass over the index that facets come from."""
    if tag:
        through = SearchDocument.tags.through.objects.filter(
            searchdocument_id=OuterRef("pk"), tag__slug=tag
        )
        matches = matches.annotate(tagged=Exists(through))
    else:
        matches = matches.annotate(tagged=Value(True))
    return [_Match(*row) for row in matches.order_by().values_list("pk", "kind", "tagged")]


def _kind_facets(matched: list[_Match], kind: str | None) -> list[Facet]:
    counts = Counter(match.kind for match in matched if match.tagged)
    return [
        Facet(value, label, counts[value], selected=value == kind)
        for value, label in KIND_LABELS.items()
        if counts[value]
    ]


def _tag_facets(ids: list[int], tag: str | None) -> list[Facet]:
    if not ids:
        return []
    tags = (
        Tag.objects.filter(search_documents__in=_these(ids))
        .annotate(n=Count("search_documents"))
        .order_by("-n", "name")[:TAG_FACETS]
    )
    return [Facet(t.slug, t.name, t.n, selected=t.slug == tag) for t in tags]


def _these(ids: list[int]) -> list[int]:
    return ids if _postgres() else ids[:MAX_SQLITE_IDS]


def _snippet(row, headline: str | None, words: list[str]) -> SafeString:
    if headline and START in headline:
        return mark_safe(headline_html(headline))
    if row.summary:
        return mark_safe(snippet_html(row.summary, words, width=300))
    return mark_safe(headline_html(headline or ""))


def _page_rows(ids: list[int], parsed: Query, close: dict, page: int) -> list[SearchDocument]:
    """One page of the chosen documents, best first, with their tags."""
    chosen = SearchDocument.objects.filter(pk__in=ids)
    if _postgres():
        ranked, listed = _pg_ranked(chosen, parsed), LISTED_FIELDS
    else:
        ranked, listed = _sqlite_ranked(chosen, parsed, close), (*LISTED_FIELDS, "text")
    start = (page - 1) * PER_PAGE
    ordered = ranked.only(*listed).prefetch_related("tags").order_by("-rank", "title", "pk")
    return list(ordered[start : start + PER_PAGE])


def _result(row, snippet: SafeString) -> SearchResult:
    return SearchResult(
        kind=row.kind,
        title=row.title,
        url=row.url,
        snippet=snippet,
        rank=float(row.rank),
        is_public=row.is_public,
        tags=tuple(row.tags.all()),
    )


def search(
    query: str, *, user, kind: str | None = None, tag: str | None = None, page: int = 1
) -> SearchResults:
    """What the user may see that matches the query, a page at a time, best first.

    kind narrows to actor, faction, event or source; tag to one tag slug. The facets count
    what matches across the other filter, so that each can be changed. The index is read
    once for the matches; ranking and snippets are computed for the chosen ones only.
    """
    parsed = parse_query(query)
    found = SearchResults(query=parsed)
    if not parsed:
        return found
    documents = _visible(user)
    if _postgres():
        close, matches = {}, _pg_matching(documents, parsed)
    else:
        close = _close_names(parsed, user)
        matches = _sqlite_matching(documents, parsed, close)
    matched = _matched(matches, tag)
    found.kinds = _kind_facets(matched, kind)
    of_kind = [match for match in matched if not kind or match.kind == kind]
    found.tags = _tag_facets([match.pk for match in of_kind], tag)
    chosen = [match.pk for match in of_kind if match.tagged]
    found.total = len(chosen)
    found.page = min(max(1, page), found.num_pages)
    if not chosen:
        return found
    rows = _page_rows(_these(chosen), parsed, close, found.page)
    if _postgres():
        headlines = _pg_snippets(rows, parsed)
        snippets = [_snippet(row, headlines.get(row.pk), parsed.words) for row in rows]
    else:
        snippets = [mark_safe(snippet_html(row.text or row.summary, parsed.words)) for row in rows]
    found.results = [_result(row, snippet) for row, snippet in zip(rows, snippets, strict=True)]
    return found


def go_target(query: str, *, user) -> str | None:
    """The URL of the one page the reader may see whose title or an alias is exactly the query."""
    parsed = parse_query(query)
    if not parsed or not parsed.is_plain:
        return None
    matching = Name.objects.filter(normalised=names.normalise(query)).select_related("content_type")
    if not can_read_drafts(user):
        matching = matching.filter(is_public=True)
    pages = {(name.content_type_id, name.object_id): name for name in matching[:10]}
    if len(pages) != 1:
        return None
    return next(iter(pages.values())).get_absolute_url()
