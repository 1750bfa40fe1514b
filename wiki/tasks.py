"""The wiki's background tasks: the mention index after a name or a text changes.

Rematching mentions costs time in proportion to the archive (the texts that hold a name, every
name against a text), so the save services enqueue these on commit instead of running them in
the request (sources.common.tasks). Each takes only ids and name keys, reads the rows as they
are when it runs, and may run twice: the result is the same.
"""

from django.contrib.contenttypes.models import ContentType

from sources.common.tasks import after_commit, background
from sources.models import Mention
from wiki.mentions.index import mentions_names_changed, mentions_rebuild_sources


@background
def mentions_after_rename(
    content_type_id: int, object_id: int, before: list[str], after: list[str]
) -> int:
    """Rematch the texts an entry's name change concerns: those that mention it now (a lost
    name, a changed winner) and those where a name it gained occurs. Returns how many."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    entry = model.objects.filter(pk=object_id).first()
    if entry is None:  # deleted since: page_delete forgot its mentions
        return 0
    return mentions_names_changed(entry=entry, before=set(before), after=set(after))


@background
def mentions_of_sources(source_ids: list[int]) -> int:
    """Rematch these sources' texts against every name (a new or changed text, a deleted
    entry's). Returns the number of Mention rows written; sources deleted since are skipped."""
    return mentions_rebuild_sources(source_ids)


def names_changed(entry, *, before: set[str], after: set[str]) -> None:
    """After a save changed an entry's names from `before` to `after`: rematch, once the save
    commits, the texts concerned."""
    if before == after:
        return
    content_type = ContentType.objects.get_for_model(entry)
    after_commit(mentions_after_rename, content_type.pk, entry.pk, sorted(before), sorted(after))


def source_saved_receiver(sender, *, source, text_changed, **kwargs) -> None:
    """sources.signals.source_saved: a new or changed text is rematched, after the commit."""
    if text_changed:
        after_commit(mentions_of_sources, [source.pk])


def entry_deleted(entry) -> None:
    """Before an entry is deleted (its names already gone): its mentions go with it, in the
    deleting transaction, and the texts that named it are rematched after the commit (another
    entry's name may now win where the two overlapped)."""
    mentions = Mention.objects.filter(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
    )
    affected = sorted(set(mentions.values_list("source_id", flat=True)))
    mentions.delete()
    if affected:
        after_commit(mentions_of_sources, affected)
