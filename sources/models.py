"""Sources (documents) and citations (anchored passages of them)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from sources.citations.grading import CREDIBILITY_CHOICES, RELIABILITY_CHOICES, Grade
from sources.common.models import (
    DatedModel,
    EDTFField,
    PublishableQuerySet,
    TagSnapshotModel,
    TrackedModel,
    bound_fields,
)
from sources.importing.duplicates import text_bands_sync, text_fingerprint

KEY_PATTERN = r"[a-z0-9][a-z0-9._-]*"
validate_key = RegexValidator(
    rf"^{KEY_PATTERN}\Z",
    "Use lower-case letters, digits, dots and hyphens, starting with a letter or digit "
    "(for example ric-1999-afg00001).",
)


class SourceQuerySet(PublishableQuerySet):
    def for_list(self):
        """What a source row in a list shows, without the (long) text: two queries."""
        return self.defer("text", "notes").prefetch_related("tags")

    def for_detail(self):
        """A source with its tags."""
        return self.prefetch_related("tags")


class Source(TagSnapshotModel, DatedModel, TrackedModel):
    """One document that statements cite."""

    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        NEWS = "news", "News article"
        BOOK = "book", "Book"
        ARTICLE = "article", "Article"
        INTERVIEW = "interview", "Interview"
        DATASET = "dataset", "Dataset"
        WEBPAGE = "webpage", "Web page"
        OTHER = "other", "Other"

    key = models.CharField(
        max_length=100,
        unique=True,
        validators=[validate_key],
        help_text='Short unique name used in citations, e.g. [@ric-1999-afg00001 "…"].',
    )
    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REPORT)
    authors = models.CharField(max_length=500, blank=True, help_text="As the document names them.")
    publisher = models.CharField(max_length=300, blank=True)
    published = EDTFField("date published")
    published_earliest, published_latest = bound_fields()
    url = models.URLField("URL", max_length=1000, blank=True)
    document_symbol = models.CharField(max_length=100, blank=True, help_text="E.g. AFG00001.REF.")
    accessed = models.DateField(null=True, blank=True, help_text="When the URL was read.")
    language = models.CharField(max_length=35, default="en", help_text="Language code, e.g. en.")
    text = models.TextField(blank=True, help_text="The full text that citations anchor into.")
    original = models.FileField(upload_to="sources/", blank=True, help_text="The uploaded file.")
    # Derived on save: where each page of the original starts in `text` (a PDF's pages, so that a
    # cited passage gets its page as locator), and the text's fingerprint (duplicates).
    page_starts = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Offsets into the text where each page of the original begins.",
    )
    text_fingerprint = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    is_public = models.BooleanField("published", default=False, db_index=True)
    is_protected = models.BooleanField(
        "protected",
        default=False,
        help_text="An interview or a leaked document whose identity must never reach the public: "
        "never published, yet published pages may cite it. Visitors see “withheld source” and "
        "its grade, nothing else of it.",
    )
    notes = models.TextField(blank=True, help_text="Internal notes for the team; never public.")
    reliability = models.CharField(
        max_length=1,
        choices=RELIABILITY_CHOICES,
        blank=True,
        help_text="How reliable the source is, on the Admiralty scale; blank: not graded.",
    )
    reliability_reason = models.CharField(
        "why this reliability",
        max_length=300,
        blank=True,
        help_text="One line why; shown with the grade on the source's page.",
    )

    tags = TaggableManager(blank=True)
    history = HistoricalRecords()
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_protected=False) | models.Q(is_public=False),
                name="source_protected_never_public",
                violation_error_message="A protected source is never published.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.text_fingerprint = text_fingerprint(self.text)
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "text" in update_fields:
            text_bands_sync(self)

    def get_absolute_url(self):
        return reverse("sources:source-detail", args=[self.key])

    @property
    def grade(self) -> Grade:
        """Its reliability alone ("B"), as the lists and the viewer show it."""
        return Grade(self.reliability)


class CitationQuerySet(models.QuerySet):
    def orphaned(self):
        """Citations whose passage could not be found in the source's current text."""
        return self.filter(status=Citation.Status.ORPHANED)


class Citation(models.Model):
    """One quoted passage of one source, anchored like a W3C Web Annotation (quote + position)."""

    class Status(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        ORPHANED = "orphaned", "Orphaned"
        UNVERIFIED = "unverified", "Whole document (unverified)"

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(blank=True, help_text="The exact passage as it stands in the text.")
    prefix = models.CharField(max_length=64, blank=True, help_text="Text just before the quote.")
    suffix = models.CharField(max_length=64, blank=True, help_text="Text just after the quote.")
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    locator = models.CharField(max_length=100, blank=True, help_text='E.g. "p. 3", "para. 4".')
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.ANCHORED, db_index=True
    )
    credibility = models.PositiveSmallIntegerField(
        choices=CREDIBILITY_CHOICES,
        null=True,
        blank=True,
        help_text="How credible the passage is, on the Admiralty scale; blank: not graded.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["source", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True) | models.Q(end__gte=models.F("start")),
                name="citation_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["source", "start", "end"])]

    def __str__(self):
        if not self.quote:
            return f"[@{self.source.key}]"
        return f"[@{self.source.key} “{self.quote[:60]}”]"

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#c{self.pk}"

    @property
    def grade(self) -> Grade:
        """Its source's reliability and its own credibility ("B2"): load the source with it."""
        return Grade(self.source.reliability, self.credibility)


class CitationUse(models.Model):
    """Derived: which page or relation uses which citation, in which order.

    Held through contenttypes so that sources need not know the wiki's models. Rebuilt by the
    save services; never edited by hand, so not versioned.
    """

    citation = models.ForeignKey(Citation, on_delete=models.CASCADE, related_name="uses")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    citing = GenericForeignKey("content_type", "object_id")
    position = models.PositiveIntegerField(default=0, help_text="Order within the citing text.")

    class Meta:
        ordering = ["content_type", "object_id", "position"]
        indexes = [models.Index(fields=["content_type", "object_id", "position"])]

    def __str__(self):
        return f"{self.citing} uses {self.citation}"


class TextBand(models.Model):
    """Derived: one band of the MinHash signature of a source's text (sources.importing.
    duplicates). Sources that share a band with a new document are the candidates for "nearly
    the same text"; the index on (band, value) finds them in one query at any archive size.
    Rewritten when the text changes (Source.save), never edited by hand, so not versioned."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="text_bands")
    band = models.PositiveSmallIntegerField()
    value = models.BigIntegerField()
    # The source's text_fingerprint when the band was computed: a changed text is seen.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["band", "value"], name="textband_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["source", "band"], name="textband_unique"),
        ]

    def __str__(self):
        return f"band {self.band} of {self.source_id}"


class Mention(models.Model):
    """Derived: an entry (actor, faction, event) that a source's text names, how often, where.

    Held through contenttypes so that sources need not know the wiki's models. The wiki's
    mention index rebuilds these rows when a text or a name changes; never edited by hand, so
    not versioned.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="mentions")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    count = models.PositiveIntegerField(default=0)
    positions = models.JSONField(
        default=list, help_text="[start, end] of each mention: offsets into the source's text."
    )
    # The first position again, as a column: a snippet is cut from the text in the query.
    first_start = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["source", "first_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_type", "object_id"], name="mention_unique"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.source} mentions {self.entry} ({self.count})"


class ContentVersion(models.Model):
    """Derived: one row counting the commits that changed any versioned thing.

    Bumped after each such commit (sources.common.public_cache), so that every process sees a
    change in the order the database committed it, which history ids alone do not tell.
    """

    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"content version {self.version}"
