"""What curators do to a page from its own page: lock, publish, delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sources.common.permissions import can_curate, guard
from wiki.forms import DeleteForm, LockForm
from wiki.markup.rendering import what_links_here
from wiki.services import page_delete, page_lock, page_publish
from wiki.views import loading


@loading.follows_renames
@require_POST
@guard(can_curate, load=loading.entry)
def entry_lock(request, entry):
    """Lock a page with a reason (editors then read it only) or unlock it; POST only.

    Only the lock changes, on the page as it stands when the lock is taken: an edit saved
    since this request loaded the page stays.
    """
    form = LockForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(entry)
    try:
        entry = page_lock(
            page=entry,
            user=request.user,
            locked=form.locking,
            reason=form.cleaned_data["lock_reason"] if form.locking else "",
            change_reason=form.change_reason,
        )
    except ValidationError as refusal:
        messages.error(
            request, f"Not {form.cleaned_data['action']}ed: {' '.join(refusal.messages)}"
        )
    else:
        messages.success(request, f"{'Locked' if form.locking else 'Unlocked'} “{entry}”.")
    return redirect(entry)


@loading.follows_renames
@require_POST
@guard(can_curate, load=loading.entry)
def entry_publish(request, entry):
    """Publish a page (refused, with the reasons, while anything blocks it) or unpublish it."""
    publish = request.POST.get("action", "publish") != "unpublish"
    try:
        entry = page_publish(page=entry, user=request.user, publish=publish)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{'Published' if publish else 'Unpublished'} “{entry}”.")
    return redirect(entry)


def _relation_counts(entry) -> list[tuple[int, str]]:
    """How many relations of each kind go with a page when it is deleted."""
    counts = []
    for relation in entry._meta.related_objects:
        count = getattr(entry, relation.get_accessor_name()).count()
        if count:
            meta = relation.related_model._meta
            counts.append((count, meta.verbose_name if count == 1 else meta.verbose_name_plural))
    return counts


@loading.follows_renames
@guard(can_curate, load=loading.entry)
def entry_delete(request, entry):
    """Ask, then delete a page with its relations (POST); history keeps the deleted record."""
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        page_delete(page=entry, user=request.user, change_reason=form.cleaned_data["change_reason"])
        messages.success(request, f"Deleted “{entry}”. Its history keeps a record of it.")
        return redirect("wiki:entry-list", entry.url_segment)
    context = {
        "form": form,
        "object": entry,
        "kind": entry._meta.verbose_name,
        "cancel_url": entry.get_absolute_url(),
        "relation_counts": _relation_counts(entry),
        "links_here": what_links_here(entry, request.user),
    }
    return render(request, "wiki/confirm_delete.html", context)
