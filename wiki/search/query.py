"""Search over pages and sources: one box, ranked results with snippets, facets, pages.

On PostgreSQL, full-text search over the stored, weighted vector (websearch syntax: "a phrase",
OR, -word) plus trigram similarity on names, so that "Masud" or "Dostam" finds its page. On
SQLite, every typed word must start a word of the document (folded for case, accents and
apostrophes), and a title or alias match ranks first. Both read SearchDocument only.
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
)
from django.db import connection, transaction
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
from taggit.models import Tag

from sources.common.permissions import is_team
from sources.models import Source
from wiki import names
from wiki.models import Name, SearchDocument
from wiki.search.index import CONFIG
from wiki.search.sqlite import close_names, sqlite_matching, sqlite_ranked
from wiki.search.text import START, STOP, Query, headline_html, parse_query, snippet_html

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
# Characters of a text that a headline is cut from.
HEADLINE_WINDOW = 2_000
# On PostgreSQL, how many matches are ranked on their whole text when more match: reading the
# vector of a 20 KB body costs about a tenth of a millisecond, too much for thousands of rows.
# The pool is the best matches by names, summary and tags and the best by name similarity;
# the pool comes first, the rest follow ranked by names, summary and tags alone.
RANKED_POOL = 200
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
    reliability: tuple[str, ...] = ()  # the sources' grades asked for (pages are not graded)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _visible(user, reliability=()):
    """What the user may see; with reliability grades, only the sources graded so (and pages)."""
    documents = SearchDocument.objects.visible_to(user)
    if _postgres() and not is_team(user):
        # What visible_to keeps here (the published), asked so that the is_public index cannot
        # answer it: given that index, the planner tests the query on the stored vector of
        # every published document, not seeing what reading one costs, where the search
        # vector's index answers at once (seconds against milliseconds at 100,000 sources).
        published = Coalesce("is_public", Value(False))
        documents = SearchDocument.objects.alias(published=published).filter(published=True)
    if reliability:
        graded = Source.objects.filter(pk=OuterRef("object_id"), reliability__in=reliability)
        documents = documents.filter(~Q(kind=SearchDocument.Kind.SOURCE) | Q(Exists(graded)))
    return documents


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
    """The documents whose vector matches, and (plain words) those with a name like the query.

    The few documents a name matches are looked up first, so that the matches are one
    condition the indexes answer together (the search vector's and the primary key's), read
    in one pass, however many documents match.
    """
    matched = Q(search_vector=_tsquery(query))
    if query.is_plain:
        # Name matches only for plain words: quotes, OR and -word ask for exactly those words.
        hits = _name_hits(query).filter(
            content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
        )
        # A name holding the words is in the head vector, so the vector matches already: only
        # the others (a misspelt name) are added, a short list.
        tsquery = _tsquery(query)
        named = SearchDocument.objects.filter(Exists(hits)).exclude(head_vector=tsquery)
        named = list(named.values_list("pk", flat=True))
        if named:
            matched |= Q(pk__in=named)
    return documents.filter(matched)


@contextmanager
def _index_scans():
    """On PostgreSQL, the search's statements run with sequential scans turned off.

    A word in most documents makes the planner scan the table and test every row's vector,
    which reads each large TOASTed vector (a tenth of a second for 10,000 sources), where the
    GIN index answers without reading them; likewise for trigrams on names. The planner does
    not see that cost, so it is told. SET LOCAL ends with the transaction, and is undone here.
    """
    if not _postgres():
        yield
        return
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # The cost of a plan without sequential scans also looks huge to the JIT compiler,
        # which would spend longer compiling than the query takes.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL jit = off")
        try:
            yield
        finally:
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL jit TO DEFAULT")


def _pg_name_similarity(query: Query):
    """Per document: how alike its closest name is to the query (only plain queries)."""
    similarity = (
        _name_hits(query)
        .filter(content_type=OuterRef("content_type"), object_id=OuterRef("object_id"))
        .annotate(similarity=_similarity(query))
        .order_by("-similarity")
        .values("similarity")[:1]
    )
    return Coalesce(Subquery(similarity), Value(0.0))


def _pg_rank(query: Query, vector: str):
    rank = SearchRank(F(vector), _tsquery(query))
    if query.is_plain:
        rank = rank + NAME_WEIGHT * _pg_name_similarity(query)
    return rank


def _pg_pool(narrowed, query: Query):
    """The matches worth ranking on their whole text (see RANKED_POOL).

    Each part is asked of an index and stops at RANKED_POOL rows, however many match: the
    best by names, summary and tags (the head vector's index), the best by name similarity,
    and the first matches the search vector's index yields, in no order, so that a page is
    full when the words are only in bodies. narrowed is what the user may see, narrowed by
    kind and tag but not by the query: each part matches the query itself.
    """
    tsquery = _tsquery(query)
    by_head = (
        narrowed.filter(head_vector=tsquery)
        .annotate(head=SearchRank(F("head_vector"), tsquery))
        .order_by("-head", "title", "pk")
        .values("pk")[:RANKED_POOL]
    )
    first = narrowed.filter(search_vector=tsquery).values("pk")[:RANKED_POOL]
    pool = by_head.union(first)
    if query.is_plain:
        named = _name_hits(query).filter(
            content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
        )
        by_name = narrowed.filter(Exists(named)).annotate(similarity=_pg_name_similarity(query))
        by_name = by_name.order_by("-similarity", "pk").values("pk")[:RANKED_POOL]
        pool = pool.union(by_name)
    return pool


def _pg_ranked(chosen, narrowed, query: Query, total: int, end: int):
    """Ranked by the whole vector and name similarity; past RANKED_POOL matches, the pool
    first so ranked and the rest after it by the head vector. A page that ends within the
    pool is drawn from the pool alone."""
    if total <= RANKED_POOL:
        return chosen.annotate(rank=_pg_rank(query, "search_vector")), ("-rank",)
    pool = list(_pg_pool(narrowed, query).values_list("pk", flat=True))
    if end <= len(pool):
        pooled = SearchDocument.objects.filter(pk__in=pool)
        return pooled.annotate(rank=_pg_rank(query, "search_vector")), ("-rank",)
    in_pool = Q(pk__in=pool)
    rank = Case(
        When(in_pool, then=_pg_rank(query, "search_vector")),
        default=SearchRank(F("head_vector"), _tsquery(query)),
        output_field=FloatField(),
    )
    pooled = Case(When(in_pool, then=Value(1)), default=Value(0))
    return chosen.annotate(rank=rank, pooled=pooled), ("-pooled", "-rank")


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


# Both ------------------------------------------------------------------------------------------


def _kind_counts(matches, tag: str | None) -> Counter:
    """How many matches of each kind carry the tag asked for (all of them when none was)."""
    if tag:
        through = SearchDocument.tags.through.objects.filter(
            searchdocument_id=OuterRef("pk"), tag__slug=tag
        )
        matches = matches.filter(Exists(through))
    return Counter(dict(matches.order_by().values_list("kind").annotate(n=Count("pk"))))


def _kind_facets(counts: Counter, kind: str | None) -> list[Facet]:
    return [
        Facet(value, label, counts[value], selected=value == kind)
        for value, label in KIND_LABELS.items()
        if counts[value]
    ]


def _tag_facets(matches, tag: str | None) -> list[Facet]:
    tags = (
        Tag.objects.filter(search_documents__in=matches.order_by().values("pk"))
        .annotate(n=Count("search_documents"))
        .order_by("-n", "name")[:TAG_FACETS]
    )
    return [Facet(t.slug, t.name, t.n, selected=t.slug == tag) for t in tags]


def _snippet(row, headline: str | None, words: list[str]) -> SafeString:
    if headline and START in headline:
        return mark_safe(headline_html(headline))
    if row.summary:
        return mark_safe(snippet_html(row.summary, words, width=300))
    return mark_safe(headline_html(headline or ""))


def _page_rows(chosen, narrowed, parsed: Query, close: dict, found: SearchResults) -> list:
    """One page of the chosen documents, best first, with their tags."""
    start = (found.page - 1) * PER_PAGE
    end = start + PER_PAGE
    if _postgres():
        ranked, order = _pg_ranked(chosen, narrowed, parsed, found.total, end)
        listed = LISTED_FIELDS
    else:
        ranked, order = sqlite_ranked(chosen, parsed, close), ("-rank",)
        listed = (*LISTED_FIELDS, "text")
    ordered = ranked.only(*listed).prefetch_related("tags").order_by(*order, "title", "pk")
    return list(ordered[start:end])


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
    query: str,
    *,
    user,
    kind: str | None = None,
    tag: str | None = None,
    page: int = 1,
    reliability: tuple[str, ...] = (),
) -> SearchResults:
    """What the user may see that matches the query, a page at a time, best first.

    kind narrows to actor, faction, event or source; tag to one tag slug; reliability (grades
    A-F) the sources to those graded so. The facets count what matches across the other filter,
    so that each can be changed. Counts and facets are computed in the database; ranking and
    snippets for the chosen ones only.
    """
    parsed = parse_query(query)
    found = SearchResults(query=parsed, reliability=tuple(reliability))
    if not parsed:
        return found
    with _index_scans():
        return _search(found, parsed, user=user, kind=kind, tag=tag, page=page)


def _search(found: SearchResults, parsed: Query, *, user, kind, tag, page) -> SearchResults:
    documents = _visible(user, found.reliability)
    if _postgres():
        close, matches = {}, _pg_matching(documents, parsed)
    else:
        close = close_names(parsed, user)
        matches = sqlite_matching(documents, parsed, close)
    counts = _kind_counts(matches, tag)
    found.kinds = _kind_facets(counts, kind)
    of_kind = matches.filter(kind=kind) if kind else matches
    found.tags = _tag_facets(of_kind, tag)
    chosen = of_kind.filter(tags__slug=tag) if tag else of_kind
    narrowed = documents.filter(kind=kind) if kind else documents
    narrowed = narrowed.filter(tags__slug=tag) if tag else narrowed
    found.total = counts[kind] if kind else counts.total()
    found.page = min(max(1, page), found.num_pages)
    if not found.total:
        return found
    rows = _page_rows(chosen, narrowed, parsed, close, found)
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
    matching = (
        Name.objects.visible_to(user)
        .filter(normalised=names.normalise(query))
        .select_related("content_type")
    )
    pages = {(name.content_type_id, name.object_id): name for name in matching[:10]}
    if len(pages) != 1:
        return None
    return next(iter(pages.values())).get_absolute_url()
