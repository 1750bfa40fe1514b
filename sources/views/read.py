"""Read pages for sources: the list, the source viewer and its citation export."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from sources import selectors
from sources.citations import export
from sources.common.permissions import can_curate, is_team
from sources.common.public_cache import cache_public_page
from sources.models import Source

PER_PAGE = 50


def source_list(request):
    """Sources the reader may see, filtered by ?tag= and ?kind=, sorted by ?sort=, 50 a page."""
    tag = request.GET.get("tag", "")
    kind = request.GET.get("kind", "")
    sort = request.GET.get("sort", "title")
    sources = selectors.source_list(request.user, tag=tag, kind=kind, sort=sort)
    page = Paginator(sources, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "rows": selectors.source_rows(page.object_list),
        "sort": sort if sort in selectors.SOURCE_SORTS else "title",
        "kind": kind,
        "kinds": Source.Kind.choices,
        # Named only when a row here carries it: a tag used by drafts alone stays unnamed.
        "tag": Tag.objects.filter(slug=tag).first() if tag and page.object_list else None,
        "tag_slug": tag,
    }
    return render(request, "sources/source_list.html", context)


@cache_public_page
def source_detail(request, key):
    """The source viewer: metadata, the text with cited passages marked, and what cites it."""
    source = get_object_or_404(
        Source.objects.visible_to(request.user).for_detail().select_related("updated_by"), key=key
    )
    context = {
        "source": source,
        "reading": selectors.source_reading(source, request.user),
        "safe_url": selectors.source_safe_url(source),
        "published_display": selectors.date_display(source.published),
        "is_team": is_team(request.user),
        "can_publish": can_curate(request.user, source),
    }
    return render(request, "sources/source_detail.html", context)


def source_cite(request, key, fmt):
    """The source's citation as a file for reference managers; `fmt` is bib, ris or json."""
    citation_format = export.FORMATS[fmt]
    # The export needs neither the (long) text nor the team's notes.
    source = get_object_or_404(
        Source.objects.visible_to(request.user).defer("text", "notes"), key=key
    )
    response = HttpResponse(
        citation_format.render(source), content_type=citation_format.content_type
    )
    response["Content-Disposition"] = f'inline; filename="{source.key}.{citation_format.extension}"'
    return response
