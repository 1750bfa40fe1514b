"""Admin for curators: sources and citations.

Every save goes through a save service, so that one admin save is one history row with the
tags in it, exactly as an edit in the browser is; and every change of the published flag goes
through the site's publish service, so that the admin refuses exactly what the site refuses.
The pieces the wiki's admin shares live in sources.common.admin_base (and are found here too);
the team's accounts have their own narrow admin, in accounts_admin.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from sources import accounts_admin  # noqa: F401 - registers the team's accounts admin
from sources.common.admin_base import (  # noqa: F401 - the wiki's admin imports them from here
    RECORD_FIELDS,
    ChangeReasonForm,
    StaleEditAdminMixin,
    StaleEditCheckMixin,
    TaggedAdminForm,
    TaggedServiceAdmin,
    TagListFilter,
    base_revision_field,
    decade_filter,
    edtf_column,
    record_fieldset,
)
from sources.models import Citation, Source
from sources.publishing import source_publish
from sources.services import source_save


class CitationInline(admin.TabularInline):
    """The passages cited from this source, read-only: citations are made by citing them."""

    model = Citation
    fields = ("passage", "locator", "status", "start", "end")
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source").defer("source__text")

    @admin.display(description="passage")
    def passage(self, citation):
        quote = Truncator(citation.quote).chars(100) or "(whole document)"
        return format_html('<a href="{}">{}</a>', citation.get_absolute_url(), quote)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SourceAdminForm(TaggedAdminForm):
    """A source's change form: its text merges paragraph by paragraph with saves since."""

    merge_text_field = "text"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            self.fields["text"].strip = False  # as the site's form: the text as typed

    def clean_text(self):
        # Browsers post a textarea's lines ending in CRLF; the text is kept, and merged, in LF.
        return (self.cleaned_data.get("text") or "").replace("\r\n", "\n").replace("\r", "\n")


@admin.register(Source)
class SourceAdmin(TaggedServiceAdmin):
    list_display = (
        "key",
        "title",
        "kind",
        "publisher",
        edtf_column("published", "date published"),
        "is_public",
        "citation_count",
    )
    list_filter = (
        TagListFilter,
        "is_public",
        "kind",
        decade_filter("published_earliest", "date published"),
        "updated_at",
    )
    search_fields = ("key", "title", "authors", "publisher", "document_symbol", "text")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("key", "title", "kind", "authors", "publisher", "published")}),
        ("Where to find it", {"fields": ("url", "document_symbol", "accessed", "language")}),
        ("Text", {"fields": ("text", "original")}),
        (None, {"fields": ("tags", "is_public", "notes", "change_reason", "base_revision")}),
        record_fieldset(),
    )
    inlines = [CitationInline]
    form = SourceAdminForm

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    def get_readonly_fields(self, request, obj=None):
        # Page bodies cite the key; renaming it here would orphan every one of those citations.
        return (*self.readonly_fields, "key") if obj is not None else self.readonly_fields

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, source):
        return source.citation_count

    def service_save(
        self, request, obj, *, change_reason="", tags=None, base_revision=None, fields=None
    ):
        source_save(
            source=obj,
            user=request.user,
            change_reason=change_reason,
            tags=tags,
            base_revision=base_revision,
            fields=fields,
        )

    def service_publish(self, request, obj, *, publish):
        source_publish(source=obj, user=request.user, publish=publish)

    def publish_has_rules(self, publish):
        # Publishing a source is never refused; unpublishing is, while public pages cite it.
        return not publish


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    """Citations are read here, not edited: pages make them, and re-anchoring keeps them right."""

    list_display = ("source_key", "short_quote", "locator", "status", "use_count")
    list_display_links = ("short_quote",)
    list_filter = ("status",)
    search_fields = ("quote", "source__key")
    fields = (
        "source",
        "quote",
        "prefix",
        "suffix",
        "start",
        "end",
        "locator",
        "status",
        "created_at",
        "passage_link",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("source").defer("source__text")
        return queryset.annotate(use_count=Count("uses"))

    @admin.display(description="source", ordering="source__key")
    def source_key(self, citation):
        return citation.source.key

    @admin.display(description="quote", ordering="quote")
    def short_quote(self, citation):
        return Truncator(citation.quote).chars(80) or "(whole document)"

    @admin.display(description="uses", ordering="use_count")
    def use_count(self, citation):
        return citation.use_count

    @admin.display(description="in the source viewer")
    def passage_link(self, citation):
        return format_html('<a href="{0}">{0}</a>', citation.get_absolute_url())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A citation a page or relation still uses would vanish from it without a trace.
        if obj is not None and obj.uses.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk delete cannot tell used citations from unused ones; delete them one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
