"""The filters each list takes: tag, type, years (?from=&to=) and ?updated_since=."""

import datetime

import django_filters as filters
from django import forms
from django.db.models.functions import Coalesce

from sources.models import Source
from wiki.models import Actor, Claim, Event, Faction


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=9999, **kwargs)


class SinceFilter(filters.IsoDateTimeFilter):
    """Changed at or after an ISO date and time (a time without a zone is UTC)."""

    def filter(self, queryset, value):
        if value is None:
            return queryset
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        try:
            value = value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            return queryset.none()
        return queryset.filter(**{f"{self.field_name}__gte": value})


def _dated(start: str, end: str, help_text: str) -> dict:
    """?from= and ?to=: what overlaps those years, by the derived bounds of two EDTF fields (a
    thing with no end counts as ending when it starts)."""

    def overlaps(queryset, name, value):
        if name == "from":
            latest = Coalesce(f"{end}_latest", f"{start}_latest")
            return queryset.alias(_until=latest).filter(_until__gte=datetime.date(value, 1, 1))
        return queryset.filter(**{f"{start}_earliest__lte": datetime.date(value, 12, 31)})

    return {
        "from": YearFilter(method=overlaps, label=f"From this year on: {help_text}"),
        "to": YearFilter(method=overlaps, label=f"Up to this year: {help_text}"),
    }


class TaggedFilter(filters.FilterSet):
    tag = filters.CharFilter(field_name="tags__slug", label="A tag's slug.")
    updated_since = SinceFilter(field_name="updated_at", label="Changed since (ISO 8601).")


def entry_filter(model, start: str, end: str, **extra):
    """The FilterSet of one entry type."""
    attrs = {**_dated(start, end, f"{start} to {end}"), **extra}
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}Filter", (TaggedFilter,), attrs)


ActorFilter = entry_filter(Actor, "born", "died")
FactionFilter = entry_filter(Faction, "founded", "dissolved")
EventFilter = entry_filter(
    Event,
    "start",
    "end",
    type=filters.ChoiceFilter(field_name="kind", choices=Event.Kind.choices, label="The kind."),
)
SourceFilter = type(
    "SourceFilter",
    (TaggedFilter,),
    {
        **_dated("published", "published", "when published"),
        "type": filters.ChoiceFilter(field_name="kind", choices=Source.Kind.choices),
        "Meta": type("Meta", (), {"model": Source, "fields": []}),
    },
)


class ClaimFilter(filters.FilterSet):
    field = filters.ChoiceFilter(choices=Claim.FIELD_CHOICES, label="Which fact.")
    updated_since = SinceFilter(field_name="updated_at", label="Changed since (ISO 8601).")

    class Meta:
        model = Claim
        fields = []


def relation_filter(model):
    """The FilterSet of one relation type: the years it covers, and changes since."""
    attrs = {
        **_dated("start", "end", "the relation's dates"),
        "updated_since": SinceFilter(field_name="updated_at", label="Changed since (ISO 8601)."),
        "Meta": type("Meta", (), {"model": model, "fields": []}),
    }
    return type(f"{model.__name__}Filter", (filters.FilterSet,), attrs)
