"""Read pages for sources: the list, the source viewer and its citation export."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from sources import selectors
from sources.citations import export, grading
from sources.citations.forms import CredibilityForm
from sources.common.permissions import can_curate, can_edit, for_team, guard, is_team
from sources.common.public_cache import cache_public_page
from sources.models import Source

PER_PAGE = 50


def source_list(request):
    """Sources the reader may see, filtered by ?tag=, ?kind= and ?reliability= (A-F, one or
    more), sorted by ?sort=, 50 a page."""
    tag = request.GET.get("tag", "")
    kind = request.GET.get("kind", "")
    sort = request.GET.get("sort", "title")
    reliability = grading.reliability_codes(request.GET.getlist("reliability"))
    sources = selectors.source_list(
        request.user, tag=tag, kind=kind, sort=sort, reliability=reliability
    )
    page = Paginator(sources, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "rows": selectors.source_rows(page.object_list),
        "sort": sort if sort in selectors.SOURCE_SORTS else "title",
        "kind": kind,
        "kinds": Source.Kind.choices,
        "reliability": reliability,
        "reliabilities": list(grading.RELIABILITY.items()),
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
    reading = selectors.source_reading(source, request.user)
    context = {
        "source": source,
        "reading": reading,
        "safe_url": selectors.source_safe_url(source),
        "published_display": selectors.date_display(source.published),
        "is_team": is_team(request.user),
        "can_publish": can_curate(request.user, source),
        "grading": _grading_forms(request.user, reading.citations),
    }
    return render(request, "sources/source_detail.html", context)


def _grading_forms(user, citations) -> list[tuple]:
    """For the team, each passage with its credibility form (none for anyone else)."""
    if not can_edit(user):
        return []
    revisions = selectors.passage_revisions(citations)
    return [
        (citation, CredibilityForm(citation=citation, base_revision=revisions.get(citation.pk)))
        for citation in citations
    ]


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


@guard(for_team, hidden=True)
def source_original(request, key):
    """The file a source was imported from, for the team only, always as a download.

    An uploaded file is whatever its uploader sent: it is never shown inline, its type is not
    guessed by the browser, and were it opened anyway it would run in a sandbox with nothing
    allowed.
    """
    source = get_object_or_404(Source.objects.only("key", "original"), key=key)
    if not source.original:
        raise Http404("This source has no original file.")
    try:
        file = source.original.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The original file is missing from the storage.") from missing
    name = source.original.name.rsplit("/", 1)[-1]
    response = FileResponse(file, as_attachment=True, filename=name)
    response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
