"""Relations in the browser: memberships, faction relations and participations, added and
edited from the pages they join, deleted by curators."""

from copy import copy
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from sources.common.history.merging import ConflictingEdit
from sources.common.permissions import can_curate, can_edit, guard
from wiki import services
from wiki.forms import RELATION_FORMS, DeleteForm


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


def _relation_form_page(request, form, *, relation=None, status=200):
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
            if relation and can_curate(request.user)
            else ""
        ),
    }
    return render(request, "wiki/relation_form.html", context, status=status)


MERGED = (
    "Someone else saved this relation while you were editing; your changes were merged with theirs."
)


def _relation_submit(request, form, *, relation=None):
    """Save a valid relation form through relation_save, or show it again with its errors.

    An edit that crossed another save is merged with it, or shown again (409) with what the
    other save changed and the editor's own values, ready to save over theirs.
    """
    if form.is_valid():
        try:
            saved = services.relation_save(
                relation=form.instance,
                user=request.user,
                change_reason=form.cleaned_data["change_reason"],
                base_revision=form.cleaned_data["base_revision"] if relation else None,
                fields=form._meta.fields,
            )
        except ConflictingEdit as conflict:
            form.conflict_shown(conflict)
            return _relation_form_page(request, form, relation=relation, status=409)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied as refusal:  # a page it joins was locked meanwhile
            form.add_error(None, f"{refusal} Nothing was saved.")
        else:
            if saved.was_merged:
                messages.warning(request, MERGED)
            messages.success(request, f"Saved the {saved._meta.verbose_name} “{saved}”.")
            return redirect(_return_url(request, ends=_ends(type(form), saved)))
    return _relation_form_page(request, form, relation=relation)


@guard(can_edit)
def relation_create(request, kind):
    """Add a membership, faction relation or participation; ?actor=<slug> etc. fill in an end."""
    form_class = _relation_form_class(kind)
    if request.method == "POST":
        return _relation_submit(request, form_class(request.POST, can_rank=_ranks(request)))
    form = form_class(initial=form_class.prefill(request.GET), can_rank=_ranks(request))
    return _relation_form_page(request, form)


def _ranks(request) -> bool:
    """Whether the form offers the relation's rank: curators rank, editors do not."""
    return can_curate(request.user)


def _refuse_if_locked_ends(user, relation, form_class):
    for end in _ends(form_class, relation):
        if end is not None and not can_edit(user, end):
            raise PermissionDenied(f"“{end}” is locked by the curators.")


@guard(can_edit)
def relation_edit(request, kind, pk):
    """Change a relation's ends, role, dates or evidence; relations of locked pages are 403."""
    form_class = _relation_form_class(kind)
    relation = _relation(form_class, pk)
    _refuse_if_locked_ends(request.user, relation, form_class)
    if request.method == "POST":
        form = form_class(request.POST, instance=copy(relation), can_rank=_ranks(request))
        return _relation_submit(request, form, relation=relation)
    form = form_class(instance=copy(relation), can_rank=_ranks(request))
    return _relation_form_page(request, form, relation=relation)


@guard(can_curate)
def relation_delete(request, kind, pk):
    """Ask, then delete a relation (POST, curators); history keeps the deleted record."""
    form_class = _relation_form_class(kind)
    relation = _relation(form_class, pk)
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        back = _return_url(request, ends=_ends(form_class, relation))
        services.relation_delete(
            relation=relation, user=request.user, change_reason=form.cleaned_data["change_reason"]
        )
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
