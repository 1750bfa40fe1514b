"""Admin for curators: actors, factions, events and the cited relations between them.

Pages save through page_save, publish through page_publish, and relations (inline ones too)
save through relation_save, so the admin verifies citations, refuses what the site refuses and
records history exactly as the browser does.
"""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from sources.admin import (
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
from sources.citations.syntax import parse_evidence
from wiki.claims import admin as claims_admin  # noqa: F401 - registers the claims' admin
from wiki.markup.validation import body_errors, citation_errors
from wiki.models import (
    ENTRY_MODELS,
    Actor,
    Event,
    Faction,
    FactionRelation,
    Membership,
    Participation,
)
from wiki.services import page_delete, page_lock, page_publish, page_save, relation_save


class PageAdminForm(TaggedAdminForm):
    """A bad citation in the body is a form error naming the source, not a failed save; the
    body merges paragraph by paragraph with saves made since the form was opened."""

    merge_text_field = "body"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            self.fields["body"].strip = False  # as the site's form: the text as typed

    def clean_body(self):
        # Browsers post a textarea's lines ending in CRLF; the body is kept, and merged, in LF.
        return (self.cleaned_data.get("body") or "").replace("\r\n", "\n").replace("\r", "\n")

    def clean(self):
        cleaned_data = super().clean()
        if "body" in cleaned_data:
            errors = body_errors(cleaned_data["body"])
            if errors:
                self.add_error("body", errors)
        return cleaned_data


class EvidenceCheckMixin:
    """A bad citation in the evidence is a form error naming the source, not a failed save."""

    only_when_changed = False

    def clean(self):
        cleaned_data = super().clean()
        saved = not self.only_when_changed or self.has_changed()
        if saved and not cleaned_data.get("DELETE") and "evidence" in cleaned_data:
            errors = citation_errors(cleaned_data["evidence"], parse=parse_evidence)
            if errors:
                self.add_error("evidence", errors)
        return cleaned_data


class RelationAdminForm(EvidenceCheckMixin, ChangeReasonForm):
    pass


class RelationInlineForm(EvidenceCheckMixin, StaleEditCheckMixin, forms.ModelForm):
    only_when_changed = True  # an unchanged inline row is not saved, so not checked either
    base_revision = base_revision_field()

    class Meta:
        widgets = {"evidence": forms.Textarea(attrs={"rows": 2, "cols": 48})}


def relation_ends(model) -> list[str]:
    """The entries a relation links: its foreign keys to actors, factions and events."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model in ENTRY_MODELS
    ]


def with_ends(queryset):
    """Relations with the entries they link, in the same query, leaving out the entries' bodies."""
    ends = relation_ends(queryset.model)
    return queryset.select_related(*ends).defer(*(f"{end}__body" for end in ends))


class RelationInline(admin.TabularInline):
    """A relation seen from one of its ends; the parent admin saves it through relation_save."""

    form = RelationInlineForm
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return with_ends(super().get_queryset(request))

    def get_autocomplete_fields(self, request):
        return [name for name in relation_ends(self.model) if name != self.fk_name]


class ActorMembershipInline(RelationInline):
    model = Membership
    fk_name = "actor"
    fields = ("faction", "role", "start", "end", "evidence", "base_revision")


class FactionMembershipInline(RelationInline):
    model = Membership
    fk_name = "faction"
    fields = ("actor", "role", "start", "end", "evidence", "base_revision")


class FactionRelationInline(RelationInline):
    model = FactionRelation
    fk_name = "faction"
    fields = ("kind", "other", "start", "end", "evidence", "base_revision")
    verbose_name_plural = "relations to other factions"


class ActorParticipationInline(RelationInline):
    model = Participation
    fk_name = "actor"
    fields = ("event", "role", "start", "end", "evidence", "base_revision")


class FactionParticipationInline(RelationInline):
    model = Participation
    fk_name = "faction"
    fields = ("event", "role", "start", "end", "evidence", "base_revision")


class EventParticipationInline(RelationInline):
    model = Participation
    fk_name = "event"
    fields = ("actor", "faction", "role", "start", "end", "evidence", "base_revision")


PAGE_FIELDS = ("body", "tags", "is_public", "is_locked", "change_reason", "base_revision")


def entry_fieldsets(*own_fields, facts=()):
    """An entry type's change form: its own fields among the ones every entry has, and its
    facts as its claims give them (ranked and corrected under Claims)."""
    return (
        (None, {"fields": ("title", "slug", "aliases", "summary", *own_fields)}),
        ("Facts, as derived from the page's claims", {"fields": facts}),
        ("Page", {"fields": PAGE_FIELDS}),
        record_fieldset(),
    )


ENTRY_COLUMNS = ("tag_names", "is_public", "is_locked", "updated_at", "updated_by")


class EntryAdmin(TaggedServiceAdmin):
    """What the admins of actors, factions and events share."""

    form = PageAdminForm
    list_select_related = ("updated_by",)
    list_filter = (TagListFilter, "is_public", "is_locked", "updated_at")
    search_fields = ("title", "aliases", "summary")
    prepopulated_fields = {"slug": ("title",)}
    actions = [*TaggedServiceAdmin.actions, "lock", "unlock"]

    def service_save(
        self, request, obj, *, change_reason="", tags=None, base_revision=None, fields=None
    ):
        page_save(
            page=obj,
            user=request.user,
            change_reason=change_reason,
            tags=tags,
            base_revision=base_revision,
            fields=fields,
        )

    def service_publish(self, request, obj, *, publish):
        # The site's rule: refused, with every reason, while coverage is short of 100 %, a
        # citation is orphaned or names a whole document, or a cited source is unpublished.
        page_publish(page=obj, user=request.user, publish=publish)

    def save_formset(self, request, form, formset, change):
        # Every inline row is a relation: relation_save verifies its evidence and records it,
        # merged with whatever was saved of it since the form was opened.
        reason = form.cleaned_data.get("change_reason", "")
        bases = {row.instance.pk: row.cleaned_data.get("base_revision") for row in formset.forms}
        for relation in formset.save(commit=False):
            relation_save(
                relation=relation,
                user=request.user,
                change_reason=reason,
                base_revision=bases.get(relation.pk) if relation.pk else None,
                fields=formset.form._meta.fields if relation.pk else None,
            )
        for relation in formset.deleted_objects:
            relation._change_reason = reason
            relation.delete()
        formset.save_m2m()

    def delete_model(self, request, obj):
        # Through the service, so that names, links, citation uses, mentions and the search
        # index forget the page with it.
        page_delete(page=obj, user=request.user, change_reason="Deleted in the admin")

    def delete_queryset(self, request, queryset):
        for page in queryset:
            self.delete_model(request, page)

    def _locker(self, request, locked):
        # Only the lock changes, on each page as it stands when it is locked.
        return lambda page: page_lock(page=page, user=request.user, locked=locked)

    @admin.action(description="Lock selected %(verbose_name_plural)s", permissions=["curate"])
    def lock(self, request, queryset):
        unlocked = queryset.filter(is_locked=False)
        self.each_saved(request, unlocked, "Locked", self._locker(request, True))

    @admin.action(description="Unlock selected %(verbose_name_plural)s", permissions=["curate"])
    def unlock(self, request, queryset):
        locked = queryset.filter(is_locked=True)
        self.each_saved(request, locked, "Unlocked", self._locker(request, False))


@admin.register(Actor)
class ActorAdmin(EntryAdmin):
    list_display = ("title", edtf_column("born"), edtf_column("died"), *ENTRY_COLUMNS)
    list_filter = (*EntryAdmin.list_filter, decade_filter("born_earliest", "born"))
    fieldsets = entry_fieldsets(facts=Actor.claim_fields)
    readonly_fields = (*EntryAdmin.readonly_fields, *Actor.claim_fields)
    inlines = [ActorMembershipInline, ActorParticipationInline]


@admin.register(Faction)
class FactionAdmin(EntryAdmin):
    list_display = ("title", edtf_column("founded"), edtf_column("dissolved"), *ENTRY_COLUMNS)
    list_filter = (*EntryAdmin.list_filter, decade_filter("founded_earliest", "founded"))
    fieldsets = entry_fieldsets(facts=Faction.claim_fields)
    readonly_fields = (*EntryAdmin.readonly_fields, *Faction.claim_fields)
    inlines = [FactionMembershipInline, FactionRelationInline, FactionParticipationInline]


@admin.register(Event)
class EventAdmin(EntryAdmin):
    list_display = ("title", "kind", edtf_column("start"), *ENTRY_COLUMNS)
    list_filter = (*EntryAdmin.list_filter, "kind", decade_filter("start_earliest", "start"))
    fieldsets = entry_fieldsets("kind", "latitude", "longitude", facts=Event.claim_fields)
    readonly_fields = (*EntryAdmin.readonly_fields, *Event.claim_fields)
    inlines = [EventParticipationInline]


def relation_fieldsets(*own_fields):
    """A relation's change form: what it links, when, and the evidence for it."""
    return (
        (None, {"fields": (*own_fields, "start", "end", "evidence", "cited_passages")}),
        ("Rank", {"fields": ("rank", "rank_reason")}),
        (None, {"fields": ("change_reason", "base_revision")}),
        record_fieldset("created_by", "created_at", "updated_by", "updated_at"),
    )


RELATION_COLUMNS = (edtf_column("start"), edtf_column("end"), "updated_at")


class RelationAdmin(StaleEditAdminMixin, SimpleHistoryAdmin):
    """What the admins of memberships, faction relations and participations share."""

    form = RelationAdminForm
    list_filter = (decade_filter("start_earliest", "start"), "updated_at")
    readonly_fields = ("cited_passages", "created_by", "created_at", "updated_by", "updated_at")

    def get_queryset(self, request):
        return with_ends(super().get_queryset(request))

    def get_autocomplete_fields(self, request):
        return relation_ends(self.model)

    def save_model(self, request, obj, form, change):
        relation_save(
            relation=obj,
            user=request.user,
            change_reason=form.cleaned_data.get("change_reason", ""),
            base_revision=self.base_revision(form) if obj.pk else None,
            fields=form._meta.fields if obj.pk else None,
        )

    @admin.display(description="cited passages")
    def cited_passages(self, relation):
        if relation.pk is None:
            return None
        uses = relation.citation_uses.select_related("citation__source").defer(
            "citation__source__text"
        )
        links = ((use.citation.get_absolute_url(), use.citation) for use in uses)
        return format_html_join(mark_safe("<br>"), '<a href="{}">{}</a>', links) or None


@admin.register(Membership)
class MembershipAdmin(RelationAdmin):
    list_display = ("actor", "role", "faction", *RELATION_COLUMNS)
    list_filter = ("role", *RelationAdmin.list_filter)
    search_fields = ("actor__title", "actor__aliases", "faction__title", "faction__aliases")
    fieldsets = relation_fieldsets("actor", "role", "faction")


@admin.register(FactionRelation)
class FactionRelationAdmin(RelationAdmin):
    list_display = ("faction", "kind", "other", *RELATION_COLUMNS)
    list_filter = ("kind", *RelationAdmin.list_filter)
    search_fields = ("faction__title", "faction__aliases", "other__title", "other__aliases")
    fieldsets = relation_fieldsets("faction", "kind", "other")


@admin.register(Participation)
class ParticipationAdmin(RelationAdmin):
    list_display = ("event", "participant", "role", *RELATION_COLUMNS)
    list_filter = ("role", *RelationAdmin.list_filter)
    search_fields = ("event__title", "actor__title", "actor__aliases", "faction__title")
    fieldsets = relation_fieldsets("event", "actor", "faction", "role")

    @admin.display(description="participant")
    def participant(self, participation):
        return participation.participant
