"""What the timeline shows: dated events, and the dated facts of actors and factions, each with
the passages that state its date.

The reader sees what the pages show: published entries only for the public, and each passage as
a page's footnote shows it (a protected source withheld with its grade, an unpublished one not at
all). A fixed number of queries whatever the number of items: the events, the actors, the
factions, their date claims and those claims' cited passages.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.functions import Coalesce

from sources.citations.syntax import CitationRef
from sources.common.dates import date_display
from sources.common.permissions import is_team
from wiki.claims import values
from wiki.markup.rendering import Reference, saved_reference
from wiki.models import Actor, Claim, Event, Faction, Participation, Rank
from wiki.timeline import layout

CAP = 500  # the most items one timeline shows; beyond it the reader is asked to narrow it
EVENTS, FACTS = "events", "facts"
# The dated facts each type has on the timeline, and the word that says each.
DATE_FIELDS = {
    Event: ("start", "end"),
    Actor: ("born", "died"),
    Faction: ("founded", "dissolved"),
}
FACT_WORDS = {"born": "born", "died": "died", "founded": "founded", "dissolved": "dissolved"}


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the timeline to; the actor and faction are entries they may see."""

    actor: Actor | None = None
    faction: Faction | None = None
    tag: str = ""
    from_year: int | None = None
    to_year: int | None = None

    @property
    def years(self) -> tuple[datetime.date, datetime.date]:
        return (
            datetime.date(self.from_year or 1, 1, 1),
            datetime.date(self.to_year or datetime.MAXYEAR, 12, 31),
        )


@dataclass
class Item:
    """One thing on the timeline: an event, or one dated fact of an actor or a faction."""

    lane: str
    entry: object
    fact: str  # "" for an event; else "born", "died", "founded", "dissolved"
    when: str  # the date as a reader says it
    earliest: datetime.date
    latest: datetime.date
    shape: str  # layout.POINT, SPAN or RANGE
    passages: list[Reference] = field(default_factory=list)
    unsourced: bool = False  # a value of its date cites no passage
    disputed: bool = False  # its sources disagree
    open_end: bool = False  # an open interval ("1994/.."): it may run on to the axis' end
    bar: layout.Bar | None = None  # set once the axis is known

    @property
    def name(self) -> str:
        """What a screen reader says of its link: "Battle of Kabul, September 1996"."""
        what = f"{self.entry.title}, {self.fact}" if self.fact else self.entry.title
        return f"{what} {self.when}" if self.fact else f"{what}, {self.when}"


@dataclass(frozen=True)
class Found:
    """The items in date order, at most CAP of them, and whether more matched."""

    items: list[Item]
    more: bool = False


def timeline_items(user, filters: Filters) -> Found:
    """The events and dated facts this reader may see that match the filters, by date."""
    events = list(_events(user, filters)[: CAP + 1])
    entries = _dated_entries(user, filters)
    claims = _date_claims([*events, *entries])
    team = is_team(user)
    items = [_event_item(event, claims, team) for event in events]
    for entry in entries:
        items += _fact_items(entry, claims, team)
    first, last = filters.years
    # An open end ("1994/..") runs on past any year asked from.
    items = [
        item for item in items if item.earliest <= last and (item.latest >= first or item.open_end)
    ]
    items.sort(key=lambda item: (item.earliest, item.latest, item.entry.title, item.fact))
    return Found(items[:CAP], more=len(items) > CAP)


def _in_years(entries, fields: tuple[str, ...], filters: Filters):
    """Entries with a date of these fields that may fall in the years asked (refined later)."""
    first, last = filters.years
    starts, ends = Q(), Q()
    for name in fields:
        starts |= Q(**{f"{name}_earliest__lte": last})
        ends |= Q(**{f"{name}_latest__gte": first})
        ends |= Q(**{f"{name}_earliest__isnull": False, f"{name}_latest__isnull": True})
    if filters.from_year:
        entries = entries.filter(ends)
    if filters.to_year:
        entries = entries.filter(starts)
    return entries


def _shown(model) -> list[str]:
    """The columns an item shows: loading no more keeps a timeline of 500 items fast."""
    dates = [
        f"{name}{part}" for name in DATE_FIELDS[model] for part in ("", "_earliest", "_latest")
    ]
    return ["title", "slug", "is_public", *dates]


def _dated(model):
    """The model's entries that carry at least one date the timeline shows."""
    dated = Q()
    for name in DATE_FIELDS[model]:
        dated |= Q(**{f"{name}_earliest__isnull": False})
    return dated


def _events(user, filters: Filters):
    events = Event.objects.visible_to(user).only(*_shown(Event)).filter(_dated(Event))
    for end, entry in (("actor", filters.actor), ("faction", filters.faction)):
        if entry is not None:
            taking_part = Participation.objects.filter(**{end: entry}).exclude(rank=Rank.DEPRECATED)
            events = events.filter(pk__in=taking_part.values("event"))
    if filters.tag:
        events = events.filter(tags__slug=filters.tag)
    events = _in_years(events, DATE_FIELDS[Event], filters)
    return events.order_by(Coalesce("start_earliest", "end_earliest"), "title", "pk")


def _dated_entries(user, filters: Filters) -> list:
    """Actors and factions with dates: only the named ones when the reader named any."""
    named = {Actor: filters.actor, Faction: filters.faction}
    chosen = filters.actor is not None or filters.faction is not None
    found = []
    for model in (Actor, Faction):
        if chosen and named[model] is None:
            continue
        entries = model.objects.visible_to(user).only(*_shown(model)).filter(_dated(model))
        if named[model] is not None:
            entries = entries.filter(pk=named[model].pk)
        if filters.tag:
            entries = entries.filter(tags__slug=filters.tag)
        entries = _in_years(entries, DATE_FIELDS[model], filters)
        first, second = (f"{name}_earliest" for name in DATE_FIELDS[model])
        found += entries.order_by(Coalesce(first, second), "title", "pk")[: CAP + 1]
    return found


def _date_claims(entries) -> dict:
    """The date claims of these entries with their passages, by (model, id, field): 2 queries."""
    ids = defaultdict(list)
    for entry in entries:
        ids[type(entry)].append(entry.pk)
    if not ids:
        return {}
    types = ContentType.objects.get_for_models(*ids)
    wanted = Q()
    for model, pks in ids.items():
        wanted |= Q(content_type=types[model], object_id__in=pks, field__in=DATE_FIELDS[model])
    shown = ("content_type", "object_id", "field", "value", "rank")
    claims = Claim.objects.filter(wanted).only(*shown).with_evidence().order_by("pk")
    models = {types[model].pk: model for model in ids}
    by_fact = defaultdict(list)
    for claim in claims:
        by_fact[(models[claim.content_type_id], claim.object_id, claim.field)].append(claim)
    return by_fact


def _passages(claims, team: bool) -> tuple[list[Reference], bool]:
    """The passages that state a date, once each, as this reader may see them; and whether a
    value of it cites none."""
    seen, passages, unsourced = set(), [], False
    for claim in claims:
        if claim.rank == Rank.DEPRECATED:
            continue
        unsourced = unsourced or not claim.uses
        for use in claim.uses:
            citation = use.citation
            if citation.pk in seen:
                continue
            seen.add(citation.pk)
            ref = CitationRef(citation.source.key, citation.locator, citation.quote)
            passages.append(saved_reference(ref, use, team))
    return passages, unsourced


def _event_item(event: Event, claims: dict, team: bool) -> Item:
    starts, ends = (
        claims.get((Event, event.pk, "start"), []),
        claims.get((Event, event.pk, "end"), []),
    )
    passages, unsourced = _passages([*starts, *ends], team)
    earliest = event.start_earliest or event.end_earliest
    latest = [day for day in (event.start_latest, event.end_latest) if day]
    return Item(
        EVENTS,
        event,
        "",
        event.when,
        earliest,
        max(latest, default=earliest),
        layout.shape(event.start, event.end),
        passages,
        unsourced,
        values.is_disputed("start", starts) or values.is_disputed("end", ends),
        open_end=not latest,
    )


def _fact_items(entry, claims: dict, team: bool) -> list[Item]:
    items = []
    for name in DATE_FIELDS[type(entry)]:
        earliest = getattr(entry, f"{name}_earliest")
        if earliest is None:
            continue
        latest = getattr(entry, f"{name}_latest")
        value = getattr(entry, name)
        fact_claims = claims.get((type(entry), entry.pk, name), [])
        passages, unsourced = _passages(fact_claims, team)
        items.append(
            Item(
                FACTS,
                entry,
                FACT_WORDS[name],
                date_display(value),
                earliest,
                latest or earliest,
                layout.shape(value),
                passages,
                unsourced,
                values.is_disputed(name, fact_claims),
                open_end=latest is None,
            )
        )
    return items
