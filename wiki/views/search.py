"""The search page (one box over pages and sources, straight to a page named exactly) and the
suggestions the box offers as one types (JSON for static/js/suggest.js)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from sources.citations.grading import RELIABILITY, reliability_codes
from wiki.models import SearchDocument
from wiki.search import query as searching
from wiki.search.suggestions import name_suggestions


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _goes_straight(request) -> bool:
    # Only a fresh query goes to a page: a facet, a page number or ?go=0 asks for the results.
    return request.GET.get("go") != "0" and not {"kind", "tag", "page", "reliability"} & set(
        request.GET
    )


def _redirect_to_page(request, query: str, url: str):
    results = reverse("wiki:search") + "?" + urlencode({"q": query, "go": "0"})
    messages.info(
        request,
        format_html(
            'Search for “{}” in all pages and sources: <a href="{}">results</a>.', query, results
        ),
    )
    return redirect(url)


def search(request):
    """Results for ?q= (with ?kind=, ?tag=, ?page=, and ?reliability= (A-F) for the sources);
    the syntax when there is no query."""
    query = request.GET.get("q", "").strip()
    if query and _goes_straight(request):
        url = searching.go_target(query, user=request.user)
        if url:
            return _redirect_to_page(request, query, url)
    kind = request.GET.get("kind") if request.GET.get("kind") in SearchDocument.Kind else None
    found = searching.search(
        query,
        user=request.user,
        kind=kind,
        tag=request.GET.get("tag") or None,
        page=_page_number(request.GET.get("page")),
        reliability=reliability_codes(request.GET.getlist("reliability")),
    )
    page = Paginator(range(found.total), searching.PER_PAGE).get_page(found.page)
    context = {
        "q": query,
        "found": found,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "page_has_search": True,  # the header need not repeat the search box
        "reliabilities": list(RELIABILITY.items()),
    }
    return render(request, "wiki/search.html", context)


@require_GET
def search_suggest(request):
    """Up to eight pages whose title or alias starts like ?q=; visitors see published ones."""
    query = request.GET.get("q", "")
    results = name_suggestions(query, user=request.user)
    return JsonResponse({"query": query, "results": [result.as_json() for result in results]})
