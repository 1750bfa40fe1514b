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

from sources.models import Mention, Source
from wiki import names
from wiki.mentions.matcher import Matcher, name_key
from wiki.models import Name

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


def mentions_of(source_id: int, text: str, index: NameIndex) -> list[Mention]:
    """Unsaved Mention rows for one text: one per entry named, positions in text order."""
    positions: dict[EntryRef, list[list[int]]] = {}
    for found in index.matcher.find(text):
        for ref in index.entries[found.key]:
            positions.setdefault(ref, []).append([found.start, found.end])
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


def _rebuild(sources, index: NameIndex, *, clear, progress: Progress | None) -> int:
    total, done, written = (sources.count() if progress else 0), 0, 0
    for batch in _text_batches(sources):
        clear([pk for pk, _ in batch])
        rows = [mention for pk, text in batch for mention in mentions_of(pk, text, index)]
        written += len(Mention.objects.bulk_create(rows, batch_size=2000))
        done += len(batch)
        if progress is not None:
            progress(done, total)
    return written


def mentions_rebuild_all(*, progress: Progress | None = None) -> int:
    """Rebuild the whole index in bulk; progress(done, total) after each batch of sources.

    Returns the number of Mention rows written.
    """
    index = name_index()
    Mention.objects.all().delete()
    return _rebuild(Source.objects.all(), index, clear=lambda ids: None, progress=progress)


def mentions_rebuild_sources(source_ids: Iterable[int], *, index: NameIndex | None = None) -> int:
    """Rematch these sources against every name; returns the number of Mention rows written."""
    ids = sorted(set(source_ids))
    if not ids:
        return 0
    index = index or name_index()

    def clear(batch_ids):
        Mention.objects.filter(source_id__in=batch_ids).delete()

    return _rebuild(Source.objects.filter(pk__in=ids), index, clear=clear, progress=None)


def sources_naming(keys: Iterable[str]) -> set[int]:
    """Ids of the sources whose text holds any of these keys (as whole words), by scanning."""
    matcher = Matcher(keys)
    if matcher.empty:
        return set()
    return {
        pk
        for batch in _text_batches(Source.objects.all())
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

    Those are the texts that mention the entry now (a lost name, a changed winner) and those
    where a new name occurs: found by one pass of a small automaton over every text, with no
    offsets, then rematched in full. Returns the number of sources rematched.
    """
    if before == after:
        return 0
    affected = _mentioning(entry) | sources_naming(after - before)
    mentions_rebuild_sources(affected)
    return len(affected)


def mentions_entry_forget(*, entry) -> int:
    """Before an entry is deleted (its Name rows already gone): rematch the texts naming it."""
    affected = _mentioning(entry)
    mentions_rebuild_sources(affected)
    return len(affected)


def source_saved_receiver(sender, *, source, text_changed, **kwargs) -> None:
    """sources.signals.source_saved: a new or changed text is rematched against every name."""
    if text_changed:
        mentions_rebuild_source(source=source)
