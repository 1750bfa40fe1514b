"""Claims: each fact an entry states beside its body, from a cited passage, ranked."""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch
from simple_history.models import HistoricalRecords

from sources.common.models import TrackedModel
from sources.models import CitationUse
from wiki.claims import values

CLAIM_EVIDENCE_HELP = (
    'The passage that states this value: [@source-key "exact passage"]; several as '
    '[@a "…"; @b "…"]. At least 3 words and 12 characters.'
)


class Rank(models.TextChoices):
    """Wikidata's ranks: which of several values a field goes by."""

    PREFERRED = values.PREFERRED, "Preferred"
    NORMAL = values.NORMAL, "Normal"
    DEPRECATED = values.DEPRECATED, "Deprecated"


class ClaimQuerySet(models.QuerySet):
    def of(self, subject):
        """The claims of one entry, in the order a page lists them."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        )

    def with_evidence(self, uses=None):
        """Claims with their cited passages, sources and grades: two queries in all (the API's
        and the pages' way to read a claim whole)."""
        if uses is None:
            uses = CitationUse.objects.select_related("citation__source").defer(
                "citation__source__text", "citation__source__notes"
            )
        return self.prefetch_related(
            Prefetch("citation_uses", queryset=uses.order_by("position", "pk"), to_attr="uses")
        )


class Claim(TrackedModel):
    """One value of one fact of an entry, as one or more passages state it.

    Several claims may give one field different values: that is how sources that disagree are
    kept side by side. The entry's own field is derived from its claims (wiki.claims.saving).
    """

    Rank = Rank
    FIELD_CHOICES = [(name, label) for name, (label, _kind) in values.FIELDS.items()]

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=20, choices=FIELD_CHOICES)
    value = models.CharField(max_length=values.MAX_LENGTH)
    evidence = models.TextField(blank=True, help_text=CLAIM_EVIDENCE_HELP)
    rank = models.CharField(max_length=12, choices=Rank.choices, default=Rank.NORMAL)
    rank_reason = models.CharField(
        max_length=300, blank=True, help_text="Why this value is preferred or deprecated."
    )
    citation_uses = GenericRelation(CitationUse)

    history = HistoricalRecords()
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "field", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "field"])]

    def __str__(self):
        return f"{values.label_of(self.field)}: {self.value}"

    @property
    def label(self) -> str:
        return values.label_of(self.field)

    @property
    def is_deprecated(self) -> bool:
        return self.rank == Rank.DEPRECATED
