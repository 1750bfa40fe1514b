"""Actors, factions and events: the entries whose pages people read and edit."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from sources.common.dates import date_display, span_display
from sources.common.models import (
    DatedModel,
    EDTFField,
    PublishableQuerySet,
    TagSnapshotModel,
    TrackedModel,
    bound_fields,
)
from wiki.markup.statements import Coverage


class EntryQuerySet(PublishableQuerySet):
    def for_list(self):
        """What a row in a list shows: the entries and their tags, two queries."""
        return self.defer("body").prefetch_related("tags")

    def for_detail(self):
        """An entry with its tags and last editor; relations are loaded by the selectors."""
        return self.select_related("updated_by").prefetch_related("tags")


class Entry(TagSnapshotModel, DatedModel, TrackedModel):
    """What actors, factions and events share: a titled, tagged, versioned wiki page."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=False)
    aliases = models.TextField(
        blank=True, help_text="Other names and spellings, one per line (e.g. Mas'ud, Massoud)."
    )
    summary = models.CharField(max_length=300, blank=True, help_text="One line.")
    body = models.TextField(
        blank=True,
        help_text='Markdown. Link with [[Title]]; cite with [@source-key "exact passage"].',
    )
    is_public = models.BooleanField("published", default=False, db_index=True)
    is_locked = models.BooleanField("locked", default=False)
    lock_reason = models.CharField(
        max_length=300, blank=True, help_text="Shown to editors while the page is locked."
    )
    # Derived from the body on every save (page_save), so that lists can sort and filter by them.
    sentence_count = models.PositiveIntegerField("statements", default=0, editable=False)
    sourced_count = models.PositiveIntegerField("sourced statements", default=0, editable=False)
    coverage = models.FloatField(default=1.0, editable=False, db_index=True)
    # Derived from the entry's claims on every save (wiki.claims.saving): how many facts the box
    # states, how many of them cite a passage, and the claims as text, so that history shows
    # how the facts changed.
    fact_count = models.PositiveIntegerField("facts", default=0, editable=False)
    fact_sourced_count = models.PositiveIntegerField("sourced facts", default=0, editable=False)
    claim_list = models.TextField("facts", blank=True, editable=False)

    tags = TaggableManager(blank=True)
    history = HistoricalRecords(inherit=True)
    objects = EntryQuerySet.as_manager()

    # The URL segment of each concrete type (/actors/, /factions/, /events/).
    url_segment = ""
    # The date a reader orders a list of this type by: birth, founding, the event's start.
    date_field = ""
    # The facts this type states beside its body, each derived from the entry's claims.
    claim_fields: tuple[str, ...] = ()
    # Derived, but shown in history's diffs: how the facts changed (sources.common.history).
    history_shown = ("claim_list",)

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("wiki:entry-detail", args=[self.url_segment, self.slug])

    @property
    def alias_list(self) -> list[str]:
        """Aliases one per line, blanks dropped."""
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def type_name(self) -> str:
        return self._meta.verbose_name

    def facts(self) -> list[tuple[str, str]]:
        """The facts the page's box lists, as (label, value), blanks left out."""
        return [(label, value) for label, value in self._facts() if value]

    def _facts(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def details(self) -> list[tuple[str, str]]:
        """What the page's box lists besides its facts (an event's kind), as (label, value)."""
        return []

    @property
    def when(self) -> str:
        """The entry's dates in one short phrase for lists: "1953 – 2001", "founded 1992"…"""
        raise NotImplementedError

    @property
    def statement_coverage(self) -> Coverage:
        """The stored counts as the pages show them, the body's sentences and the box's facts
        together (the `coverage` ratio is for sorting)."""
        return Coverage(
            self.sourced_count + self.fact_sourced_count, self.sentence_count + self.fact_count
        )

    @property
    def coverage_percent(self) -> int:
        """Sourced statements as a whole percentage, rounded down (99.6 % is not 100 %)."""
        return self.statement_coverage.percent


class Actor(Entry):
    """A person."""

    born = EDTFField(editable=False)
    born_earliest, born_latest = bound_fields()
    died = EDTFField(editable=False)
    died_earliest, died_latest = bound_fields()

    url_segment = "actors"
    date_field = "born_earliest"
    claim_fields = ("born", "died")

    def _facts(self):
        return [("Born", date_display(self.born)), ("Died", date_display(self.died))]

    @property
    def when(self) -> str:
        return span_display(self.born, self.died, since="born", until="died")


class Faction(Entry):
    """A party, militia, alliance or government body."""

    founded = EDTFField(editable=False)
    founded_earliest, founded_latest = bound_fields()
    dissolved = EDTFField(editable=False)
    dissolved_earliest, dissolved_latest = bound_fields()

    url_segment = "factions"
    date_field = "founded_earliest"
    claim_fields = ("founded", "dissolved")

    def _facts(self):
        return [
            ("Founded", date_display(self.founded)),
            ("Dissolved", date_display(self.dissolved)),
        ]

    @property
    def when(self) -> str:
        return span_display(self.founded, self.dissolved, since="founded", until="dissolved")


class Event(Entry):
    """Something that happened at a time and place."""

    class Kind(models.TextChoices):
        BATTLE = "battle", "Battle"
        MASSACRE = "massacre", "Massacre"
        ASSASSINATION = "assassination", "Assassination"
        AGREEMENT = "agreement", "Agreement"
        FOUNDING = "founding", "Founding"
        SPLIT = "split", "Split"
        ELECTION = "election", "Election"
        PROTEST = "protest", "Protest"
        STATEMENT = "statement", "Statement"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    start = EDTFField(editable=False)
    start_earliest, start_latest = bound_fields()
    end = EDTFField(editable=False)
    end_earliest, end_latest = bound_fields()
    place = models.CharField(max_length=200, blank=True, editable=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    fatalities = models.CharField(
        max_length=200, blank=True, editable=False, help_text="As reported, e.g. “at least 40”."
    )

    url_segment = "events"
    date_field = "start_earliest"
    claim_fields = ("start", "end", "place", "fatalities")

    def _facts(self):
        return [
            ("Kind", self.get_kind_display()),
            ("Date", self.when),
            ("Place", self.place),
            ("Fatalities", self.fatalities),
        ]

    def details(self):
        return [("Kind", self.get_kind_display())]

    @property
    def when(self) -> str:
        return span_display(self.start, self.end, since="", until="until").strip()

    class Meta(Entry.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="event_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="event_longitude_range",
            ),
        ]


ENTRY_MODELS = (Actor, Faction, Event)
ENTRY_MODEL_BY_SEGMENT = {model.url_segment: model for model in ENTRY_MODELS}
