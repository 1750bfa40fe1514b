"""Admin for curators: sources and citations, plus the pieces the wiki's admin shares.

Every save goes through a save service, so that one admin save is one history row with the
tags in it, exactly as an edit in the browser is; and every change of the published flag goes
through the site's publish service, so that the admin refuses exactly what the site refuses.
The team's accounts have their own narrow admin, in accounts_admin.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic
from taggit.models import Tag
from taggit.utils import parse_tags

from sources import accounts_admin  # noqa: F401 - registers the team's accounts admin
from sources.common.permissions import is_curator
from sources.models import Citation, Source
from sources.publishing import source_publish
from sources.services import source_save

RECORD_FIELDS = ("tag_list", "created_by", "created_at", "updated_by", "updated_at")


def record_fieldset(*fields):
    """The collapsed, read-only "Record" section: the tags as saved, who and when."""
    return ("Record", {"fields": fields or RECORD_FIELDS, "classes": ["collapse"]})


class ChangeReasonForm(forms.ModelForm):
    """An admin form with the edit summary that history shows next to the revision."""

    change_reason = forms.CharField(
        label="Edit summary",
        required=False,
        max_length=100,
        help_text="Shown in the history next to this revision.",
    )


class TaggedAdminForm(ChangeReasonForm):
    """The form of a tagged model; reverting to a revision offers that revision's tags."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        revision = to_historic(self.instance)
        if revision is not None and "tags" in self.fields:
            # The instance comes from history, but taggit would show today's tags.
            self.initial["tags"] = [Tag(name=name) for name in parse_tags(revision.tag_list)]
            self.initial["change_reason"] = (
                f"Revert to the revision of {revision.history_date:%Y-%m-%d %H:%M}"
            )


class TagListFilter(admin.SimpleListFilter):
    """Filter by any tag that this model's objects carry."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        opts = model_admin.model._meta
        # One filter() call, so both conditions apply to the same tagged item.
        tags = Tag.objects.filter(
            taggit_taggeditem_items__content_type__app_label=opts.app_label,
            taggit_taggeditem_items__content_type__model=opts.model_name,
        )
        return tags.distinct().order_by("name").values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


def decade_filter(field_name: str, title: str):
    """A list filter by decade over a date field (the `_earliest` bound of an EDTF date)."""

    class DecadeListFilter(admin.SimpleListFilter):
        parameter_name = f"{field_name}_decade"

        def lookups(self, request, model_admin):
            years = model_admin.model._default_manager.dates(field_name, "year")
            decades = sorted({day.year // 10 * 10 for day in years})
            return [(str(decade), f"{decade}s") for decade in decades]

        def queryset(self, request, queryset):
            try:
                decade = int(self.value())
                first, after = datetime.date(decade, 1, 1), datetime.date(decade + 10, 1, 1)
            except (TypeError, ValueError, OverflowError):
                return queryset  # no choice made, or a hand-typed value that is no decade
            return queryset.filter(**{f"{field_name}__gte": first, f"{field_name}__lt": after})

    DecadeListFilter.title = title
    DecadeListFilter.__name__ = f"{field_name.title().replace('_', '')}DecadeFilter"
    return DecadeListFilter


def edtf_column(field_name: str, description: str = ""):
    """A list column that shows an EDTF date as typed and sorts by its earliest bound."""

    @admin.display(description=description or field_name, ordering=f"{field_name}_earliest")
    def column(obj):
        return getattr(obj, field_name) or None

    column.__name__ = field_name
    return column


class ForListChangeList(ChangeList):
    """Rows load as the site's own lists load them: the queryset's for_list()."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).for_list()


class TaggedServiceAdmin(SimpleHistoryAdmin):
    """A tagged model whose saves go through its save service: one history row per save.

    Subclasses name the save service in service_save() and the site's publish service in
    service_publish(), so that the admin publishes by the site's rules, never around them.
    Publish/unpublish write a revision too.
    """

    form = TaggedAdminForm
    readonly_fields = RECORD_FIELDS
    actions = ["publish", "unpublish"]

    def service_save(self, request, obj, *, change_reason="", tags=None):
        raise NotImplementedError

    def service_publish(self, request, obj, *, publish):
        """Publish or unpublish obj as the site does; a ValidationError says why not."""
        raise NotImplementedError

    def publish_has_rules(self, publish: bool) -> bool:
        """Whether the site's publish service may refuse this change of the published flag."""
        return True

    def get_changelist(self, request, **kwargs):
        return ForListChangeList

    def save_model(self, request, obj, form, change):
        # The change form's "published" box obeys the rules of the publish action: the edit is
        # saved with the flag as it stands in the database, then the flag changes through the
        # publish service. Compared with the row, not the form's initial value: reverting to an
        # old revision starts from that revision's flag.
        publish = obj.is_public
        stored = bool(
            obj.pk and type(obj)._default_manager.filter(pk=obj.pk, is_public=True).exists()
        )
        ruled = publish != stored and self.publish_has_rules(publish)
        if ruled:
            obj.is_public = stored
        self.service_save(
            request,
            obj,
            change_reason=form.cleaned_data.get("change_reason", ""),
            tags=form.cleaned_data.get("tags"),
        )
        if ruled:
            reason = "Published" if publish else "Unpublished"
            self.each_saved(request, [obj], reason, self._publisher(request, publish), quiet=True)

    def save_related(self, request, form, formsets, change):
        # The service stored the tags with the revision; form.save_m2m() would only write them
        # again, out of history's sight. Tags are the only many-to-many field of these models.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description="tags")
    def tag_names(self, obj):
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    def has_curate_permission(self, request):
        # Publishing, like locking, is for curators only: staff status alone is not enough.
        return is_curator(request.user)

    def _publisher(self, request, publish):
        return lambda obj: self.service_publish(request, obj, publish=publish)

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["curate"])
    def publish(self, request, queryset):
        drafts = queryset.filter(is_public=False)
        self.each_saved(request, drafts, "Published", self._publisher(request, True))

    @admin.action(description="Unpublish selected %(verbose_name_plural)s", permissions=["curate"])
    def unpublish(self, request, queryset):
        public = queryset.filter(is_public=True)
        self.each_saved(request, public, "Unpublished", self._publisher(request, False))

    def flag_set(self, request, queryset, *, field, value, reason):
        """Set a yes/no field through the save service, one revision per object that changes."""

        def save(obj):
            setattr(obj, field, value)
            self.service_save(request, obj, change_reason=reason)

        self.each_saved(request, queryset.filter(**{field: not value}), reason, save)

    def each_saved(self, request, objects, reason, save, *, quiet=False):
        """Save each object through save(obj); say how many were, and why each refusal was."""
        changed = 0
        if isinstance(objects, models.QuerySet):
            # defer(None): the change list defers long texts, which the services read anyway.
            objects = objects.defer(None)
        for obj in objects:
            try:
                save(obj)
            except ValidationError as refusal:
                self.message_user(
                    request,
                    f"Not {reason.lower()} “{obj}”: {' '.join(refusal.messages)}",
                    messages.ERROR,
                )
            else:
                changed += 1
        if not quiet:
            self.message_user(request, f"{reason} {changed} {model_ngettext(self.opts, changed)}.")


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
        (None, {"fields": ("tags", "is_public", "notes", "change_reason")}),
        record_fieldset(),
    )
    inlines = [CitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    def get_readonly_fields(self, request, obj=None):
        # Page bodies cite the key; renaming it here would orphan every one of those citations.
        return (*self.readonly_fields, "key") if obj is not None else self.readonly_fields

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, source):
        return source.citation_count

    def service_save(self, request, obj, *, change_reason="", tags=None):
        source_save(source=obj, user=request.user, change_reason=change_reason, tags=tags)

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
