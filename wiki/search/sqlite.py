"""Search on SQLite, which has no full-text index here: every typed word must start a word of
the folded document, a title or alias match ranks first, and rapidfuzz stands in for trigrams.
"""

from django.db.models import Case, FloatField, Q, Value, When
from rapidfuzz import fuzz, process

from wiki import names
from wiki.models import Name
from wiki.search.text import Query

# How alike (0-100, rapidfuzz) a name must be to the query to count: Dostam and Dostum score 83.
CLOSE_NAME_CUTOFF = 80
# The most pages a misspelt name may bring in.
CLOSE_NAMES = 20


def _words_start(column: str, words) -> Q:
    return Q(**{f"{column}__contains": " " + " ".join(words)})


def close_names(query: Query, user) -> dict[tuple[int, int], float]:
    """SQLite's stand-in for trigrams: pages with a name close to the query, and how close.

    Reads every visible name and lets rapidfuzz compare them in C: some 20 ms for 20,000
    names, fine at the sizes SQLite serves; PostgreSQL asks its trigram index instead.
    """
    if not query.is_plain:
        return {}
    rows = Name.objects.visible_to(user).values_list("content_type_id", "object_id", "normalised")
    rows = list(rows)
    typed = names.normalise(query.raw)
    hits = process.extract(
        typed,
        [key for _, _, key in rows],
        scorer=fuzz.token_sort_ratio,
        score_cutoff=CLOSE_NAME_CUTOFF,
        limit=CLOSE_NAMES,
    )
    close: dict[tuple[int, int], float] = {}
    for _, score, index in hits:
        page = rows[index][:2]
        close[page] = max(score, close.get(page, 0))
    return close


def _page_is(page: tuple[int, int]) -> Q:
    return Q(content_type_id=page[0], object_id=page[1])


def sqlite_matching(documents, query: Query, close: dict):
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


def sqlite_ranked(matches, query: Query, close: dict):
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
