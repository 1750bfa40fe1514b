"""History of pages: revisions, diffs, revert; recent changes and contributions.

All of it is for the team: history names editors and shows unpublished work, so the public gets
404, as for any unpublished thing (revert sends a logged-out visitor to the login page).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sources.common.history.revert import RevertForm, revert_reason, revert_refusal
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
)
from sources.common.permissions import can_change_page, can_read_drafts
from wiki.revisions import FEED_KINDS, entry_fields, feed_page, page_revert, revision_body
from wiki.selectors import entry_facts, entry_model


def _entry(segment, slug):
    model = entry_model(segment)
    return get_object_or_404(model.objects.defer("body"), slug=slug)


@team_only
def entry_history(request, segment, slug):
    """A page's revisions, 50 a page; with ?diff=<old>..<new>, what changed between two."""
    entry = _entry(segment, slug)
    if response := compare_redirect(request):
        return response
    history_url = reverse("wiki:entry-history", args=[segment, slug])

    def revision_url(rev):
        return reverse("wiki:entry-revision", args=[segment, slug, rev])

    context = {"entry": entry, "segment": segment, "history_url": history_url}
    fields = entry_fields(type(entry))
    if "diff" in request.GET:
        old, new = revision_pair(entry.history.all(), *parse_diff(request.GET["diff"]))
        context["diff"] = revision_diff(
            old, new, text_field="body", fields=fields, revision_url=revision_url
        )
    else:
        page = revision_page(
            entry.history.all(),
            request.GET.get("page"),
            text_field="body",
            fields=fields,
            history_url=history_url,
            revision_url=revision_url,
        )
        context |= {"page_obj": page, "page_range": _page_range(page)}
    return render(request, "wiki/entry_history.html", context)


@team_only
def entry_revision(request, segment, slug, rev):
    """A page as it was at one revision: its fields, tags and body, rendered."""
    entry = _entry(segment, slug)
    record = revision_get(entry.history.all(), rev)
    old = record.instance
    neighbours = revision_neighbours(entry.history.all(), record)
    context = {
        "entry": entry,
        "segment": segment,
        "record": record,
        "old": old,
        "facts": entry_facts(old),
        "tags": tag_names(record.tag_list),
        "body": revision_body(record),
        "neighbours": neighbours,
        "history_url": reverse("wiki:entry-history", args=[segment, slug]),
        "is_latest": neighbours.latest == record.history_id,
        "can_revert": can_change_page(request.user, entry),
        "form": RevertForm(
            initial={"change_reason": revert_reason(record), "base_revision": neighbours.latest}
        ),
    }
    return render(request, "wiki/entry_revision.html", context)


@require_POST
def entry_revert(request, segment, slug, rev):
    """Save an old revision again as the newest one (POST; editors on unlocked pages)."""
    revision_url = reverse("wiki:entry-revision", args=[segment, slug, rev])
    if not request.user.is_authenticated:
        return redirect_to_login(revision_url)
    if not can_read_drafts(request.user):
        raise Http404("No such page.")
    entry = get_object_or_404(entry_model(segment), slug=slug)
    record = revision_get(entry.history.all(), rev)
    if not can_change_page(request.user, entry):
        raise PermissionDenied(f"“{entry}” is locked by the curators.")
    form = RevertForm(request.POST)
    if error := revert_refusal(form, entry.history.all()):
        messages.error(request, error)
        return redirect(revision_url)
    try:
        page_revert(
            page=entry,
            revision=record,
            user=request.user,
            change_reason=form.cleaned_data["change_reason"],
        )
    except (ValidationError, PermissionDenied) as error:  # a lock set meanwhile
        messages.error(request, f"Nothing was reverted. {_message(error)}")
        return redirect(revision_url)
    messages.success(request, f"“{entry}” now reads as it did in that revision.")
    return redirect(entry)


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _page_range(page):
    return page.paginator.get_elided_page_range(page.number, on_each_side=2)


def _feed_context(request, *, user_id=None):
    kind = request.GET.get("type", "")
    kind = kind if kind in FEED_KINDS else ""
    page = feed_page(number=request.GET.get("page"), kind=kind, user_id=user_id)
    return {
        "page_obj": page,
        "page_range": _page_range(page),
        "kind": kind,
        "kinds": list(FEED_KINDS),
    }


@team_only
def recent_changes(request):
    """Every revision of pages, sources and relations, newest first; ?type= and ?user= filter."""
    username = request.GET.get("user", "").strip()
    user_id = None
    if username:
        person = get_user_model().objects.filter(username=username).only("pk").first()
        user_id = person.pk if person else 0  # nobody: an empty list, not every change
    context = _feed_context(request, user_id=user_id) | {"username": username}
    return render(request, "wiki/changes.html", context)


@team_only
def user_contributions(request, username):
    """Everything one person changed, newest first; 404 for an unknown username."""
    person = get_object_or_404(get_user_model(), username=username)
    context = _feed_context(request, user_id=person.pk) | {"person": person}
    return render(request, "wiki/user_contributions.html", context)
