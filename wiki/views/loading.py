"""The page a URL names, fetched from what the reader may see: a hidden page is a 404.

Loaders for `sources.common.permissions.guard(load=…)`: each takes the URL arguments it names.
"""

from django.shortcuts import get_object_or_404


def entry(request, model, slug):
    """The page with everything its own page shows (relations, tags, who changed it)."""
    return get_object_or_404(model.objects.visible_to(request.user).for_detail(), slug=slug)


def entry_record(request, model, slug):
    """The page without its body: enough for its history list and revisions."""
    return get_object_or_404(model.objects.visible_to(request.user).defer("body"), slug=slug)
