"""Editing pages and relations in the browser.

Who may do what (the rules live in sources.common.permissions; these views only ask them):

- Anonymous visitors never see an edit control. An edit URL sends them to the login form
  (/accounts/login/?next=…), as Django's login_required does, with one exception: the edit
  URLs of an unpublished page are 404 for them, like the page itself, because unpublished
  things do not exist for the public. (After a POST, `next` is the page, not the POST-only URL.)
- A logged-in user outside the team gets 403 where an anonymous visitor would be asked to log
  in, and 404 for unpublished pages, which it cannot read either.
- Editors create and edit pages, and add and edit relations. A locked page is read-only for
  them: its edit URL shows the text and the lock reason without a save button, and a save is
  refused with 403; relations of a locked page are refused the same way.
- Curators also lock and unlock, publish and unpublish, and delete pages and relations; an
  editor gets 403 there.
- Lock and publish take POST only (405 otherwise); delete asks on GET and deletes on POST.
  No GET changes anything, and every POST passes Django's CSRF check.

Every save goes through page_save or relation_save; whatever they refuse comes back as a form
error next to its field, an edit conflict as the conflict page, and nothing is lost silently.
"""

from copy import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from sources.common.history.merging import revision_shown
from sources.common.history.revisions import snapshot_tags
from sources.common.history.worddiff import diff_html, text_diff
from sources.common.permissions import can_edit, for_team, guard
from wiki.forms import ENTRY_FORMS, body_with
from wiki.markup.preview import preview_body
from wiki.markup.validation import quote_suggestions
from wiki.services import EditConflict, page_save
from wiki.views import loading

MERGED = (
    "Someone else saved this page while you were editing; your changes were merged with theirs."
)
NOT_SAVED = (
    "Nothing was saved: someone else changed the same part of this page while you were "
    "editing. Your text is in the form below; bring in their changes and save again."
)
APPEND_LIMIT = 5000  # ?append= carries one selected passage, not a document


def latest_revision(entry) -> int | None:
    """The history id of the page's latest revision: one query however long its history."""
    return entry.history.values_list("history_id", flat=True).first()


def _render_form(
    request, form, model, entry=None, *, status=200, template="wiki/entry_form.html", **extra
):
    body = form["body"].value() or ""
    context = {
        "form": form,
        "entry": entry,
        "model_name": model._meta.verbose_name,
        "segment": model.url_segment,
        "cancel_url": entry.get_absolute_url()
        if entry
        else reverse("wiki:entry-list", args=[model.url_segment]),
        "suggestions": quote_suggestions(body) if "body" in form.errors else [],
        **extra,
    }
    return render(request, template, context, status=status)


def _read_only(request, entry, *, status=200, unsaved_body=None):
    """The page's text without a form; a refused save shows the editor's text too, to copy."""
    context = {
        "unsaved_body": unsaved_body,
        "entry": entry,
        "segment": entry.url_segment,
        "read_only": True,
        "model_name": entry._meta.verbose_name,
        "cancel_url": entry.get_absolute_url(),
    }
    return render(request, "wiki/entry_form.html", context, status=status)


def _conflict(request, form, entry, conflict: EditConflict):
    # The form keeps the editor's text; starting from the revision that is current now, the
    # next save applies it as it stands, so the editor decides what it keeps of theirs.
    form.data = form.data.copy()
    form.data["base_revision"] = latest_revision(entry)
    messages.error(request, NOT_SAVED)
    return _render_form(
        request,
        form,
        type(entry),
        entry,
        status=409,
        template="wiki/entry_conflict.html",
        their_body=conflict.their_body,
        our_body=conflict.our_body,
        diff=diff_html(text_diff(conflict.their_body, conflict.our_body)),
        field_conflicts=form.their_and_our_values(conflict.page, conflict.fields),
    )


def _submit(request, form, model, entry=None):
    """Preview, or save through page_save: the response for a posted page form."""
    is_valid = form.is_valid()  # a preview shows the form's errors too
    if "preview" in request.POST:
        preview = preview_body(form["body"].value() or "", request.user)
        return _render_form(request, form, model, entry, preview=preview)
    if not is_valid:
        return _render_form(request, form, model, entry)
    data = form.cleaned_data
    try:
        page = page_save(
            page=form.instance,
            body=data["body"],
            user=request.user,
            change_reason=data["change_reason"],
            base_revision=data["base_revision"],
            tags=data["tags"],
            # Only what the form carries: the flags and the rest stay as they stand.
            fields=form._meta.fields,
            claims=form.claim_edits,
        )
    except EditConflict as conflict:
        return _conflict(request, form, entry, conflict)
    except PermissionDenied as refusal:  # locked between loading the form and saving it
        messages.error(request, f"{refusal} Nothing was saved.")
        return _read_only(request, entry, status=403, unsaved_body=data["body"])
    except ValidationError as error:
        form.add_service_error(error)
        return _render_form(request, form, model, entry)
    if page.was_merged:
        messages.warning(request, MERGED)
    verb = "Saved" if entry else f"Created the {model._meta.verbose_name}"
    messages.success(request, f"{verb} “{page.title}”.")
    return redirect(page)


@guard(can_edit)
def entry_create(request, model):
    """A new actor, faction or event; ?title= fills in the title (red links land here)."""
    form_class = ENTRY_FORMS[model]
    if request.method == "POST":
        return _submit(request, form_class(request.POST), model)
    initial = {
        "title": request.GET.get("title", "").strip()[:200],
        "body": body_with("", request.GET.get("append", "")[:APPEND_LIMIT]),
    }
    return _render_form(request, form_class(initial=initial), model)


@loading.follows_renames
@guard(for_team, load=loading.entry)
def entry_edit(request, entry):
    """Edit a page; ?append=<markup> adds it as a paragraph (the source viewer's "Cite on")."""
    # A locked page still opens for editors, read only, with the lock's reason.
    if not can_edit(request.user, entry):
        if request.method != "POST":
            return _read_only(request, entry)
        messages.error(request, f"“{entry}” is locked by the curators: nothing was saved.")
        return _read_only(request, entry, status=403, unsaved_body=request.POST.get("body"))
    form_class = ENTRY_FORMS[type(entry)]
    if request.method == "POST":
        # A copy: the form writes its values into its instance, the page header keeps these.
        return _submit(request, form_class(request.POST, instance=copy(entry)), type(entry), entry)
    appended = request.GET.get("append", "")[:APPEND_LIMIT].strip()
    shown = copy(entry)
    # The form carries the revision it shows (a save may come in between loading and this).
    initial = {"base_revision": revision_shown(shown)}
    if shown.revision_refreshed:
        initial["tags"] = snapshot_tags(shown.tag_list)
    if appended:
        initial["body"] = body_with(shown.body, appended)
    form = form_class(instance=shown, initial=initial)
    if appended:
        # editor.js puts the caret where the sentence the citation supports goes: before it.
        caret = len(initial["body"]) - len(appended)
        form.fields["body"].widget.attrs.update({"autofocus": True, "data-caret": caret})
    return _render_form(request, form, type(entry), entry)
