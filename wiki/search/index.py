"""Keeping the search index current: one SearchDocument per page and per source.

The save services call search_document_update after every page save, publish and delete; a
source save reaches it through sources.signals.source_saved. Both run inside the saving
transaction, so a refused save leaves the index as it was.
"""

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db import connection, connections, transaction
from django.db.models import Value

from sources.models import Source
from wiki import names
from wiki.models import ENTRY_MODELS, SearchDocument
from wiki.search.text import clean, plain_body, search_form
from wiki.search.vectors import Lexicon, text_vector, words_of

# The text search configuration of the vector and of every query (stemming, stop words). The
# text is folded in Python first, so accents and apostrophes never reach PostgreSQL.
CONFIG = "english"
# Title and aliases above summary, tags and metadata, above the body (weights A, B, C).
WEIGHTS = ("A", "B", "C")
# A tsvector holds at most 1 MB; the first million characters of a text are searched.
MAX_INDEXED_CHARS = 1_000_000
ROWS_PER_FETCH = 200
# Documents folded and written together by a rebuild: about 4 MB of 20 KB sources.
ROWS_PER_BATCH = 200
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


def _folded_copies(fields: dict, tag_names: list[str], postgres: bool) -> dict:
    """SQLite's searchable copies: names between newlines, all words each after a space."""
    if postgres:
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
    fields |= _folded_copies(fields, tag_names, _postgres())
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


def _indexable() -> Iterator[list]:
    """Every page and source, a batch at a time, with their tags."""
    for model in INDEXED_MODELS:
        last = 0
        while True:
            rows = model.objects.filter(pk__gt=last).order_by("pk").prefetch_related("tags")
            batch = list(rows[:ROWS_PER_BATCH])
            if not batch:
                break
            yield batch
            last = batch[-1].pk


def _indexable_count() -> int:
    return sum(model.objects.count() for model in INDEXED_MODELS)


@dataclass
class _Prepared:
    """A batch of documents as the rebuild writes them: fields, tags, folded parts and (on
    PostgreSQL) the text's vector where Python could build it."""

    content_type_id: int
    rows: list[dict] = field(default_factory=list)
    tag_ids: list[list[int]] = field(default_factory=list)
    folded: list[list[str]] = field(default_factory=list)  # names, summary and tags, text
    vectors: list[str | None] = field(default_factory=list)


def _prepare(batch: list, content_type_id: int, lexicon: Lexicon | None) -> _Prepared:
    """The documents of a batch, folded, their text vectors built (given a lexicon, which
    asks the database about new words on its own connection): it runs beside the writes."""
    prepared = _Prepared(content_type_id)
    words = []
    for obj in batch:
        tags = list(obj.tags.all())
        tag_names = [tag.name for tag in tags]
        fields = _fields(obj)
        fields |= _folded_copies(fields, tag_names, lexicon is not None)
        prepared.rows.append({**fields, "object_id": obj.pk})
        prepared.tag_ids.append([tag.pk for tag in tags])
        if lexicon is not None:
            text = search_form(fields["text"][:MAX_INDEXED_CHARS])
            words.append(words_of(text))
            head = [search_form(part) for part in _head(fields, tag_names)]
            prepared.folded.append([*head, text if words[-1] is None else ""])
    if lexicon is not None:
        lexicon.learn({word for found in words if found for word in found})
        prepared.vectors = [
            None if found is None else text_vector(found, lexicon) for found in words
        ]
    return prepared


_COLUMNS = ("kind", "object_id", "title", "names", "summary", "text", "url", "is_public")
_TYPES = ("varchar", "bigint", "varchar", "text", "text", "text", "varchar", "boolean")


def _upsert_postgres(prepared: _Prepared) -> list[int]:
    """One statement for the batch: the rows, the head vectors and what text vectors Python
    could not build computed in the database."""
    table = SearchDocument._meta.db_table
    columns = ", ".join(_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for kind in (*_TYPES, "text", "text", "text", "text"))
    updates = ", ".join(
        f"{column} = EXCLUDED.{column}"
        for column in (*_COLUMNS, "folded_names", "folded", "search_vector", "head_vector")
    )
    parts = [[folded[i] for folded in prepared.folded] for i in range(3)]
    # The same vectors as search_document_update's: names A, summary and tags B, text C.
    sql = f"""
        INSERT INTO {table} ({columns}, content_type_id, folded_names, folded,
                             search_vector, head_vector)
        SELECT {columns}, %s, '', '',
               head || setweight(COALESCE(v::tsvector, to_tsvector(%s::regconfig, c)), 'C'),
               head
        FROM (SELECT d.*, setweight(to_tsvector(%s::regconfig, a), 'A')
                          || setweight(to_tsvector(%s::regconfig, b), 'B') AS head
              FROM unnest({arrays}) AS d({columns}, a, b, c, v)) AS rows
        ON CONFLICT (content_type_id, object_id) DO UPDATE SET {updates}
        RETURNING id
    """
    values = [[row[column] for row in prepared.rows] for column in _COLUMNS]
    params = [prepared.content_type_id, CONFIG, CONFIG, CONFIG, *values, *parts]
    connection.ensure_connection()
    # Parameters bound by the server: a batch's texts and vectors are megabytes, which
    # Django's cursor would quote into the statement in Python, holding up the folding.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [*params, prepared.vectors])
        return [pk for (pk,) in cursor.fetchall()]


def _upsert_sqlite(prepared: _Prepared) -> list[int]:
    documents = [
        SearchDocument(content_type_id=prepared.content_type_id, **row) for row in prepared.rows
    ]
    fields = [*_COLUMNS, "folded_names", "folded"]
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["content_type", "object_id"],
        update_fields=[name for name in fields if name != "object_id"],
    )
    ids = dict(
        SearchDocument.objects.filter(
            content_type_id=prepared.content_type_id,
            object_id__in=[row["object_id"] for row in prepared.rows],
        ).values_list("object_id", "pk")
    )
    return [ids[row["object_id"]] for row in prepared.rows]


def _write(prepared: _Prepared) -> list[int]:
    """Write a prepared batch and its tags; returns the documents' ids, in order."""
    ids = (_upsert_postgres if _postgres() else _upsert_sqlite)(prepared)
    through = SearchDocument.tags.through
    through.objects.filter(searchdocument_id__in=ids).delete()
    through.objects.bulk_create(
        through(searchdocument_id=pk, tag_id=tag_id)
        for pk, tag_ids in zip(ids, prepared.tag_ids, strict=True)
        for tag_id in tag_ids
    )
    return ids


def search_index_rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the pages and sources; returns how many documents.

    Set-based: a batch of documents is folded in Python and the vectors of their texts built
    there (wiki.search.vectors), then the batch is written by one statement; the next batch
    is prepared while the database works.
    progress(done, total) is called after each batch. Documents of things that no longer
    exist are dropped. One transaction: searches meanwhile see the old index.
    """
    total, done = _indexable_count(), 0
    types = {model: ContentType.objects.get_for_model(model).pk for model in INDEXED_MODELS}
    lexicon = Lexicon(CONFIG) if _postgres() else None
    with transaction.atomic(), ThreadPoolExecutor(max_workers=1) as folding:
        stale = set(SearchDocument.objects.values_list("pk", flat=True))
        pending = None
        for batch in _indexable():
            # Folding holds the interpreter; waiting on the database does not: the two overlap.
            ahead = folding.submit(_prepare, batch, types[type(batch[0])], lexicon)
            if pending is not None:
                done += _written(pending.result(), stale, progress, done, total)
            pending = ahead
        if pending is not None:
            done += _written(pending.result(), stale, progress, done, total)
        folding.submit(connections.close_all)  # the folding thread's own connection
        stale = sorted(stale)
        for at in range(0, len(stale), ROWS_PER_FETCH):
            SearchDocument.objects.filter(pk__in=stale[at : at + ROWS_PER_FETCH]).delete()
    _tidy()
    return total


def _written(prepared: _Prepared, stale: set, progress, done: int, total: int) -> int:
    stale.difference_update(_write(prepared))
    if progress is not None:
        progress(done + len(prepared.rows), total)
    return len(prepared.rows)


def _tidy() -> None:
    """After writing many rows: fresh statistics, and the GIN indexes' pending entries merged.

    Until autovacuum does both, the planner would read a freshly rebuilt index as too costly
    and scan every row instead (seconds, not milliseconds, at a few thousand documents).
    """
    if not _postgres():
        return
    with connection.cursor() as cursor:
        for index in (
            "wiki_searchdocument_vector_gin",
            "wiki_searchdocument_head_gin",
            "wiki_name_normalised_trgm",
        ):
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
