"""History of sources: revisions, diffs, revert. Team only, like the wiki's history."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sources.common.history.revert import RevertForm, restore_fields, revert_reason, revert_refusal
from sources.common.history.revisions import (
    compare_redirect,
    parse_diff,
    revision_diff,
    revision_get,
    revision_neighbours,
    revision_page,
    revision_pair,
    tag_names,
    team_only,
    tracked_fields,
)
from sources.common.permissions import can_edit
from sources.models import Source
from sources.selectors import date_display
from sources.services import source_save

# What a revert leaves alone: the key citations use, publishing (a curator's act), and the
# uploaded file, which history does not keep.
REVERT_KEEPS = {"key", "is_public", "original"}


def _fields():
    return tracked_fields(Source, exclude={"text", "tag_list"})


def _source(key):
    return get_object_or_404(Source.objects.defer("text", "notes"), key=key)


@team_only
def source_history(request, key):
    """A source's revisions, 50 a page; with ?diff=<old>..<new>, what changed between two."""
    source = _source(key)
    if response := compare_redirect(request):
        return response
    history_url = reverse("sources:source-history", args=[key])

    def revision_url(rev):
        return reverse("sources:source-revision", args=[key, rev])

    context = {"source": source, "history_url": history_url}
    if "diff" in request.GET:
        old, new = revision_pair(source.history.all(), *parse_diff(request.GET["diff"]))
        context["diff"] = revision_diff(
            old, new, text_field="text", fields=_fields(), revision_url=revision_url
        )
    else:
        page = revision_page(
            source.history.all(),
            request.GET.get("page"),
            text_field="text",
            fields=_fields(),
            history_url=history_url,
            revision_url=revision_url,
        )
        context |= {
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        }
    return render(request, "sources/source_history.html", context)


@team_only
def source_revision(request, key, rev):
    """A source as it was at one revision: its metadata, tags and text."""
    source = _source(key)
    record = revision_get(source.history.all(), rev)
    neighbours = revision_neighbours(source.history.all(), record)
    context = {
        "source": source,
        "record": record,
        "old": record.instance,
        "published_display": date_display(record.published),
        "tags": tag_names(record.tag_list),
        "neighbours": neighbours,
        "history_url": reverse("sources:source-history", args=[key]),
        "is_latest": neighbours.latest == record.history_id,
        "can_revert": can_edit(request.user),
        "form": RevertForm(
            initial={"change_reason": revert_reason(record), "base_revision": neighbours.latest}
        ),
    }
    return render(request, "sources/source_revision.html", context)


@require_POST
def source_revert(request, key, rev):
    """Save an old revision of a source again as the newest one; its citations re-anchor."""
    revision_url = reverse("sources:source-revision", args=[key, rev])
    if not request.user.is_authenticated:
        return redirect_to_login(revision_url)
    if not can_edit(request.user):
        raise Http404("No such source.")
    source = get_object_or_404(Source, key=key)
    record = revision_get(source.history.all(), rev)
    form = RevertForm(request.POST)
    if error := revert_refusal(form, source.history.all()):
        messages.error(request, error)
        return redirect(revision_url)
    restore_fields(source, record, [f for f in _fields() if f.name not in REVERT_KEEPS])
    source.text = record.text
    try:
        source_save(
            source=source,
            user=request.user,
            change_reason=form.cleaned_data["change_reason"] or revert_reason(record),
            tags=tag_names(record.tag_list),
        )
    except ValidationError as error:
        messages.error(request, f"Nothing was reverted. {' '.join(error.messages)}")
        return redirect(revision_url)
    messages.success(request, f"“{source}” now reads as it did in that revision.")
    return redirect(source)
