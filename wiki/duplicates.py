"""Names close to a new page's names: "Did you mean Ahmad Shah Massoud?" before a duplicate is made.

The same person, group or place reaches the wiki under many transliterations (Masood, Massoud,
Mas'ud; Mazar-e Sharif, Mazar-i-Sharif). Two names are compared in their normal form
(wiki.names.normalise) twice with rapidfuzz, words in any order:

- as spelled, which catches typing slips and small spelling differences;
- as a skeleton in which every run of vowels is one letter and doubled letters are single,
  because Arabic and Persian script leave short vowels unwritten and each transliteration
  fills them in its own way. A skeleton match counts a little less than a spelling match,
  and only for names of five letters or more: short names share skeletons by chance
  (Ali, Ola).

The matching is pure (strings in, dataclasses out); page_duplicates() at the end loads the
candidates from the Name index.
"""

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps
from django.db.models import Exists, OuterRef
from django.urls import reverse
from rapidfuzz import fuzz, process

from wiki import names
from wiki.models import Name

# A score (0–100) at or above this is close enough to ask "did you mean …?".
CUTOFF = 85
# What a skeleton match loses against the same score as spelled.
SKELETON_PENALTY = 10
SKELETON_MIN_LENGTH = 5
# A form shows at most this many pages to choose from.
LIMIT = 5

# Enough for every name of a large wiki; the forms are the same from one request to the next.
CACHE_SIZE = 100_000

_VOWELS_AS_A = str.maketrans("eiou", "aaaa")
_REPEATS = re.compile(r"(.)\1+")


@dataclass(frozen=True)
class Candidate:
    """One name of an existing page: as written, in normal form, and which page it names."""

    name: str
    normalised: str
    page: Hashable  # anything that tells pages apart; the selector uses (content type, id)
    is_title: bool = True


@dataclass(frozen=True)
class Match:
    """A candidate close to one of the typed names."""

    typed: str
    candidate: Candidate
    score: float

    @property
    def exact(self) -> bool:
        """The same name once case, accents and punctuation are set aside."""
        return names.normalise(self.typed) == self.candidate.normalised


def skeleton(normalised: str) -> str:
    """The name with each run of vowels as one "a" and doubled letters single."""
    return _REPEATS.sub(r"\1", normalised.translate(_VOWELS_AS_A))


@lru_cache(maxsize=CACHE_SIZE)
def _forms(normalised: str) -> tuple[str, str]:
    """The name spelled and as a skeleton, each with its words sorted (fuzz.ratio on these is
    rapidfuzz's token_sort_ratio, without sorting every candidate again for every query)."""
    return " ".join(sorted(normalised.split())), " ".join(sorted(skeleton(normalised).split()))


def name_score(typed: str, existing: str) -> float:
    """How close two names are (0–100) by the rules above; 100 when they normalise alike."""
    return _score(names.normalise(typed), names.normalise(existing))


def _score(a: str, b: str) -> float:
    if a == b:
        return 100.0
    (a_spelled, a_skeleton), (b_spelled, b_skeleton) = _forms(a), _forms(b)
    score = fuzz.ratio(a_spelled, b_spelled)
    if min(len(a), len(b)) >= SKELETON_MIN_LENGTH:
        score = max(score, fuzz.ratio(a_skeleton, b_skeleton) - SKELETON_PENALTY)
    return score


def close_names(
    typed: Iterable[str], candidates: Iterable[Candidate], *, cutoff=CUTOFF, limit=LIMIT
) -> list[Match]:
    """The best match on each page close to any typed name: exact names first, then by score."""
    candidates = list(candidates)
    forms = [_forms(candidate.normalised) for candidate in candidates]
    spelled, skeletons = [form[0] for form in forms], [form[1] for form in forms]
    best: dict[Hashable, Match] = {}
    for name in typed:
        key = names.normalise(name)
        if not key:
            continue
        for index in _close_indexes(key, spelled, skeletons, cutoff):
            match = Match(
                name.strip(), candidates[index], _score(key, candidates[index].normalised)
            )
            held = best.get(match.candidate.page)
            if held is None or _rank(match) < _rank(held):
                best[match.candidate.page] = match
    return sorted(best.values(), key=_rank)[:limit]


def close_keys(keys: Iterable[str], normalised: Iterable[str], *, cutoff=CUTOFF) -> set[str]:
    """Which of the normalised names are close to any of the normalised keys."""
    normalised = list(normalised)
    forms = [_forms(name) for name in normalised]
    spelled, skeletons = [form[0] for form in forms], [form[1] for form in forms]
    return {
        normalised[index]
        for key in keys
        for index in _close_indexes(key, spelled, skeletons, cutoff)
    }


def _close_indexes(key: str, spelled: list[str], skeletons: list[str], cutoff) -> set[int]:
    # rapidfuzz scans each list in C; only the few hits are scored again in Python.
    key_spelled, key_skeleton = _forms(key)
    hits = {
        index
        for _, _, index in process.extract(
            key_spelled, spelled, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
    }
    if len(key) >= SKELETON_MIN_LENGTH:
        # Lengths of the sorted forms are those of the names: the guard needs no lookup.
        hits |= {
            index
            for _, _, index in process.extract(
                key_skeleton,
                skeletons,
                scorer=fuzz.ratio,
                score_cutoff=cutoff + SKELETON_PENALTY,
                limit=None,
            )
            if len(spelled[index]) >= SKELETON_MIN_LENGTH
        }
    return hits


def _rank(match: Match):
    return (not match.exact, -match.score, not match.candidate.is_title, match.candidate.name)


# ---------------------------------------------------------------------------------------------
# Loading the candidates


@dataclass(frozen=True)
class Duplicate:
    """An existing page a new page may duplicate, for the forms to show."""

    title: str
    kind: str
    url: str
    alias: str  # the existing page's alias that matched; "" when its title did
    typed: str  # the new page's name that matched
    exact: bool
    is_public: bool


def warning(duplicate: Duplicate) -> str:
    """The form error that holds a new page back; an exact name says so most plainly."""
    page = f"the {duplicate.kind} “{duplicate.title}”"
    if duplicate.exact:
        what = "a name" if duplicate.alias else "the title"
        said = f"“{duplicate.typed}” is already {what} of {page}."
    else:
        also = f" (also called “{duplicate.alias}”)" if duplicate.alias else ""
        said = f"Did you mean {page}{also}?"
    return f"{said} Open it, or confirm that this is another page to create it anyway."


def page_duplicates(*, title: str, aliases=(), exclude=None) -> list[Duplicate]:
    """Existing pages, drafts included, whose title or an alias is close to these: two queries.

    The first reads every distinct name, one column, for rapidfuzz to compare; the second
    the few pages with a close name, with their titles. `exclude` is a page that is not its
    own duplicate (when renaming it).
    """
    typed = [title, *aliases]
    keys = [key for key in map(names.normalise, typed) if key]
    if not keys:
        return []
    rows = Name.objects.order_by()
    if exclude is not None and exclude.pk is not None:
        rows = rows.exclude(content_type__model=exclude._meta.model_name, object_id=exclude.pk)
    close = close_keys(keys, rows.values_list("normalised", flat=True).distinct())
    if not close:
        return []
    with_close_name = rows.filter(
        normalised__in=close, content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
    )
    pages, candidates = {}, []
    for model_name, object_id, name, normalised, is_title, slug, is_public in rows.filter(
        Exists(with_close_name)
    ).values_list(
        "content_type__model", "object_id", "name", "normalised", "is_title", "slug", "is_public"
    ):
        page = (model_name, object_id)
        candidates.append(Candidate(name, normalised, page, is_title))
        if is_title or page not in pages:
            pages[page] = (name, slug, is_public)
    return [
        _duplicate(match, *pages[match.candidate.page]) for match in close_names(typed, candidates)
    ]


def _duplicate(match: Match, title: str, slug: str, is_public: bool) -> Duplicate:
    model = apps.get_model("wiki", match.candidate.page[0])
    return Duplicate(
        title=title,
        kind=model._meta.verbose_name,
        url=reverse("wiki:entry-detail", args=[model.url_segment, slug]),
        alias="" if match.candidate.is_title else match.candidate.name,
        typed=match.typed,
        exact=match.exact,
        is_public=is_public,
    )
