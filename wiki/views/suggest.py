"""Suggestions for the search box as one types: JSON for static/js/suggest.js."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from wiki.search.suggestions import name_suggestions


@require_GET
def search_suggest(request):
    """Up to eight pages whose title or alias starts like ?q=; visitors see published ones."""
    query = request.GET.get("q", "")
    results = name_suggestions(query, user=request.user)
    return JsonResponse({"query": query, "results": [result.as_json() for result in results]})
