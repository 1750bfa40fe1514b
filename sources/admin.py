"""Admin for curators: sources and citations.

Every save goes through a save service, so that one admin save is one history row with the
tags in it, exactly as an edit in the browser is; and every change of the published flag goes
through the site's publish service, so that the admin refuses exactly what the site refuses.
The pieces the wiki's admin shares live in sources.common.admin_base (and are found here too);
the team's accounts have their own narrow admin, in accounts_admin.
"""

from copy import copy

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.urls import reverse
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
from sources.common.history.merging import ConflictingEdit, latest_history_id, merge_edit
from sources.models import Citation, Source
from sources.publishing import source_publish
from sources.services import citation_grade, protection_errors, source_save


class CitationInline(admin.TabularInline):
    """The passages cited from this source, read-only: citations are made by citing them."""

    model = Citation
    fields = ("passage", "locator", "credibility", "status", "start", "end")
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

    def clean(self):
        # Protection is checked against the row as it stands: the save writes the published
        # flag only after the other fields, and the publish service never publishes a
        # protected source.
        cleaned = super().clean()
        if "is_protected" in cleaned:
            stored = (
                Source.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
            )
            probe = copy(self.instance)
            probe.key = cleaned.get("key") or self.instance.key
            probe.is_protected = cleaned["is_protected"]
            probe.is_public = cleaned.get("is_public", False) or bool(stored and stored.is_public)
            was_protected = bool(stored and stored.is_protected)
            for error in protection_errors(probe, was_protected=was_protected):
                self.add_error("is_protected", error)
        return cleaned


@admin.register(Source)
class SourceAdmin(TaggedServiceAdmin):
    list_display = (
        "key",
        "title",
        "kind",
        "publisher",
        edtf_column("published", "date published"),
        "reliability",
        "is_public",
        "is_protected",
        "citation_count",
    )
    list_filter = (
        TagListFilter,
        "is_public",
        "is_protected",
        "reliability",
        "kind",
        decade_filter("published_earliest", "date published"),
        "updated_at",
    )
    search_fields = ("key", "title", "authors", "publisher", "document_symbol", "text")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("key", "title", "kind", "authors", "publisher", "published")}),
        ("Where to find it", {"fields": ("url", "document_symbol", "accessed", "language")}),
        ("Text", {"fields": ("text", "original_file")}),
        ("Grading", {"fields": ("reliability", "reliability_reason")}),
        (
            None,
            {
                "fields": (
                    "tags",
                    "is_public",
                    "is_protected",
                    "notes",
                    "change_reason",
                    "base_revision",
                )
            },
        ),
        record_fieldset(),
    )
    inlines = [CitationInline]
    form = SourceAdminForm

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    def get_readonly_fields(self, request, obj=None):
        # Page bodies cite the key; renaming it here would orphan every one of those citations.
        # The original comes from an import, and is served to the team by the site alone.
        readonly = (*self.readonly_fields, "original_file")
        return (*readonly, "key") if obj is not None else readonly

    @admin.display(description="original file")
    def original_file(self, source):
        if source.pk is None or not source.original:
            return "—"
        url = reverse("sources:source-original", args=[source.key])
        return format_html('<a href="{}">Download the original</a>', url)

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


class CitationAdminForm(forms.ModelForm):
    """A passage's credibility, the one thing of a citation a curator sets here, with the edit
    summary and the revision the form was opened at (a grade that crossed another is refused)."""

    change_reason = forms.CharField(label="Edit summary", required=False, max_length=100)
    base_revision = base_revision_field()

    class Meta:
        model = Citation
        fields = ["credibility"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields["base_revision"].initial = latest_history_id(self.instance)

    def clean(self):
        cleaned = super().clean()
        base = cleaned.get("base_revision")
        current = Citation.objects.filter(pk=self.instance.pk).first()
        if base is None or current is None:
            return cleaned
        ours = copy(current)
        ours.credibility = cleaned.get("credibility")
        try:
            merge_edit(ours, current, base, ["credibility"])
        except ConflictingEdit:
            self.add_error(
                "credibility",
                "Someone graded this passage after you opened it: it now reads "
                f"“{current.get_credibility_display() or 'not graded'}”. Save again to keep "
                "yours.",
            )
            self.data = self.data.copy()  # saved again, the form applies the curator's grade
            self.data[self.add_prefix("base_revision")] = latest_history_id(current)
        except ValidationError as error:
            self.add_error(None, error.messages)
        return cleaned


@admin.register(Citation)
class CitationAdmin(StaleEditAdminMixin, SimpleHistoryAdmin):
    """Citations are read here; only their credibility is set (through the grading service):
    pages make citations, and re-anchoring keeps them right."""

    list_display = ("source_key", "short_quote", "locator", "grade", "status", "use_count")
    list_display_links = ("short_quote",)
    list_filter = ("status", "credibility", "source__reliability")
    search_fields = ("quote", "source__key")
    form = CitationAdminForm
    readonly_fields = (
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
    fields = (*readonly_fields, "credibility", "change_reason", "base_revision")

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

    @admin.display(description="grade", ordering="credibility")
    def grade(self, citation):
        return citation.grade.label or "—"

    @admin.display(description="in the source viewer")
    def passage_link(self, citation):
        return format_html('<a href="{0}">{0}</a>', citation.get_absolute_url())

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        citation_grade(
            citation=obj,
            credibility=obj.credibility,
            user=request.user,
            change_reason=form.cleaned_data.get("change_reason", ""),
            base_revision=StaleEditAdminMixin.base_revision(form),
        )

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
