"""Titles to go straight to while typing in the search box: a prefix of any word of any name
(and, on PostgreSQL, a name close to what was typed).

Read from the Name index (every title and alias in normal form, with the page's slug and
published flag copied in), so that one query answers, however many pages there are.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, FloatField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Length
from django.urls import reverse

from wiki import names
from wiki.models import Name

LIMIT = 8
# Names are at most 200 characters; nobody types more than this to find one.
MAX_QUERY = 100
# Trigrams of shorter text match too much to help.
FUZZY_FROM = 4


@dataclass(frozen=True)
class Suggestion:
    """A page whose title, or one of whose aliases, starts like what was typed."""

    title: str
    kind: str
    url: str
    alias: str  # the alias that matched; "" when the title did
    is_public: bool

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "url": self.url,
            "alias": self.alias,
            "published": self.is_public,
        }


def _matching(key: str, user):
    """Names that start with key or have a word that does, titles first, then shortest.

    On PostgreSQL (whose pg_trgm index on the names the search migration makes), names
    close to key as well, after those, closest first: "Hekmatyr" finds Hekmatyar.
    """
    word_start = Q(normalised__contains=f" {key}")
    rank = Case(
        When(normalised__startswith=key, then=Value(0)), When(word_start, then=Value(1)), default=2
    )
    order = ["rank", "-is_title", "length", "normalised"]
    rows = Name.objects.visible_to(user).annotate(rank=rank, length=Length("normalised"))
    if connection.vendor == "postgresql" and len(key) >= FUZZY_FROM:
        # Word similarity also finds every name with a word that starts with key (all but one
        # of key's trigrams are in it): two conditions that each have their index, the
        # b-tree and the trigram GIN. With more, the planner reads every row instead.
        rows = rows.filter(Q(normalised__startswith=key) | Q(normalised__trigram_word_similar=key))
        # Only the close names are ordered by how close: prefixes keep the order above.
        similarity = TrigramWordSimilarity(key, "normalised")
        rows = rows.annotate(
            closeness=Case(
                When(rank=2, then=similarity), default=Value(1.0), output_field=FloatField()
            )
        )
        order.insert(1, "-closeness")
    else:
        rows = rows.filter(Q(normalised__startswith=key) | word_start)
    title = Name.objects.filter(
        content_type=OuterRef("content_type"), object_id=OuterRef("object_id"), is_title=True
    ).values("name")[:1]
    return (
        rows.annotate(title=Subquery(title))
        .order_by(*order)
        .values_list(
            "content_type__model", "object_id", "name", "is_title", "title", "slug", "is_public"
        )
    )


def name_suggestions(text: str, *, user, limit: int = LIMIT) -> list[Suggestion]:
    """Pages the user may see whose title or an alias starts like text: one query."""
    key = names.normalise(text[:MAX_QUERY])
    if not key:
        return []
    rows = _matching(key, user)
    seen, suggestions = set(), []
    # A page may match by its title and by aliases: read a few more rows, keep its best one.
    for model_name, object_id, name, is_title, title, slug, is_public in rows[: limit * 3]:
        if (model_name, object_id) in seen:
            continue
        seen.add((model_name, object_id))
        model = apps.get_model("wiki", model_name)
        suggestions.append(
            Suggestion(
                title=title or name,
                kind=str(model._meta.verbose_name),
                url=reverse("wiki:entry-detail", args=[model.url_segment, slug]),
                alias="" if is_title else name,
                is_public=is_public,
            )
        )
        if len(suggestions) == limit:
            break
    return suggestions
