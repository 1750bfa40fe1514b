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
from dataclasses import dataclass, field
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from sources.common.history.worddiff import diff_html, text_diff
from sources.common.permissions import can_change_page, can_edit, can_publish, is_curator
from wiki import selectors
from wiki.forms import ENTRY_FORMS, RELATION_FORMS, DeleteForm, LockForm, body_with
from wiki.markup.preview import preview_body
from wiki.markup.rendering import what_links_here
from wiki.markup.validation import quote_suggestions
from wiki.models import Actor, Event, Faction
from wiki.services import EditConflict, page_delete, page_publish, page_save, relation_save

MERGED = (
    "Someone else saved this page while you were editing; your changes were merged with theirs."
)
NOT_SAVED = (
    "Nothing was saved: someone else changed the same part of this page while you were "
    "editing. Your text is in the form below; bring in their changes and save again."
)
APPEND_LIMIT = 5000  # ?append= carries one selected passage, not a document


# ---------------------------------------------------------------------------------------------
# Who may


def team_only(permission):
    """Anonymous visitors log in first; a user without `permission` gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not permission(request.user):
                raise PermissionDenied("Your account may not do this.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def entry_view(permission):
    """A view of one page: 404 unless the user may read it, then as team_only; gets the entry."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, segment, slug):
            model = selectors.entry_model(segment)
            entries = model.objects.visible_to(request.user).for_detail()
            entry = get_object_or_404(entries, slug=slug)
            if not request.user.is_authenticated:
                # After logging in, a POST-only URL would answer 405: come back to the page.
                after = request.get_full_path() if request.method == "GET" else None
                return redirect_to_login(after or entry.get_absolute_url())
            if not permission(request.user):
                raise PermissionDenied("Your account may not do this.")
            return view(request, entry)

        return wrapper

    return decorator


# ---------------------------------------------------------------------------------------------
# The controls on an entry's page


@dataclass(frozen=True)
class EntryControls:
    """What includes/entry_actions.html offers one user on one page (all URLs prepared)."""

    entry: object
    can_change: bool  # False while the page is locked and the user is no curator
    is_curator: bool
    edit_url: str
    history_url: str
    lock_url: str
    publish_url: str
    delete_url: str
    add_links: list[tuple[str, str]] = field(default_factory=list)


# Which relations one adds from each kind of page: (label, relation kind, field it fills).
ADD_RELATIONS = {
    Actor: [("Add membership", "membership", "actor"), ("Add event", "participation", "actor")],
    Faction: [
        ("Add member", "membership", "faction"),
        ("Add relation to another faction", "factionrelation", "faction"),
        ("Add event", "participation", "faction"),
    ],
    Event: [("Add participant", "participation", "event")],
}


def entry_controls(user, entry) -> EntryControls | None:
    """The edit controls of an entry's page for this user; None outside the team. No query."""
    if not can_edit(user):
        return None
    args = [entry.url_segment, entry.slug]
    here = entry.get_absolute_url()
    add_links = [
        (
            label,
            f"{reverse('wiki:relation-create', args=[kind])}?"
            + urlencode({end: entry.slug, "next": here}),
        )
        for label, kind, end in ADD_RELATIONS[type(entry)]
    ]
    return EntryControls(
        entry=entry,
        can_change=can_change_page(user, entry),
        is_curator=is_curator(user),
        edit_url=reverse("wiki:entry-edit", args=args),
        history_url=reverse("wiki:entry-history", args=args),
        lock_url=reverse("wiki:entry-lock", args=args),
        publish_url=reverse("wiki:entry-publish", args=args),
        delete_url=reverse("wiki:entry-delete", args=args),
        add_links=add_links if can_change_page(user, entry) else [],
    )


# ---------------------------------------------------------------------------------------------
# Pages: create and edit


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


@team_only(can_edit)
def entry_create(request, segment):
    """A new actor, faction or event; ?title= fills in the title (red links land here)."""
    model = selectors.entry_model(segment)
    form_class = ENTRY_FORMS[model]
    if request.method == "POST":
        return _submit(request, form_class(request.POST), model)
    initial = {
        "title": request.GET.get("title", "").strip()[:200],
        "body": body_with("", request.GET.get("append", "")[:APPEND_LIMIT]),
    }
    return _render_form(request, form_class(initial=initial), model)


@entry_view(can_edit)
def entry_edit(request, entry):
    """Edit a page; ?append=<markup> adds it as a paragraph (the source viewer's "Cite on")."""
    if not can_change_page(request.user, entry):
        if request.method != "POST":
            return _read_only(request, entry)
        messages.error(request, f"“{entry}” is locked by the curators: nothing was saved.")
        return _read_only(request, entry, status=403, unsaved_body=request.POST.get("body"))
    form_class = ENTRY_FORMS[type(entry)]
    if request.method == "POST":
        # A copy: the form writes its values into its instance, the page header keeps these.
        return _submit(request, form_class(request.POST, instance=copy(entry)), type(entry), entry)
    appended = request.GET.get("append", "")[:APPEND_LIMIT].strip()
    initial = {"base_revision": latest_revision(entry)}
    if appended:
        initial["body"] = body_with(entry.body, appended)
    form = form_class(instance=copy(entry), initial=initial)
    if appended:
        # editor.js puts the caret where the sentence the citation supports goes: before it.
        caret = len(initial["body"]) - len(appended)
        form.fields["body"].widget.attrs.update({"autofocus": True, "data-caret": caret})
    return _render_form(request, form, type(entry), entry)


# ---------------------------------------------------------------------------------------------
# Pages: lock, publish, delete (curators)


@require_POST
@entry_view(is_curator)
def entry_lock(request, entry):
    """Lock a page with a reason (editors then read it only) or unlock it; POST only."""
    form = LockForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(entry)
    entry.is_locked = form.locking
    entry.lock_reason = form.cleaned_data["lock_reason"] if form.locking else ""
    try:
        page_save(page=entry, user=request.user, change_reason=form.change_reason)
    except ValidationError as refusal:
        messages.error(
            request, f"Not {form.cleaned_data['action']}ed: {' '.join(refusal.messages)}"
        )
    else:
        messages.success(request, f"{'Locked' if form.locking else 'Unlocked'} “{entry}”.")
    return redirect(entry)


@require_POST
@entry_view(can_publish)
def entry_publish(request, entry):
    """Publish a page (refused, with the reasons, while anything blocks it) or unpublish it."""
    publish = request.POST.get("action", "publish") != "unpublish"
    try:
        page_publish(page=entry, user=request.user, publish=publish)
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


@entry_view(is_curator)
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


# ---------------------------------------------------------------------------------------------
# Relations


def _relation_form_class(kind):
    try:
        return RELATION_FORMS[kind]
    except KeyError:
        raise Http404("No such kind of relation.") from None


def _relation(form_class, pk):
    model = form_class._meta.model
    return get_object_or_404(model.objects.select_related(*form_class.ends), pk=pk)


def _return_url(request, *, ends=()) -> str:
    """Back where the editor came from (?next=), else the page of the relation's first end."""
    url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    for end in ends:
        if end is not None:
            return end.get_absolute_url()
    return reverse("wiki:home")


def _ends(form_class, relation) -> list:
    return [getattr(relation, name) for name in form_class.ends]


def _relation_form_page(request, form, *, relation=None):
    kind = form._meta.model._meta.model_name
    ends = _ends(type(form), relation) if relation else [form.initial.get(n) for n in form.ends]
    context = {
        "form": form,
        "relation": relation,
        "kind_name": form._meta.model._meta.verbose_name,
        "datalists": form.datalists(),
        "cancel_url": _return_url(request, ends=ends),
        "delete_url": (
            f"{reverse('wiki:relation-delete', args=[kind, relation.pk])}?"
            + urlencode({"next": _return_url(request, ends=ends)})
            if relation and is_curator(request.user)
            else ""
        ),
    }
    return render(request, "wiki/relation_form.html", context)


def _relation_submit(request, form, *, relation=None):
    """Save a valid relation form through relation_save, or show it again with its errors."""
    if form.is_valid():
        try:
            saved = relation_save(
                relation=form.instance,
                user=request.user,
                change_reason=form.cleaned_data["change_reason"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Saved the {saved._meta.verbose_name} “{saved}”.")
            return redirect(_return_url(request, ends=_ends(type(form), saved)))
    return _relation_form_page(request, form, relation=relation)


@team_only(can_edit)
def relation_create(request, kind):
    """Add a membership, faction relation or participation; ?actor=<slug> etc. fill in an end."""
    form_class = _relation_form_class(kind)
    if request.method == "POST":
        return _relation_submit(request, form_class(request.POST, user=request.user))
    form = form_class(initial=form_class.prefill(request.GET), user=request.user)
    return _relation_form_page(request, form)


def _refuse_if_locked_ends(user, relation, form_class):
    for end in _ends(form_class, relation):
        if end is not None and not can_change_page(user, end):
            raise PermissionDenied(f"“{end}” is locked by the curators.")


@team_only(can_edit)
def relation_edit(request, kind, pk):
    """Change a relation's ends, role, dates or evidence; relations of locked pages are 403."""
    form_class = _relation_form_class(kind)
    relation = _relation(form_class, pk)
    _refuse_if_locked_ends(request.user, relation, form_class)
    if request.method == "POST":
        form = form_class(request.POST, instance=copy(relation), user=request.user)
        return _relation_submit(request, form, relation=relation)
    form = form_class(instance=copy(relation), user=request.user)
    return _relation_form_page(request, form, relation=relation)


@team_only(is_curator)
def relation_delete(request, kind, pk):
    """Ask, then delete a relation (POST, curators); history keeps the deleted record."""
    form_class = _relation_form_class(kind)
    relation = _relation(form_class, pk)
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        back = _return_url(request, ends=_ends(form_class, relation))
        relation._change_reason = form.cleaned_data["change_reason"]
        relation.delete()
        messages.success(request, f"Deleted the {relation._meta.verbose_name} “{relation}”.")
        return redirect(back)
    context = {
        "form": form,
        "object": relation,
        "kind": relation._meta.verbose_name,
        "cancel_url": _return_url(request, ends=_ends(form_class, relation)),
        "next": request.GET.get("next", ""),
    }
    return render(request, "wiki/confirm_delete.html", context)
