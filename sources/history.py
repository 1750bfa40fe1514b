"""History of anything versioned with django-simple-history: revision lists, field and text diffs.

Generic on purpose: it knows the history tables' own columns (history_id, history_date, …) and
reads everything else from the tracked model's fields, so sources and the wiki share it and
sources never needs to import the wiki. Each function runs a fixed number of queries.
"""

import difflib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps

from django import forms
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import F, Window
from django.db.models.functions import MD5, Lag, Length
from django.http import Http404, HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.timezone import localtime

from .permissions import can_read_drafts

PER_PAGE = 50
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
NEWEST_FIRST = ("-history_date", "-history_id")
# history_change_reason is a CharField(max_length=100).
REASON_MAX_LENGTH = 100
# A diff stops refining after this many seconds; what is left shows as whole removed/added lines.
DIFF_BUDGET = 1.0
# Unchanged lines kept around each change in a text diff.
CONTEXT_LINES = 2
# An unchanged stretch without line breaks keeps this many characters on each side of a change.
CONTEXT_CHARS = 300
_SHORT = 80  # field values longer than this are cut in revision lists


def team_only(view):
    """Refuse a view to anyone who may not read drafts: history names editors, so 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_read_drafts(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


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
    """The fields of `model` a person edits (derived and bookkeeping fields are not editable)."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in exclude
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


def revert_reason(record) -> str:
    """The default edit summary of a revert, within the history column's 100 characters."""
    when, who = short_date(record.history_date), author_name(record)
    reason = f"Reverted to the revision of {when} by {who}"
    return reason if len(reason) <= REASON_MAX_LENGTH else reason[: REASON_MAX_LENGTH - 1] + "…"


def restore_fields(instance, record, fields) -> None:
    """Copy the values of `fields` from a revision onto the live object (not saved)."""
    for model_field in fields:
        setattr(instance, model_field.attname, getattr(record, model_field.attname))


# ---------------------------------------------------------------------------------------------
# Revision lists


@dataclass
class RevisionRow:
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
    def size_change_display(self) -> str:
        return signed(self.size_change)

    @property
    def size_class(self) -> str:
        return size_class(self.size_change)

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


# A word or one other character with the white space before it, or trailing white space: what a
# reader sees changing. Keeping the space with the word makes tokens rarely repeat, which is
# what keeps difflib fast (a lone " " token matches everywhere).
_TOKEN = re.compile(r"\s*(?:\w+|[^\w\s])|\s+")
DELETE, EQUAL, INSERT = -1, 0, 1
# Past this many token pairs, difflib's "popular tokens are junk" heuristic keeps a whole-text
# rewrite near 0.3 s instead of 1.5 s, for a slightly coarser diff.
_AUTOJUNK_FROM = 4_000_000
# Two versions of a passage sharing less than this share of their words were rewritten.
_ALIKE = 0.4


def _opcodes(old: list[str], new: list[str]):
    autojunk = len(old) * len(new) > _AUTOJUNK_FROM
    return difflib.SequenceMatcher(None, old, new, autojunk=autojunk).get_opcodes()


def text_diff(old: str, new: str, *, budget: float = DIFF_BUDGET) -> list[tuple[int, str]]:
    """A word-level diff as (op, text) pairs, op being -1 (deleted), 0 (kept) or 1 (inserted).

    Lines are compared first, then the words of the lines that changed: an edited paragraph of
    a 100 KB text costs milliseconds. Past `budget` seconds, what remains unrefined shows as
    whole removed and added lines, which is still a correct diff.
    """
    deadline = time.monotonic() + budget
    old_lines, new_lines = old.splitlines(True), new.splitlines(True)
    out: list[tuple[int, str]] = []
    for tag, i1, i2, j1, j2 in _opcodes(old_lines, new_lines):
        removed, added = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            out.append((EQUAL, removed))
        elif tag == "replace" and time.monotonic() < deadline:
            out += _refine(old_lines[i1:i2], new_lines[j1:j2], deadline)
        else:
            out += [(DELETE, removed), (INSERT, added)]
    return _merged(out)


def _refine(old_lines: list[str], new_lines: list[str], deadline: float):
    """The words that changed within a block of replaced lines."""
    # Lines edited in place pair up one to one: diff each pair, a few hundred words at most.
    pairs = [("".join(old_lines), "".join(new_lines))]
    if len(old_lines) == len(new_lines) > 1:
        pairs = list(zip(old_lines, new_lines, strict=True))
    ops = []
    for before, after in pairs:
        if time.monotonic() > deadline:
            ops += [(DELETE, before), (INSERT, after)]
            continue
        old_words, new_words = _TOKEN.findall(before), _TOKEN.findall(after)
        opcodes = _opcodes(old_words, new_words)
        kept = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
        if 2 * kept < _ALIKE * (len(old_words) + len(new_words)):
            # Rewritten rather than edited: a confetti of common words helps nobody.
            ops += [(DELETE, before), (INSERT, after)]
            continue
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                ops.append((EQUAL, "".join(old_words[i1:i2])))
            else:
                ops += [(DELETE, "".join(old_words[i1:i2])), (INSERT, "".join(new_words[j1:j2]))]
    return ops


def _merged(ops):
    out: list[tuple[int, str]] = []
    for op, text in ops:
        if not text:
            continue
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return out


def diff_html(ops, *, context: int = CONTEXT_LINES) -> SafeString:
    """A diff as HTML: <del> and <ins> around changes, long unchanged stretches folded.

    Every piece of text is escaped here; the result is safe to insert as it is.
    """
    parts = []
    last = len(ops) - 1
    for i, (op, text) in enumerate(ops):
        if op == INSERT:
            parts.append(f"<ins>{escape(text)}</ins>")
        elif op == DELETE:
            parts.append(f"<del>{escape(text)}</del>")
        else:
            parts += _folded(text, context, head=i > 0, tail=i < last)
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def _folded(text: str, context: int, *, head: bool, tail: bool) -> list[str]:
    """Unchanged text, keeping `context` lines after the change before it (`head`) and before
    the next change (`tail`), and at most CONTEXT_CHARS characters of each; one gap between."""
    if not (head or tail):
        return [_gap("no change")]
    start = _context_after(text, context) if head else 0
    end = _context_before(text, context) if tail else len(text)
    if end - start <= 40:  # not worth a gap
        return [escape(text)]
    hidden = text[start:end]
    lines = len(hidden.splitlines()) if "\n" in hidden else 0
    label = f"{lines} unchanged line{'s' if lines != 1 else ''}" if lines else "unchanged text"
    return [escape(text[:start]), _gap(f"{label} ({len(hidden):,} characters)"), escape(text[end:])]


def _context_after(text: str, context: int) -> int:
    # The rest of the changed line and `context` lines more, cut between words if too long.
    at = 0
    for _ in range(context + 1):
        newline = text.find("\n", at)
        if newline == -1:
            at = len(text)
            break
        at = newline + 1
    if at > CONTEXT_CHARS:
        space = text.rfind(" ", 0, CONTEXT_CHARS)
        at = space + 1 if space > 0 else CONTEXT_CHARS
    return at


def _context_before(text: str, context: int) -> int:
    # `context` lines and the start of the line the next change is in, cut between words.
    at = len(text)
    for _ in range(context + 1):
        newline = text.rfind("\n", 0, at)
        if newline == -1:
            at = 0
            break
        at = newline
    else:
        at += 1
    if len(text) - at > CONTEXT_CHARS:
        floor = len(text) - CONTEXT_CHARS
        space = text.find(" ", floor)
        at = space if space != -1 else floor
    return at


def _gap(label: str) -> str:
    return f'<span class="diff-gap">{escape(label)}</span>'


# ---------------------------------------------------------------------------------------------
# Views' small helpers


class RevertForm(forms.Form):
    """A revert's edit summary, and the revision the reverter last saw as the latest."""

    change_reason = forms.CharField(max_length=REASON_MAX_LENGTH, required=False)
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


def latest_revision_id(history) -> int | None:
    """The history id of an object's latest revision."""
    return history.order_by(*NEWEST_FIRST).values_list("history_id", flat=True).first()


def revert_refusal(form: RevertForm, history) -> str:
    """Why a revert form cannot be applied as sent ("" when it can): one query at most.

    A revert that crossed another edit is refused rather than applied over it, so that no
    edit disappears without the reverter having seen it.
    """
    if not form.is_valid():
        errors = " ".join(" ".join(messages) for messages in form.errors.values())
        return f"Nothing was reverted. {errors}"
    base = form.cleaned_data["base_revision"]
    if base is not None and base != latest_revision_id(history):
        return (
            "Nothing was reverted: there was an edit after the one you saw as the latest. "
            "Look at the history, then revert again if you still mean to."
        )
    return ""


def compare_redirect(request) -> HttpResponseRedirect | None:
    """The no-JavaScript compare form sends ?old=&new=; send it on to ?diff=<old>..<new>."""
    if "old" not in request.GET and "new" not in request.GET:
        return None
    old, new = request.GET.get("old", ""), request.GET.get("new", "")
    if not (old.isdigit() and new.isdigit()):
        raise Http404("Pick two revisions to compare.")
    return HttpResponseRedirect(f"{request.path}?{urlencode({'diff': f'{old}..{new}'})}")
