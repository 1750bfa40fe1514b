"""Recent changes: every revision of pages, sources and relations in one feed, newest first.

Team only: every row names who made the change.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Length
from django.urls import reverse

from sources.common.history.revisions import (
    ACTIONS,
    NEWEST_FIRST,
    PER_PAGE,
    FieldChange,
    SizeChangeShown,
    field_changes,
    short_date,
    tracked_fields,
)
from sources.models import Source
from wiki.models import (
    ENTRY_MODELS,
    Actor,
    Event,
    Faction,
    FactionRelation,
    Membership,
    Participation,
)

# ---------------------------------------------------------------------------------------------
# Recent changes: every history table, newest first

RELATION_MODELS = (Membership, FactionRelation, Participation)
FEED_MODELS = (*ENTRY_MODELS, Source, *RELATION_MODELS)
FEED_KINDS = {
    "actor": (Actor,),
    "faction": (Faction,),
    "event": (Event,),
    "source": (Source,),
    "relation": RELATION_MODELS,
}
TEXT_FIELD = {Source: "text", **dict.fromkeys(RELATION_MODELS, "evidence")}
# The ends a relation's label names; the first is the page the feed links to.
RELATION_ENDS = {
    Membership: ("actor", "faction"),
    FactionRelation: ("faction", "other"),
    Participation: ("event", "actor", "faction"),
}


@dataclass
class FeedRow(SizeChangeShown):
    """One revision in the change feed."""

    date: object
    action: str
    kind: str
    title: str
    username: str  # "" for the system
    reason: str
    size: int
    size_change: int
    url: str = ""  # the page or source as it is now ("" once deleted)
    revision_url: str = ""
    diff_url: str = ""  # against the revision before it
    history_url: str = ""
    is_public: bool | None = None  # as of this revision; None for relations
    changes: list[FieldChange] = field(default_factory=list)  # relations: what changed

    @cached_property
    def when(self) -> str:
        return short_date(self.date)


# Recent changes page through at most this many changes: counting every revision the wiki ever
# had, on every request, would grow with the history; past this, filters narrow the feed.
FEED_DEPTH = 200 * PER_PAGE


class FeedPaginator(Paginator):
    """A paginator that counts no further than FEED_DEPTH."""

    @cached_property
    def count(self) -> int:
        return self.object_list[:FEED_DEPTH].count()

    @property
    def is_capped(self) -> bool:
        return self.count >= FEED_DEPTH


def feed_page(*, number, kind: str = "", user_id: int | None = None, per_page=PER_PAGE) -> Page:
    """One page of recent changes, newest first: count, merge, then one query per model shown.

    The history tables are merged by a UNION ALL of (model, revision, date) only, so sorting
    and paging touch no text; the rows of the page are then read per model (relations need a
    second query, for the revision they changed).
    """
    models = FEED_KINDS.get(kind, FEED_MODELS)
    branches = []
    for model in models:
        rows = model.history.all()
        if user_id is not None:
            rows = rows.filter(history_user_id=user_id)
        branches.append(
            rows.annotate(
                model=Value(FEED_MODELS.index(model), output_field=IntegerField()),
                rev=F("history_id"),
                at=F("history_date"),
            )
            .values_list("model", "rev", "at")
            .order_by()
        )
    merged = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    paginator = FeedPaginator(merged.order_by("-at", "-rev", "model"), per_page)
    page = paginator.get_page(number)
    keys = [(model, rev) for model, rev, _ in page.object_list]
    by_model: dict[int, list[int]] = {}
    for model, rev in keys:
        by_model.setdefault(model, []).append(rev)
    found = {}
    for index, revs in by_model.items():
        model = FEED_MODELS[index]
        found.update({(index, row_rev): row for row_rev, row in _feed_rows(model, revs)})
    return Page([found[key] for key in keys if key in found], page.number, paginator)


def _previous(model):
    """The revision of the same object just before the outer one."""
    return (
        model.history.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by(*NEWEST_FIRST)
    )


def _feed_rows(model, revs):
    text_field = TEXT_FIELD.get(model, "body")
    previous = _previous(model)
    rows = (
        model.history.filter(history_id__in=revs)
        .select_related("history_user", *RELATION_ENDS.get(model, ()))
        .defer(text_field, *(("notes",) if model is Source else ()))
        .annotate(
            size=Length(text_field),
            previous_size=Subquery(previous.annotate(n=Length(text_field)).values("n")[:1]),
            previous_id=Subquery(previous.values("history_id")[:1]),
        )
    )
    if model in RELATION_MODELS:
        return _relation_rows(model, list(rows))
    address = "key" if model is Source else "slug"
    current = model.objects.filter(pk=OuterRef("id")).values(address)[:1]
    return [(row.history_id, _page_row(model, row)) for row in rows.annotate(current=current)]


def _base_row(model, row, title: str) -> FeedRow:
    size = row.size or 0
    return FeedRow(
        date=row.history_date,
        action=ACTIONS.get(row.history_type, "changed"),
        kind=str(model._meta.verbose_name),
        title=title,
        username=row.history_user.get_username() if row.history_user_id else "",
        reason=row.history_change_reason or "",
        size=size,
        size_change=size - (row.previous_size or 0),
    )


def _page_row(model, row) -> FeedRow:
    feed_row = _base_row(model, row, row.title)
    feed_row.is_public = row.is_public
    if row.current is None:  # deleted since
        return feed_row
    if model is Source:
        args, prefix = [row.current], "sources:source"
    else:
        args, prefix = [model.url_segment, row.current], "wiki:entry"
    feed_row.url = reverse(f"{prefix}-detail", args=args)
    feed_row.history_url = reverse(f"{prefix}-history", args=args)
    feed_row.revision_url = reverse(f"{prefix}-revision", args=[*args, row.history_id])
    if row.previous_id:
        feed_row.diff_url = f"{feed_row.history_url}?diff={row.previous_id}..{row.history_id}"
    return feed_row


def _relation_rows(model, rows):
    ends = RELATION_ENDS[model]
    previous = {
        record.history_id: record
        for record in model.history.filter(
            history_id__in=[row.previous_id for row in rows if row.previous_id]
        ).select_related(*ends)
    }
    fields = tracked_fields(model, exclude={"evidence"})
    out = []
    for row in rows:
        home, *others = [getattr(row, end) for end in ends]
        first, second = home, others[0]
        if model is Participation:  # the participant (an actor or a faction), then the event
            first, second = others[0] or others[1], home
        role = getattr(row, "get_role_display", None) or row.get_kind_display
        feed_row = _base_row(model, row, f"{_name(first)} — {role().lower()} — {_name(second)}")
        feed_row.url = home.get_absolute_url() if home is not None else ""
        older = previous.get(row.previous_id)
        if older is not None:
            feed_row.changes = field_changes(older, row, fields, short=True)
        out.append((row.history_id, feed_row))
    return out


def _name(entry) -> str:
    return entry.title if entry is not None else "(deleted)"
