"""Derived tables, rebuilt by the save services so that reading never parses: names, links and
the search index."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from sources.common.models import (
    PublishableQuerySet,
)


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
