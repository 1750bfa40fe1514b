"""The admin of claims, for curators: rank values with a reason, correct or remove one.

New values are added from a page's edit form, where they have their page; here each change goes
through claim_save, so the admin checks values and evidence, re-derives the page's facts and
records history exactly as the site does.
"""

from django.contrib import admin
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from sources.admin import ChangeReasonForm, StaleEditAdminMixin, record_fieldset
from sources.citations.syntax import parse_evidence
from wiki.claims import values
from wiki.markup.validation import citation_errors
from wiki.models import Claim, Rank
from wiki.services import claim_save


class ClaimAdminForm(ChangeReasonForm):
    class Meta:
        model = Claim
        fields = ("value", "evidence", "rank", "rank_reason")

    def clean(self):
        # Checked as claim_save will check it, so that a refusal is a form error, not a failure.
        cleaned_data = super().clean()
        field = self.instance.field
        if "value" in cleaned_data:
            try:
                cleaned_data["value"] = values.clean(field, cleaned_data["value"])
            except values.InvalidValue as error:
                self.add_error("value", str(error))
        if cleaned_data.get("evidence"):
            errors = citation_errors(cleaned_data["evidence"], parse=parse_evidence)
            if errors:
                self.add_error("evidence", errors)
        rank = cleaned_data.get("rank")
        if rank and rank != Rank.NORMAL and not (cleaned_data.get("rank_reason") or "").strip():
            self.add_error("rank_reason", f"Say why this value is {rank}: readers see it.")
        return cleaned_data


@admin.register(Claim)
class ClaimAdmin(StaleEditAdminMixin, SimpleHistoryAdmin):
    form = ClaimAdminForm
    list_display = ("__str__", "page", "rank", "updated_at", "updated_by")
    list_filter = ("field", "rank", "updated_at")
    list_select_related = ("updated_by", "content_type")
    search_fields = ("value", "evidence", "rank_reason")
    readonly_fields = ("page", "field", "created_by", "created_at", "updated_by", "updated_at")
    fieldsets = (
        (None, {"fields": ("page", "field", "value", "evidence", "rank", "rank_reason")}),
        (None, {"fields": ("change_reason", "base_revision")}),
        record_fieldset("created_by", "created_at", "updated_by", "updated_at"),
    )

    def has_add_permission(self, request):
        return False  # a value is added on its page's edit form, beside the page it belongs to

    @admin.display(description="page")
    def page(self, claim):
        subject = claim.subject
        if subject is None:
            return "—"
        return format_html('<a href="{}">{}</a>', subject.get_absolute_url(), subject)

    def save_model(self, request, obj, form, change):
        claim_save(
            claim=obj,
            user=request.user,
            change_reason=form.cleaned_data.get("change_reason", ""),
            base_revision=self.base_revision(form),
        )

    def delete_model(self, request, obj):
        claim_save(claim=obj, user=request.user, change_reason="Removed in the admin", delete=True)

    def delete_queryset(self, request, queryset):
        for claim in queryset:
            self.delete_model(request, claim)
