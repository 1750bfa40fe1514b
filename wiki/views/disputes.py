"""The disputes list (the team's) and ranking a value of a disputed fact (curators)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from taggit.models import Tag

from sources.common.permissions import can_curate, for_team, guard, is_curator
from wiki.claims import disputes, values
from wiki.models import ENTRY_MODELS, Claim, Rank

RANK_HELP = (
    "Required for preferred and deprecated: readers see it beside the value, and the page's "
    "history keeps it."
)
STALE = (
    "Nothing was ranked: this value changed after you opened the list. It now reads “{value}”, "
    "{rank}; look again and rank it if you still mean to."
)


class RankForm(forms.Form):
    """A curator's ranking of one value: its rank, why, and the revision the form was drawn at."""

    rank = forms.ChoiceField(choices=Rank.choices)
    rank_reason = forms.CharField(
        label="Reason", max_length=300, required=False, strip=True, help_text=RANK_HELP
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("rank") not in (None, Rank.NORMAL) and not data.get("rank_reason"):
            self.add_error("rank_reason", f"Say why this value is {data['rank']}. {RANK_HELP}")
        return data


@guard(for_team, hidden=True)
def dispute_list(request):
    """Every fact whose sources disagree, newest change first, 50 a page; ?type=, ?field=,
    ?tag=, ?entry= and ?status=open|resolved combine."""
    filters = disputes.DisputeFilters.from_query(request.GET)
    page = disputes.dispute_page(filters, request.GET.get("page"), request.user)
    context = {
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "filters": filters,
        "types": [(model.url_segment, model._meta.verbose_name_plural) for model in ENTRY_MODELS],
        "fields": [(name, label) for name, (label, _kind) in values.FIELDS.items()],
        "statuses": disputes.STATUSES,
        "tag": Tag.objects.filter(slug=filters.tag).first() if filters.tag else None,
        "can_rank": is_curator(request.user),
        "ranks": Rank.choices,
        "rank_help": RANK_HELP,
    }
    return render(request, "wiki/disputes.html", context)


def _return_url(request) -> str:
    """Back to the list as it was (?next=, a local URL), else the disputes list."""
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wiki:disputes")


@require_POST
@guard(can_curate)
def claim_rank(request, pk):
    """Rank one value preferred, normal or deprecated (POST rank, rank_reason, base_revision)."""
    claim = get_object_or_404(Claim, pk=pk)
    form = RankForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        claim = disputes.claim_rank(claim=claim, user=request.user, **form.cleaned_data)
    except disputes.StaleRanking:
        now = Claim.objects.filter(pk=pk).first()
        if now is None:
            messages.error(request, "Nothing was ranked: this value was deleted meanwhile.")
        else:
            messages.error(
                request, STALE.format(value=now.value, rank=now.get_rank_display().lower())
            )
    except ValidationError as refusal:
        messages.error(request, f"Nothing was ranked: {' '.join(refusal.messages)}")
    else:
        reason = f": {claim.rank_reason}" if claim.rank_reason else ""
        rank = claim.get_rank_display().lower()
        messages.success(request, f"{claim.label} “{claim.value}” is {rank}{reason}.")
    return redirect(_return_url(request))
