"""Keep the mention index (sources.Mention) in step with source texts and entry names.

Three events change it: a source's text changes (rematch that one text against every name),
an entry's names change (rematch only the texts where an old or a new name of it occurs), and a
full rebuild (the rebuild_mentions command, the benchmark). Every rebuild of a text rematches it
against every name, because names compete: where "Ahmad Shah Massoud" and "Massoud" overlap,
the longest wins, so a new or lost name can change another entry's mentions in the same text.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from sources.models import Mention, Source
from wiki import names
from wiki.mentions.matcher import Found, Matcher, name_key
from wiki.models import Name, SearchDocument
from wiki.search.index import CONFIG, MAX_INDEXED_CHARS
from wiki.search.text import EZAFE_WORDS, search_form

BATCH = 500  # texts held in memory at once: about 10 MB of 20 KB sources

Progress = Callable[[int, int], None]
EntryRef = tuple[int, int]  # (content type id, object id)


@dataclass
class NameIndex:
    """Every title and alias as a matcher, and the entries each matched key names."""

    matcher: Matcher
    entries: dict[str, list[EntryRef]]


def name_index() -> NameIndex:
    """The matcher over every name in the Name table: one query."""
    entries: dict[str, list[EntryRef]] = {}
    for name, content_type_id, object_id in Name.objects.values_list(
        "name", "content_type_id", "object_id"
    ):
        refs = entries.setdefault(name_key(name), [])
        if (content_type_id, object_id) not in refs:  # an alias that only differs in case
            refs.append((content_type_id, object_id))
    entries.pop("", None)
    return NameIndex(Matcher(entries), entries)


def entry_keys(entry) -> set[str]:
    """The keys of an entry's title and aliases as they are on the object (saved or not)."""
    keys = {name_key(name) for name, _ in names.names_of(entry.title, entry.alias_list)}
    return keys - {""}


def entry_keys_stored(entry) -> set[str]:
    """The keys of an entry's names as the Name table holds them: one query, none if unsaved."""
    if entry.pk is None:
        return set()
    rows = Name.objects.filter(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
    ).values_list("name", flat=True)
    return {name_key(name) for name in rows} - {""}


def _rows(source_id: int, found: list[Found], index: NameIndex) -> list[Mention]:
    positions: dict[EntryRef, list[list[int]]] = {}
    for one in found:
        for ref in index.entries[one.key]:
            positions.setdefault(ref, []).append([one.start, one.end])
    return [
        Mention(
            source_id=source_id,
            content_type_id=content_type_id,
            object_id=object_id,
            count=len(spans),
            positions=spans,
            first_start=spans[0][0],
        )
        for (content_type_id, object_id), spans in positions.items()
    ]


def mentions_of(source_id: int, text: str, index: NameIndex) -> list[Mention]:
    """Unsaved Mention rows for one text: one per entry named, positions in text order."""
    return _rows(source_id, index.matcher.find(text), index)


def mentions_rebuild_source(*, source: Source, index: NameIndex | None = None) -> int:
    """Rematch one source's text against every name; returns the number of entries named."""
    index = index or name_index()
    Mention.objects.filter(source=source).delete()
    return len(Mention.objects.bulk_create(mentions_of(source.pk, source.text, index)))


def _text_batches(sources, size: int = BATCH) -> Iterator[list[tuple[int, str]]]:
    """(id, text) of the sources, a batch at a time, by id: one query per batch."""
    last = 0
    while True:
        batch = list(sources.filter(pk__gt=last).order_by("pk").values_list("pk", "text")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


Keep = Callable[[int, list[Found]], bool]


def _rebuild(sources, index: NameIndex, *, clear, progress=None, keep: Keep | None = None):
    """Rematch the sources a batch at a time; keep(source id, matches), when given, says
    whose rows to write (the others stand). Returns (sources written, rows written)."""
    total, done, rematched, written = (sources.count() if progress else 0), 0, 0, 0
    for batch in _text_batches(sources):
        matched = [(pk, index.matcher.find(text)) for pk, text in batch]
        if keep is not None:
            matched = [(pk, found) for pk, found in matched if keep(pk, found)]
        clear([pk for pk, _ in matched])
        rows = [row for pk, found in matched for row in _rows(pk, found, index)]
        written += len(Mention.objects.bulk_create(rows, batch_size=2000))
        rematched += len(matched)
        done += len(batch)
        if progress is not None:
            progress(done, total)
    return rematched, written


def mentions_rebuild_all(*, progress: Progress | None = None) -> int:
    """Rebuild the whole index in bulk; progress(done, total) after each batch of sources.

    Returns the number of Mention rows written.
    """
    index = name_index()
    Mention.objects.all().delete()
    return _rebuild(Source.objects.all(), index, clear=lambda ids: None, progress=progress)[1]


def _clear(source_ids) -> None:
    Mention.objects.filter(source_id__in=source_ids).delete()


def mentions_rebuild_sources(source_ids: Iterable[int], *, index: NameIndex | None = None) -> int:
    """Rematch these sources against every name; returns the number of Mention rows written."""
    ids = sorted(set(source_ids))
    if not ids:
        return 0
    index = index or name_index()
    return _rebuild(Source.objects.filter(pk__in=ids), index, clear=_clear)[1]


# Candidates on PostgreSQL ----------------------------------------------------------------------
#
# The search index holds, for every source, a vector of the lexemes of its folded text
# (wiki.search.index). A text where a name occurs as whole words holds every word of the name
# in that folding, so the sources whose vector holds all of them are a superset of those
# that name it; the matcher then confirms. What the two foldings do differently is allowed
# for: a possessive joins its word ("Massoud's" is the lexeme of "massouds"), the connecting
# vowel and stop words ("of", "the") have no lexeme, so they are left out, and a vector covers
# the first MAX_INDEXED_CHARS characters only. Word presence is asked, not a phrase: a vector
# keeps at most 256 positions of a word, none past the 16,383rd, so a phrase could miss.


def _lexemes(words: set[str]) -> dict[str, str]:
    """Each word's query in the search configuration ('' for a stop word): one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, plainto_tsquery(%s::regconfig, w)::text FROM unnest(%s::text[]) AS w",
            [CONFIG, sorted(words)],
        )
        return dict(cursor.fetchall())


def _key_words(key: str) -> list[str]:
    """A key's words as the search index folds them, the connecting vowel left out."""
    return [word for word in search_form(key).split() if word not in EZAFE_WORDS]


def names_tsquery(keys: Iterable[str]) -> str | None:
    """A tsquery that every source text naming one of the keys matches, in the search
    configuration; None when a key has no word with a lexeme (a name of stop words only)."""
    per_key = {key: _key_words(key) for key in keys}
    words = {word for found in per_key.values() for word in found}
    lexemes = _lexemes(words | {f"{word}s" for word in words})
    alternatives = []
    for found in per_key.values():
        # A word is asked for as written and as a possessive joins it ("massouds"). One with
        # no lexeme either way is left out: a stop word, or one whose possessive is ("his").
        terms = [
            "(" + " | ".join(dict.fromkeys([lexemes[word], lexemes[word + "s"]])) + ")"
            for word in found
            if lexemes[word] and lexemes[word + "s"]
        ]
        if not terms:
            return None
        alternatives.append("(" + " & ".join(terms) + ")")
    return " | ".join(alternatives)


def sources_maybe_naming(keys: Iterable[str]) -> set[int] | None:
    """On PostgreSQL, the ids of the sources whose text may hold one of the keys as whole
    words (a superset); None where every text must be read (SQLite, a name of stop words)."""
    keys = {key for key in keys if key}
    if connection.vendor != "postgresql" or not keys:
        return None if keys else set()
    query = names_tsquery(keys)
    if query is None:
        return None
    source_type = ContentType.objects.get_for_model(Source).pk
    documents = SearchDocument._meta.db_table
    sources = Source._meta.db_table
    # octet_length reads a stored text's size without reading the text.
    sql = f"""
        SELECT object_id FROM {documents}
        WHERE content_type_id = %s AND search_vector @@ %s::tsquery
        UNION
        SELECT id FROM {sources} AS s
        WHERE octet_length(s.text) > %s OR NOT EXISTS (
            SELECT 1 FROM {documents} AS d
            WHERE d.content_type_id = %s AND d.object_id = s.id
              AND d.search_vector IS NOT NULL)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [source_type, query, MAX_INDEXED_CHARS, source_type])
        return {pk for (pk,) in cursor.fetchall()}


def _candidate_sources(keys: Iterable[str]):
    """The sources whose text may hold one of the keys: all, but on PostgreSQL."""
    ids = sources_maybe_naming(keys)
    return Source.objects.all() if ids is None else Source.objects.filter(pk__in=sorted(ids))


def sources_naming(keys: Iterable[str]) -> set[int]:
    """Ids of the sources whose text holds any of these keys as whole words: the candidates
    are read and matched (on PostgreSQL those the search index names, elsewhere all)."""
    keys = set(keys)
    matcher = Matcher(keys)
    if matcher.empty:
        return set()
    return {
        pk
        for batch in _text_batches(_candidate_sources(keys))
        for pk, text in batch
        if matcher.occurs_in(text)
    }


def _mentioning(entry) -> set[int]:
    return set(
        Mention.objects.filter(
            content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
        ).values_list("source_id", flat=True)
    )


def mentions_names_changed(*, entry, before: set[str], after: set[str]) -> int:
    """After an entry's names changed from `before` to `after`, rematch the texts concerned.

    A lost name concerns the texts that mention the entry now (a lost mention, a changed
    winner). A gained name concerns the texts where it wins a match: the texts that may hold
    it (on PostgreSQL the candidates the search index names, elsewhere all) are matched, and
    written where it wins; where it loses to a longer name, or is not there, nothing changes.
    Returns the number of sources rematched.
    """
    if before == after:
        return 0
    index = name_index()
    must = _mentioning(entry) if before - after else set()
    gained = after - before
    if gained:
        maybe = sources_maybe_naming(gained)
        sources = Source.objects.all() if maybe is None else _by_id(must | maybe)
    else:
        sources = _by_id(must)

    def keep(source_id: int, found: list[Found]) -> bool:
        return source_id in must or any(one.key in gained for one in found)

    return _rebuild(sources, index, clear=_clear, keep=keep)[0]


def _by_id(ids: set[int]):
    return Source.objects.filter(pk__in=sorted(ids))


def mentions_entry_forget(*, entry) -> int:
    """Before an entry is deleted (its Name rows already gone): rematch the texts naming it."""
    affected = _mentioning(entry)
    mentions_rebuild_sources(affected)
    return len(affected)


def source_saved_receiver(sender, *, source, text_changed, **kwargs) -> None:
    """sources.signals.source_saved: a new or changed text is rematched against every name."""
    if text_changed:
        mentions_rebuild_source(source=source)
