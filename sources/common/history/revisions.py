"""History of anything versioned with django-simple-history: revision lists, field and text diffs.

Generic on purpose: it knows the history tables' own columns (history_id, history_date, …) and
reads everything else from the tracked model's fields, so sources and the wiki share it and
sources never needs to import the wiki. Each function runs a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import F, Window
from django.db.models.functions import MD5, Lag, Length
from django.http import Http404
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.timezone import localtime
from taggit.models import Tag
from taggit.utils import parse_tags

from sources.common.history.worddiff import diff_html, text_diff

PER_PAGE = 50
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
NEWEST_FIRST = ("-history_date", "-history_id")
# history_change_reason is a CharField(max_length=100).
REASON_MAX_LENGTH = 100
_SHORT = 80  # field values longer than this are cut in revision lists


# ---------------------------------------------------------------------------------------------
# Display


def short_date(value) -> str:
    """A revision's date and time as lists show it, in the site's time zone."""
    return date_format(localtime(value), "j M Y, H:i")


def size_class(number: int) -> str:
    """The CSS modifier of a size change: plus, minus or nothing."""
    return "plus" if number > 0 else "minus" if number < 0 else ""


def signed(number: int) -> str:
    """A size change as editors read it: +123, −45 (a real minus sign), 0."""
    if number > 0:
        return f"+{number:,}"
    return f"−{-number:,}" if number < 0 else "0"


# ---------------------------------------------------------------------------------------------
# Fields


def tracked_fields(model, *, exclude=()) -> list[models.Field]:
    """The fields of `model` a person edits (derived and bookkeeping fields are not editable),
    and the derived ones a model names in `history_shown` (a page's facts, as its claims give
    them: edited elsewhere, read in its history)."""
    shown = set(getattr(model, "history_shown", ()))
    return [
        f
        for f in model._meta.concrete_fields
        if (f.editable or f.name in shown) and not f.primary_key and f.name not in exclude
    ]


def display_value(model_field: models.Field, record) -> str:
    """A field's value in a revision as a reader wants to see it."""
    if model_field.is_relation:
        if model_field.is_cached(record):
            related = getattr(record, model_field.name)
            return str(related) if related is not None else ""
        value = getattr(record, model_field.attname)
        return "" if value is None else f"#{value}"
    value = getattr(record, model_field.attname)
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(model_field, models.FileField):
        return getattr(value, "name", "") or ""
    return str(value)


def _value(model_field: models.Field, record):
    return getattr(record, model_field.attname)


@dataclass
class FieldChange:
    """One field that differs between two revisions."""

    name: str
    label: str
    old: str
    new: str
    is_text: bool = False  # long text: lists only name it; diffs show `html`
    html: SafeString | None = None  # a word diff, for long text in a diff page


def field_changes(old, new, fields, *, with_text_diff=False, short=False) -> list[FieldChange]:
    """The fields that differ between two revisions, in model order; text fields get a word diff.

    `short` cuts values for lists. With `with_text_diff`, long text fields carry an HTML word diff.
    """
    changes = []
    for model_field in fields:
        if _value(model_field, old) == _value(model_field, new):
            continue
        is_text = isinstance(model_field, models.TextField)
        before, after = display_value(model_field, old), display_value(model_field, new)
        if short:
            before, after = _cut(before), _cut(after)
        change = FieldChange(
            model_field.name, capfirst(model_field.verbose_name), before, after, is_text
        )
        if is_text and with_text_diff:
            change.html = diff_html(text_diff(before, after))
        changes.append(change)
    return changes


def _cut(value: str, limit: int = _SHORT) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------------
# Tags (kept in history as the `tag_list` snapshot, "a, b, c")


def tag_names(tag_list: str) -> list[str]:
    """The tags of a `tag_list` snapshot."""
    return [name.strip() for name in (tag_list or "").split(",") if name.strip()]


def snapshot_tags(tag_list: str) -> list[Tag]:
    """The tags of a `tag_list` snapshot as a tag field's initial value takes them (its widget
    writes Tag objects as one line, quoting names that need it); unsaved, no query."""
    return [Tag(name=name) for name in parse_tags(tag_list or "")]


def tag_changes(old_list: str, new_list: str) -> tuple[list[str], list[str]]:
    """Tags (added, removed) between two `tag_list` snapshots, each sorted."""
    old, new = set(tag_names(old_list)), set(tag_names(new_list))
    return sorted(new - old), sorted(old - new)


# ---------------------------------------------------------------------------------------------
# Looking revisions up


def parse_diff(value: str) -> tuple[int, int]:
    """`?diff=<old>..<new>` as two history ids; 404 for anything else."""
    old, sep, new = (value or "").partition("..")
    if not (sep and old.isdigit() and new.isdigit()):
        raise Http404("A diff names two revisions: ?diff=<old>..<new>.")
    return int(old), int(new)


def revision_get(history, rev: int):
    """One revision of one object, with its author; 404 when it is not this object's."""
    record = history.select_related("history_user").filter(history_id=rev).first()
    if record is None:
        raise Http404("No such revision of this page.")
    return record


def revision_pair(history, first: int, second: int):
    """Two revisions of one object, older first, in one query; 404 unless both are its own."""
    records = list(
        history.select_related("history_user")
        .filter(history_id__in={first, second})
        .order_by("history_date", "history_id")
    )
    if len(records) != len({first, second}):
        raise Http404("No such revision of this page.")
    return records[0], records[-1]


@dataclass(frozen=True)
class Neighbours:
    """The revisions just before and after one revision, and the latest one (history ids)."""

    older: int | None
    newer: int | None
    latest: int | None


def revision_neighbours(history, record) -> Neighbours:
    """Where a revision stands in its object's history: three small queries."""
    before = models.Q(history_date__lt=record.history_date) | models.Q(
        history_date=record.history_date, history_id__lt=record.history_id
    )
    after = models.Q(history_date__gt=record.history_date) | models.Q(
        history_date=record.history_date, history_id__gt=record.history_id
    )
    ids = history.values_list("history_id", flat=True)
    return Neighbours(
        older=ids.filter(before).order_by(*NEWEST_FIRST).first(),
        newer=ids.filter(after).order_by("history_date", "history_id").first(),
        latest=ids.order_by(*NEWEST_FIRST).first(),
    )


def author_name(record) -> str:
    """Who made a revision: the username, or "system" for commands and imports."""
    return record.history_user.get_username() if record.history_user_id else "system"


# ---------------------------------------------------------------------------------------------
# Revision lists


class SizeChangeShown:
    """How a revision row shows its `size_change`: "+12" and the CSS class of its colour."""

    size_change: int

    @property
    def size_change_display(self) -> str:
        return signed(self.size_change)

    @property
    def size_class(self) -> str:
        return size_class(self.size_change)


@dataclass
class RevisionRow(SizeChangeShown):
    """One line of a history list."""

    history_id: int
    date: object
    action: str  # created | changed | deleted
    reason: str
    username: str  # "" for the system
    size: int
    size_change: int
    previous_id: int | None
    text_changed: bool
    changes: list[FieldChange] = field(default_factory=list)
    tags_added: list[str] = field(default_factory=list)
    tags_removed: list[str] = field(default_factory=list)
    url: str = ""  # the revision's page
    diff_url: str = ""  # the diff against the revision before it
    picked: str = ""  # "old" or "new": the compare form's default choice

    @property
    def has_details(self) -> bool:
        return bool(self.changes or self.tags_added or self.tags_removed or self.edited_same_size)

    @property
    def edited_same_size(self) -> bool:
        """The text changed although its length did not (a size change of 0 would hide it)."""
        return self.text_changed and self.previous_id is not None and not self.size_change

    @cached_property
    def when(self) -> str:
        return short_date(self.date)


def revision_page(
    history,
    number,
    *,
    text_field: str,
    fields,
    history_url: str,
    revision_url: Callable[[int], str],
    per_page: int = PER_PAGE,
) -> Page:
    """One page of an object's revisions, newest first, in two queries however long the history.

    Each row carries its size change (the text's length against the revision before it, from
    a window over this page's rows plus the one just below it), the short fields it changed,
    and links to the revision (`revision_url(history_id)`) and to its diff (on `history_url`).
    """
    ordered = history.order_by(*NEWEST_FIRST)
    paginator = Paginator(ordered.values_list("history_id", flat=True), per_page)
    page = paginator.get_page(number)  # counts: query 1
    offset = (page.number - 1) * per_page
    # The page's rows and the one below it, which the oldest row is compared with.
    window = ordered.values("history_id")[offset : offset + per_page + 1]
    length = Length(text_field)
    records = list(
        history.filter(history_id__in=window)
        .select_related("history_user")
        .only(*_list_columns(fields), "history_user__username")
        .annotate(
            size=length,
            text_hash=MD5(text_field),
            size_change=length
            - Window(Lag(length), order_by=[F("history_date").asc(), F("history_id").asc()]),
        )
        .order_by(*NEWEST_FIRST)
    )  # query 2
    rows = [
        _row(record, records[i + 1] if i + 1 < len(records) else None, fields)
        for i, record in enumerate(records[:per_page])
    ]
    for row in rows:
        row.url = revision_url(row.history_id)
        if row.previous_id:
            row.diff_url = f"{history_url}?diff={row.previous_id}..{row.history_id}"
    if page.number == 1 and len(rows) > 1:  # compare the latest edit by default
        rows[0].picked, rows[1].picked = "new", "old"
    return Page(rows, page.number, paginator)


def _list_columns(fields) -> list[str]:
    own = ("history_id", "history_date", "history_type", "history_change_reason", "id")
    return [*own, "tag_list", *(f.name for f in fields)]


def _row(record, older, fields) -> RevisionRow:
    size_change = record.size if older is None else record.size_change
    row = RevisionRow(
        history_id=record.history_id,
        date=record.history_date,
        action=ACTIONS.get(record.history_type, "changed"),
        reason=record.history_change_reason or "",
        username=record.history_user.get_username() if record.history_user_id else "",
        size=record.size or 0,
        size_change=size_change or 0,
        previous_id=older.history_id if older else None,
        text_changed=older is None or older.text_hash != record.text_hash,
    )
    if older is not None:
        row.changes = field_changes(older, record, fields, short=True)
        row.tags_added, row.tags_removed = tag_changes(older.tag_list, record.tag_list)
    return row


# ---------------------------------------------------------------------------------------------
# Diffs of two revisions


@dataclass
class RevisionDiff:
    """What changed between two revisions of one object."""

    old: object
    new: object
    fields: list[FieldChange]
    tags_added: list[str]
    tags_removed: list[str]
    text_html: SafeString
    text_changed: bool
    size_change: int
    old_url: str = ""
    new_url: str = ""

    @property
    def size_change_display(self) -> str:
        return signed(self.size_change)

    @property
    def has_changes(self) -> bool:
        return bool(self.fields or self.tags_added or self.tags_removed or self.text_changed)


def revision_diff(
    old, new, *, text_field: str, fields, revision_url: Callable[[int], str] | None = None
) -> RevisionDiff:
    """Compare two loaded revisions: the main text word by word, other fields, tags."""
    old_text, new_text = getattr(old, text_field) or "", getattr(new, text_field) or ""
    added, removed = tag_changes(getattr(old, "tag_list", ""), getattr(new, "tag_list", ""))
    return RevisionDiff(
        old=old,
        new=new,
        fields=field_changes(old, new, fields, with_text_diff=True),
        tags_added=added,
        tags_removed=removed,
        text_html=diff_html(text_diff(old_text, new_text)) if old_text != new_text else "",
        text_changed=old_text != new_text,
        size_change=len(new_text) - len(old_text),
        old_url=revision_url(old.history_id) if revision_url else "",
        new_url=revision_url(new.history_id) if revision_url else "",
    )
