"""Keeping the search index current: one SearchDocument per page and per source.

The save services call search_document_update after every page save, publish and delete; a
source save reaches it through sources.signals.source_saved. Both run inside the saving
transaction, so a refused save leaves the index as it was.
"""

from collections.abc import Callable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Value

from sources.models import Source
from wiki import names
from wiki.models import ENTRY_MODELS, SearchDocument
from wiki.search.text import clean, plain_body, search_form

# The text search configuration of the vector and of every query (stemming, stop words). The
# text is folded in Python first, so accents and apostrophes never reach PostgreSQL.
CONFIG = "english"
# Title and aliases above summary, tags and metadata, above the body (weights A, B, C).
WEIGHTS = ("A", "B", "C")
# A tsvector holds at most 1 MB; the first million characters of a text are searched.
MAX_INDEXED_CHARS = 1_000_000
ROWS_PER_FETCH = 200
INDEXED_MODELS = (*ENTRY_MODELS, Source)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _entry_fields(entry) -> dict:
    return {
        "kind": entry._meta.model_name,
        "title": entry.title,
        "names": "\n".join(name for name, _ in names.names_of(entry.title, entry.alias_list)),
        "summary": entry.summary,
        "text": plain_body(entry.body),
        "url": entry.get_absolute_url(),
        "is_public": entry.is_public,
    }


def _source_fields(source: Source) -> dict:
    about = [source.key, source.authors, source.publisher, source.published, source.document_symbol]
    return {
        "kind": SearchDocument.Kind.SOURCE,
        "title": source.title,
        "names": source.title,
        "summary": " · ".join(part for part in about if part),
        "text": clean(source.text),
        "url": source.get_absolute_url(),
        "is_public": source.is_public,
    }


def _fields(obj) -> dict:
    return _source_fields(obj) if isinstance(obj, Source) else _entry_fields(obj)


def _folded_copies(fields: dict, tag_names: list[str]) -> dict:
    """SQLite's searchable copies: names between newlines, all words each after a space."""
    if _postgres():
        return {"folded_names": "", "folded": ""}
    folded_names = [search_form(name) for name in fields["names"].splitlines()]
    everything = [*folded_names, search_form(fields["summary"]), *map(search_form, tag_names)]
    everything.append(search_form(fields["text"][:MAX_INDEXED_CHARS]))
    return {
        "folded_names": "\n" + "\n".join(folded_names) + "\n",
        "folded": " " + " ".join(part for part in everything if part) + " ",
    }


def _weighted(parts: list[str]):
    vectors = [
        SearchVector(Value(search_form(part)), weight=weight, config=CONFIG)
        for part, weight in zip(parts, WEIGHTS, strict=False)
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def _head(fields: dict, tag_names: list[str]) -> list[str]:
    return [fields["names"], " ".join([fields["summary"], *tag_names])]


def _vector(fields: dict, tag_names: list[str]):
    """The weighted search vector of a document, from folded copies of its parts."""
    return _weighted([*_head(fields, tag_names), fields["text"][:MAX_INDEXED_CHARS]])


def head_vector(fields: dict, tag_names: list[str]):
    """The vector of names (A) and summary and tags (B) only: what ranks many matches."""
    return _weighted(_head(fields, tag_names))


def search_document_update(obj) -> SearchDocument:
    """Write the search document of one page or source as it now stands (tags included)."""
    fields = _fields(obj)
    tags = list(obj.tags.all())
    tag_names = [tag.name for tag in tags]
    fields |= _folded_copies(fields, tag_names)
    document, _ = SearchDocument.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, defaults=fields
    )
    document.tags.set(tags)
    if _postgres():
        SearchDocument.objects.filter(pk=document.pk).update(
            search_vector=_vector(fields, tag_names), head_vector=head_vector(fields, tag_names)
        )
    return document


def search_document_delete(obj) -> None:
    """Remove a page or source from the index (before the row itself goes)."""
    SearchDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).delete()


def search_document_on_source_saved(sender, *, source, **kwargs) -> None:
    """Receiver of sources.signals.source_saved: the source's document follows its save."""
    search_document_update(source)


def search_document_on_delete(sender, *, instance, **kwargs) -> None:
    """Receiver of post_delete: a deleted page or source leaves the index."""
    if sender in INDEXED_MODELS:
        search_document_delete(instance)


def _indexable() -> Iterator:
    """Every page and source, a batch at a time, with their tags."""
    for model in INDEXED_MODELS:
        rows = model.objects.prefetch_related("tags").order_by("pk")
        yield from rows.iterator(ROWS_PER_FETCH)


def _indexable_count() -> int:
    return sum(model.objects.count() for model in INDEXED_MODELS)


def search_index_rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the pages and sources; returns how many documents.

    progress(done, total) is called after each document. Documents of things that no longer
    exist are dropped. One transaction: searches meanwhile see the old index.
    """
    total = _indexable_count()
    with transaction.atomic():
        stale = set(SearchDocument.objects.values_list("pk", flat=True))
        for done, obj in enumerate(_indexable(), start=1):
            stale.discard(search_document_update(obj).pk)
            if progress is not None:
                progress(done, total)
        stale = sorted(stale)
        for at in range(0, len(stale), ROWS_PER_FETCH):
            SearchDocument.objects.filter(pk__in=stale[at : at + ROWS_PER_FETCH]).delete()
    _tidy()
    return total


def _tidy() -> None:
    """After writing many rows: fresh statistics, and the GIN indexes' pending entries merged.

    Until autovacuum does both, the planner would read a freshly rebuilt index as too costly
    and scan every row instead (seconds, not milliseconds, at a few thousand documents).
    """
    if not _postgres():
        return
    with connection.cursor() as cursor:
        for index in ("wiki_searchdocument_vector_gin", "wiki_name_normalised_trgm"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE wiki_searchdocument, wiki_searchdocument_tags, wiki_name")


def search_index_fill_missing() -> int:
    """Index the pages and sources that have no search document yet; returns how many."""
    added = 0
    for model in INDEXED_MODELS:
        indexed = SearchDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(model)
        ).values("object_id")
        missing = model.objects.exclude(pk__in=indexed).prefetch_related("tags").order_by("pk")
        for obj in missing.iterator(ROWS_PER_FETCH):
            search_document_update(obj)
            added += 1
    return added
