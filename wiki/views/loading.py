"""The page a URL names, fetched from what the reader may see: a hidden page is a 404.

Loaders for `sources.common.permissions.guard(load=…)`: each takes the URL arguments it names.

A renamed page keeps its old addresses: the history holds every slug a page ever had, so a
bookmark, a link or an edit form opened before the rename still finds it. A GET through an old
slug is sent on to the page's address (302, the same view and query string, through
follows_renames); a POST is processed on the page as it stands, so that a save made from a form
opened before the rename is neither lost nor redirected.
"""

from functools import wraps

from django.http import Http404, HttpResponseRedirect
from django.urls import reverse

SAFE_METHODS = ("GET", "HEAD")


class PageMoved(Exception):
    """A GET named a page by a slug it had before: answer with its address instead."""

    def __init__(self, entry):
        super().__init__(f"“{entry}” is now at {entry.slug}")
        self.entry = entry

    def url(self, request) -> str:
        """The URL asked for, with the page's slug of today."""
        match = request.resolver_match
        kwargs = {**match.kwargs, "slug": self.entry.slug}
        path = reverse(match.view_name, args=match.args, kwargs=kwargs)
        query = request.META.get("QUERY_STRING", "")
        return f"{path}?{query}" if query else path


def follows_renames(view):
    """View decorator: a page named by an old slug (PageMoved) is a redirect to its address."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PageMoved as moved:
            return HttpResponseRedirect(moved.url(request))

    return wrapper


def _found(request, queryset, model, slug):
    """The page with this slug; else the one that had it last (PageMoved for a GET)."""
    entry = queryset.filter(slug=slug).first()
    if entry is not None:
        return entry
    holders = model.history.filter(slug=slug).order_by("-history_id")
    pk = holders.values_list("id", flat=True).first()
    entry = queryset.filter(pk=pk).first() if pk is not None else None
    if entry is None:
        raise Http404(f"No {model._meta.verbose_name} at “{slug}”.")
    if request.method in SAFE_METHODS:
        raise PageMoved(entry)
    return entry


def entry(request, model, slug):
    """The page with everything its own page shows (relations, tags, who changed it)."""
    return _found(request, model.objects.visible_to(request.user).for_detail(), model, slug)


def entry_record(request, model, slug):
    """The page without its body: enough for its history list and revisions."""
    return _found(request, model.objects.visible_to(request.user).defer("body"), model, slug)
