"""Three-way merges of concurrent edits: text by lines (merge3), other fields one by one.

Every write carries the revision it started from (`base_revision`). Under the row lock, the
save services compare it with the latest revision: the same, the write applies as it is;
another save came in between, the write is merged with it here, three ways (the base revision,
theirs as it now stands, ours as the form sent it), or refused with ConflictingEdit when both
changed the same lines or the same field differently. Generic: pages, sources and relations
merge alike, and the sources app needs nothing of the wiki for it.
"""

from dataclasses import dataclass

import merge3
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class TextMerge:
    """The merged text, or None where both edits changed the same lines."""

    text: str | None
    conflicts: int


def merge_text(base: str, theirs: str, ours: str) -> TextMerge:
    """Merge two edits of one base text; edits of different paragraphs merge cleanly."""
    if theirs == base or ours == theirs:
        return TextMerge(ours, 0)
    if ours == base:
        return TextMerge(theirs, 0)
    merger = merge3.Merge3(
        base.splitlines(keepends=True),
        theirs.splitlines(keepends=True),
        ours.splitlines(keepends=True),
    )
    groups = list(merger.merge_groups())
    conflicts = sum(1 for group in groups if group[0] == "conflict")
    if conflicts:
        return TextMerge(None, conflicts)
    return TextMerge("".join(line for _, lines in groups for line in lines), 0)


def merge_fields(base: dict, theirs: dict, ours: dict) -> tuple[dict, list[str]]:
    """Per field: keep the side that changed it; both changed it differently is a conflict."""
    merged, conflicts = {}, []
    for name, our_value in ours.items():
        their_value, base_value = theirs[name], base[name]
        if our_value == base_value:
            merged[name] = their_value
        elif their_value in (base_value, our_value):
            merged[name] = our_value
        else:
            merged[name] = our_value
            conflicts.append(name)
    return merged, conflicts


class ConflictingEdit(Exception):
    """Someone saved after this edit started, and the two changed the same thing.

    Nothing was saved. `current` is the object as it now stands; `fields` the fields both edits
    changed differently (the long text among them when both changed the same lines of it);
    `theirs` and `ours` their values as saved and as sent, for the conflict page.
    """

    def __init__(self, *, current, fields: list[str], base: dict, theirs: dict, ours: dict):
        super().__init__(f"Edit conflict on “{current}”: {', '.join(fields)}")
        self.current, self.fields = current, fields
        self.base, self.theirs, self.ours = base, theirs, ours


def editable_fields(obj) -> list[str]:
    """Every field a write may carry, by attname: what a person sets, not what a save derives."""
    return [
        field.attname
        for field in obj._meta.concrete_fields
        if field.editable and not field.primary_key
    ]


def carried_fields(obj, names) -> list[str]:
    """The attnames of the editable fields named (by name or attname): what a form carries."""
    names = set(names)
    return [
        field.attname
        for field in obj._meta.concrete_fields
        if field.editable and not field.primary_key and names & {field.name, field.attname}
    ]


def take_uncarried(obj, current, carried) -> None:
    """Set on obj what the write does not carry, as it stands in the locked row `current`."""
    for name in editable_fields(obj):
        if name not in carried:
            setattr(obj, name, getattr(current, name))


def base_record(model, pk, base_revision):
    """The revision of object pk an edit started from; ValidationError if it is none of its."""
    try:
        return model.history.get(history_id=base_revision, **{model._meta.pk.attname: pk})
    except (model.history.model.DoesNotExist, ValueError, TypeError):
        raise ValidationError(
            {"base_revision": "The revision this edit started from does not exist."},
            code="unknown_base",
        ) from None


def latest_history_id(obj) -> int | None:
    """The history id of the object's latest revision: one query."""
    return (
        type(obj)
        .history.filter(**{obj._meta.pk.attname: obj.pk})
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )


def revision_shown(obj) -> int | None:
    """The history id an edit form showing obj carries as its base_revision.

    obj was loaded a moment before this query: should a save have come in between, obj is
    brought to read as the revision returned (its editable fields as that revision has them),
    so that a form never carries a newer revision than the values it shows (the merge would
    then take the older values for the editor's own changes). `obj.revision_refreshed` says
    whether it was. Saves are told apart by their `updated_at`: one query when none came.
    """
    obj.revision_refreshed = False
    history = type(obj).history.filter(**{obj._meta.pk.attname: obj.pk}).order_by("-history_id")
    latest = history.only("history_id", "updated_at").first()
    if latest is None or getattr(obj, "updated_at", None) == latest.updated_at:
        return latest.history_id if latest else None
    record = history.first()
    for name in editable_fields(obj):
        setattr(obj, name, getattr(record, name))
    obj.revision_refreshed = True
    return record.history_id


def merge_edit(obj, current, base_revision, names, *, text_field: str = "") -> bool:
    """Fold an edit of `names` on obj, started at base_revision, into the row as it now stands.

    `current` is the row read under its lock. When another save came in between, each field of
    `names` is merged three ways on obj (text_field line by line), else ConflictingEdit is
    raised and obj is left as sent. True when there was something to merge with.
    """
    base = base_record(type(obj), obj.pk, base_revision)
    if latest_history_id(current) == base.history_id:
        return False
    values = {
        side: {name: getattr(record, name) for name in names}
        for side, record in (("base", base), ("theirs", current), ("ours", obj))
    }
    plain = [name for name in names if name != text_field]
    merged, conflicts = merge_fields(
        *({name: values[side][name] for name in plain} for side in ("base", "theirs", "ours"))
    )
    if text_field in names:
        text = merge_text(*(values[side][text_field] or "" for side in ("base", "theirs", "ours")))
        if text.conflicts:
            conflicts.insert(0, text_field)
        else:
            merged[text_field] = text.text
    if conflicts:
        raise ConflictingEdit(current=current, fields=conflicts, **values)
    for name, value in merged.items():
        setattr(obj, name, value)
    return True
