"""Actors, factions and events (the pages), and the cited relations between them."""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
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
from sources.models import CitationUse
from wiki.markup.statements import Coverage

EVIDENCE_HELP = (
    'One or more citations: [@source-key "exact passage"]; add a locator as [@key, p. 3 "…"].'
)


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

    tags = TaggableManager(blank=True)
    history = HistoricalRecords(inherit=True)
    objects = EntryQuerySet.as_manager()

    # The URL segment of each concrete type (/actors/, /factions/, /events/).
    url_segment = ""
    # The date a reader orders a list of this type by: birth, founding, the event's start.
    date_field = ""

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

    @property
    def when(self) -> str:
        """The entry's dates in one short phrase for lists: "1953 – 2001", "founded 1992"…"""
        raise NotImplementedError

    @property
    def statement_coverage(self) -> Coverage:
        """The stored counts as the pages show them (the `coverage` ratio is for sorting)."""
        return Coverage(self.sourced_count, self.sentence_count)

    @property
    def coverage_percent(self) -> int:
        """Sourced statements as a whole percentage, rounded down (99.6 % is not 100 %)."""
        return self.statement_coverage.percent


class Actor(Entry):
    """A person."""

    born = EDTFField()
    born_earliest, born_latest = bound_fields()
    died = EDTFField()
    died_earliest, died_latest = bound_fields()

    url_segment = "actors"
    date_field = "born_earliest"

    def _facts(self):
        return [("Born", date_display(self.born)), ("Died", date_display(self.died))]

    @property
    def when(self) -> str:
        return span_display(self.born, self.died, since="born", until="died")


class Faction(Entry):
    """A party, militia, alliance or government body."""

    founded = EDTFField()
    founded_earliest, founded_latest = bound_fields()
    dissolved = EDTFField()
    dissolved_earliest, dissolved_latest = bound_fields()

    url_segment = "factions"
    date_field = "founded_earliest"

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
    start = EDTFField()
    start_earliest, start_latest = bound_fields()
    end = EDTFField()
    end_earliest, end_latest = bound_fields()
    place = models.CharField(max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    fatalities = models.CharField(
        max_length=100,
        blank=True,
        help_text="As reported, e.g. “at least 40”; cite it in the body.",
    )

    url_segment = "events"
    date_field = "start_earliest"

    def _facts(self):
        return [
            ("Kind", self.get_kind_display()),
            ("Date", self.when),
            ("Place", self.place),
            ("Fatalities", self.fatalities),
        ]

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


class Name(models.Model):
    """Derived: every title and alias of every entry, normalised: lookups by any name are cheap."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    name = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200, db_index=True)
    is_title = models.BooleanField(default=False)
    # Copied from the entry so that resolving [[links]] needs no query per linked page.
    slug = models.SlugField(max_length=200)
    is_public = models.BooleanField(default=False)


    objects = PublishableQuerySet.as_manager()
    class Meta:
        ordering = ["normalised"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        model = self.content_type.model_class()
        return reverse("wiki:entry-detail", args=[model.url_segment, self.slug])


class PageLink(models.Model):
    """Derived: the [[links]] in a page's body, by normalised target name.

    Targets are names, not rows, because a link may point at a page nobody has written yet
    (a red link); "what links here" matches them against the Name index.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")
    target = models.CharField(max_length=200, help_text="As written in the link.")
    normalised = models.CharField(max_length=200, db_index=True)

    class Meta:
        ordering = ["content_type", "object_id", "normalised"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.page} → {self.target}"


class RelationQuerySet(models.QuerySet):
    def public_ends(self, *ends):
        """Relations whose named ends are all published (what the public may see)."""
        return self.filter(**{f"{end}__is_public": True for end in ends})


class Relation(DatedModel, TrackedModel):
    """A cited statement that links two things: its evidence is citation markup."""

    start = EDTFField()
    start_earliest, start_latest = bound_fields()
    end = EDTFField()
    end_earliest, end_latest = bound_fields()
    evidence = models.TextField(help_text=EVIDENCE_HELP)
    citation_uses = GenericRelation(CitationUse)

    history = HistoricalRecords(inherit=True)
    objects = RelationQuerySet.as_manager()

    # The fields that hold the pages a relation joins; the first is the page it is shown from.
    end_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def ends(self) -> list:
        """The pages this relation joins (blank optional ends left out)."""
        return [end for name in self.end_fields if (end := getattr(self, name)) is not None]


class Membership(Relation):
    """An actor's place in a faction."""

    class Role(models.TextChoices):
        LEADER = "leader", "Leader"
        FOUNDER = "founder", "Founder"
        COMMANDER = "commander", "Commander"
        MEMBER = "member", "Member"
        SPOKESPERSON = "spokesperson", "Spokesperson"
        OTHER = "other", "Other"

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    faction = models.ForeignKey(Faction, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)

    end_fields = ("actor", "faction")

    class Meta:
        ordering = ["start_earliest", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "faction", "role", "start"], name="membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.actor} — {self.get_role_display().lower()} of {self.faction}"


class FactionRelation(Relation):
    """How one faction stands to another."""

    class Kind(models.TextChoices):
        ALLIANCE = "alliance", "Alliance"
        RIVALRY = "rivalry", "Rivalry"
        PART_OF = "part of", "Part of"
        SPLIT_FROM = "split from", "Split from"
        MERGED_INTO = "merged into", "Merged into"
        SUCCESSOR_OF = "successor of", "Successor of"

    faction = models.ForeignKey(Faction, on_delete=models.CASCADE, related_name="relations_out")
    other = models.ForeignKey(Faction, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    end_fields = ("faction", "other")

    class Meta:
        ordering = ["start_earliest", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(faction=models.F("other")), name="faction_relation_not_self"
            ),
            models.UniqueConstraint(
                fields=["faction", "other", "kind", "start"], name="faction_relation_unique"
            ),
        ]

    def __str__(self):
        return f"{self.faction} — {self.get_kind_display().lower()} — {self.other}"


class Participation(Relation):
    """An actor's or a faction's part in an event (exactly one of the two)."""

    class Role(models.TextChoices):
        PERPETRATOR = "perpetrator", "Perpetrator"
        TARGET = "target", "Target"
        PARTY = "party", "Party"
        MEDIATOR = "mediator", "Mediator"
        COMMANDER = "commander", "Commander"
        WITNESS = "witness", "Witness"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.CASCADE, related_name="participations"
    )
    faction = models.ForeignKey(
        Faction, null=True, blank=True, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTY)

    end_fields = ("event", "actor", "faction")

    class Meta:
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(actor__isnull=False, faction__isnull=True)
                    | Q(actor__isnull=True, faction__isnull=False)
                ),
                name="participation_exactly_one_participant",
                violation_error_message="Name exactly one participant: an actor or a faction.",
            ),
        ]

    def __str__(self):
        return f"{self.participant} — {self.get_role_display().lower()} — {self.event}"

    @property
    def participant(self):
        return self.actor if self.actor_id else self.faction


class SearchDocument(models.Model):
    """Derived: what the search box searches, one row per page and per source.

    Rebuilt by the save services (and source_saved) so that a search reads one table. The
    search vector and the trigram index on Name are PostgreSQL's; SQLite searches `folded`.
    """

    class Kind(models.TextChoices):
        ACTOR = "actor", "Actor"
        FACTION = "faction", "Faction"
        EVENT = "event", "Event"
        SOURCE = "source", "Source"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The same pair as Name's, so that a name match finds its document.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=500)
    names = models.TextField(blank=True, help_text="Title and aliases, one per line.")
    summary = models.TextField(blank=True, help_text="A page's summary; a source's metadata.")
    text = models.TextField(blank=True, help_text="The prose that snippets are cut from.")
    url = models.CharField(max_length=1000)
    is_public = models.BooleanField(default=False, db_index=True)
    tags = models.ManyToManyField("taggit.Tag", blank=True, related_name="search_documents")
    # SQLite only (empty on PostgreSQL, which searches the vector): folded names between
    # newlines, and every folded word of the document after a space.
    folded_names = models.TextField(blank=True)
    folded = models.TextField(blank=True)
    # PostgreSQL only; a GIN index is made by the migration.
    search_vector = SearchVectorField(null=True, editable=False)
    # PostgreSQL only: the names, summary and tags alone (weights A and B). Small enough to
    # stay in the row, so thousands of matches are ranked by it without reading their bodies.
    head_vector = SearchVectorField(null=True, editable=False)


    objects = PublishableQuerySet.as_manager()
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="search_document_unique"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url
