"""/sitemap.xml: the published pages and public sources, and the lists that lead to them.

Django's sitemap pages itself at 50,000 addresses (?p=2…), each page one query per section.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from sources.models import Source
from wiki.models import ENTRY_MODELS


class EntrySitemap(Sitemap):
    """The published pages of one type."""

    changefreq = "weekly"

    def __init__(self, model):
        self.model = model

    def items(self):
        fields = ("slug", "updated_at")
        return self.model.objects.published().only(*fields).order_by("pk")

    def lastmod(self, entry):
        return entry.updated_at


class SourceSitemap(Sitemap):
    """Public sources (a protected source is never published, so never here)."""

    changefreq = "monthly"

    def items(self):
        return Source.objects.published().only("key", "updated_at").order_by("pk")

    def lastmod(self, source):
        return source.updated_at


class ListSitemap(Sitemap):
    """The lists and views that lead to the pages."""

    changefreq = "daily"
    NAMES = (
        ("wiki:home", ()),
        ("wiki:entry-list", ("actors",)),
        ("wiki:entry-list", ("factions",)),
        ("wiki:entry-list", ("events",)),
        ("sources:source-list", ()),
        ("wiki:timeline", ()),
        ("wiki:exports", ()),
    )

    def items(self):
        return list(self.NAMES)

    def location(self, item):
        name, args = item
        return reverse(name, args=args)


SITEMAPS = {
    "lists": ListSitemap,
    **{model.url_segment: EntrySitemap(model) for model in ENTRY_MODELS},
    "sources": SourceSitemap,
}
