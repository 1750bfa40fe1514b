"""The admin machinery that sources' and the wiki's admins share.

Change forms that carry the revision they were opened at (`base_revision`) and an edit
summary, checked against the row before the save service merges them; a tagged model's admin
whose saves and publishing go through the site's services; list filters by tag and by decade;
a column for EDTF dates; the read-only "Record" section.
"""

import datetime
from copy import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic
from taggit.models import Tag

from sources.common.history.merging import (
    ConflictingEdit,
    carried_fields,
    latest_history_id,
    merge_edit,
    revision_shown,
)
from sources.common.history.revisions import snapshot_tags
from sources.common.models import format_tags
from sources.common.permissions import is_curator

RECORD_FIELDS = ("tag_list", "created_by", "created_at", "updated_by", "updated_at")


def record_fieldset(*fields):
    """The collapsed, read-only "Record" section: the tags as saved, who and when."""
    return ("Record", {"fields": fields or RECORD_FIELDS, "classes": ["collapse"]})


def base_revision_field():
    """The hidden field that carries the revision a change form was opened at."""
    return forms.IntegerField(required=False, widget=forms.HiddenInput)


class StaleEditCheckMixin:
    """A change form that knows the revision it was opened at (`base_revision`).

    Saved through a service that merges it under the row lock with whatever was saved since
    (or refuses it); checked here first, so that a form both editors changed comes back with
    the curator's values and what the other save changed, instead of a failed save.
    """

    merge_text_field = ""  # the long text merged line by line (body, text)
    not_merged = frozenset({"is_public"})  # the published box goes through the publish service

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        bound = (args[0] if args else kwargs.get("data")) is not None
        base = None
        if instance is not None and instance.pk is not None and not bound:
            # The revision the form shows; an old revision shown to revert to starts from the
            # latest (its values are the curator's change).
            reverting = to_historic(instance) is not None
            base = latest_history_id(instance) if reverting else revision_shown(instance)
        super().__init__(*args, **kwargs)
        if "base_revision" in self.fields:
            self.fields["base_revision"].initial = base
        if getattr(instance, "revision_refreshed", False) and "tags" in self.fields:
            self.initial["tags"] = snapshot_tags(instance.tag_list)

    def carried_fields(self) -> list[str]:
        """The model fields this form writes (by attname), the tags as their snapshot."""
        names = [name for name in self._meta.fields or () if name not in self.not_merged]
        if "tags" in self.fields and hasattr(self.instance, "tag_list"):
            names.append("tag_list")
        return carried_fields(self.instance, names)

    def _post_clean(self):
        super()._post_clean()
        base = self.cleaned_data.get("base_revision")
        if base is not None and self.instance.pk is not None:
            self._check_not_stale(base)

    def _check_not_stale(self, base) -> None:
        current = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        if current is None:
            self.add_error(None, "This was deleted after you opened it: nothing was saved.")
            return
        ours = copy(self.instance)
        if "tag_list" in self.carried_fields() and "tags" in self.cleaned_data:
            ours.tag_list = format_tags(self.cleaned_data["tags"])
        try:
            merge_edit(ours, current, base, self.carried_fields(), text_field=self.merge_text_field)
        except ConflictingEdit as conflict:
            self.add_error(None, self.conflict_message(conflict))
            # Saved again as it stands, the form applies the curator's values over theirs.
            self.data = self.data.copy()
            self.data[self.add_prefix("base_revision")] = latest_history_id(current)
        except ValidationError as error:
            self.add_error(None, error.messages)

    def conflict_message(self, conflict: ConflictingEdit) -> str:
        """Nothing saved, who saved in between, and what of theirs differs from ours."""
        current = conflict.current
        record = current.history.order_by("-history_id").select_related("history_user").first()
        who = record.history_user.get_username() if record and record.history_user else None
        changed = "; ".join(self._their_value(conflict, name) for name in conflict.fields)
        return (
            f"Nothing was saved: {who or 'someone'} saved this "
            f"{current._meta.verbose_name} after you opened it and changed the same: {changed}. "
            "Your values are in the form: save again to keep them over theirs, or reload to "
            "start from theirs."
        )

    def _their_value(self, conflict, name) -> str:
        label = self._meta.model._meta.get_field(name.removesuffix("_id")).verbose_name
        if name == self.merge_text_field:
            return f"the same lines of the {label}"
        theirs = getattr(conflict.current, name.removesuffix("_id"), conflict.theirs[name])
        return f"{label} now “{Truncator(str(theirs)).chars(80)}”"


class ChangeReasonForm(StaleEditCheckMixin, forms.ModelForm):
    """An admin form with the edit summary that history shows next to the revision, and the
    revision it was opened at."""

    change_reason = forms.CharField(
        label="Edit summary",
        required=False,
        max_length=100,
        help_text="Shown in the history next to this revision.",
    )
    base_revision = base_revision_field()


class TaggedAdminForm(ChangeReasonForm):
    """The form of a tagged model; reverting to a revision offers that revision's tags."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        revision = to_historic(self.instance)
        if revision is not None and "tags" in self.fields:
            # The instance comes from history, but taggit would show today's tags.
            self.initial["tags"] = snapshot_tags(revision.tag_list)
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


class StaleEditAdminMixin:
    """Change forms (and simple-history's revert form) whose save a concurrent one crossed.

    The form checks its base revision against the row, then the save service merges under the
    row lock; should a save slip in between the two, the service refuses with ConflictingEdit,
    the whole request is rolled back and the form checked again, now showing the conflict.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConflictingEdit:
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        for attempt in range(2):
            try:
                with transaction.atomic():
                    return super().history_form_view(request, object_id, version_id, extra_context)
            except ConflictingEdit:
                if attempt:
                    raise

    @staticmethod
    def base_revision(form):
        """The revision the form was opened at, if it says."""
        return form.cleaned_data.get("base_revision")


class TaggedServiceAdmin(StaleEditAdminMixin, SimpleHistoryAdmin):
    """A tagged model whose saves go through its save service: one history row per save.

    Subclasses name the save service in service_save() and the site's publish service in
    service_publish(), so that the admin publishes by the site's rules, never around them.
    Publish/unpublish write a revision too, of the flag alone.
    """

    form = TaggedAdminForm
    readonly_fields = RECORD_FIELDS
    actions = ["publish", "unpublish"]

    def service_save(
        self, request, obj, *, change_reason="", tags=None, base_revision=None, fields=None
    ):
        """Save obj through its service: only `fields`, merged with saves since base_revision."""
        raise NotImplementedError

    def service_publish(self, request, obj, *, publish):
        """Publish or unpublish obj as the site does; a ValidationError says why not."""
        raise NotImplementedError

    def publish_has_rules(self, publish: bool) -> bool:
        """Whether the site's publish service may refuse this change of the published flag."""
        return True

    def get_changelist(self, request, **kwargs):
        return ForListChangeList

    def published_as_shown(self, obj, form) -> bool:
        """The published flag the curator saw: the one of the revision the form was opened at,
        else the row's. Reverting to an old revision starts from the row's: the old
        revision's flag is then a change, made through the publish service."""
        base = self.base_revision(form)
        if base is not None and to_historic(obj) is None:
            record = obj.history.filter(history_id=base).only("is_public").first()
            if record is not None:
                return record.is_public
        return bool(
            obj.pk and type(obj)._default_manager.filter(pk=obj.pk, is_public=True).exists()
        )

    def save_model(self, request, obj, form, change):
        # The change form writes only its own fields, merged with whatever was saved since it
        # was opened. Its "published" box counts only where the curator changed it, and then
        # obeys the rules of the publish action: the flag changes through the publish service.
        publish = obj.is_public
        shown = self.published_as_shown(obj, form)
        ruled = publish != shown and self.publish_has_rules(publish)
        fields = None
        if obj.pk:
            fields = [name for name in form._meta.fields or () if name != "is_public"]
            fields += ["is_public"] if publish != shown and not ruled else []
        elif ruled:
            obj.is_public = shown
        self.service_save(
            request,
            obj,
            change_reason=form.cleaned_data.get("change_reason", ""),
            tags=form.cleaned_data.get("tags"),
            base_revision=self.base_revision(form),
            fields=fields,
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

    def each_saved(self, request, objects, reason, save, *, quiet=False):
        """Save each object through save(obj); say how many were, and why each refusal was.

        The services change only their flag, on each row as it stands when they lock it."""
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
