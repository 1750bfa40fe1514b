"""The exports' views: the index page, CSV per type, JSON-LD, a page's bibliography, the feeds
and the sitemap. Every export is for everyone; what it holds is what the reader may see."""

from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from wiki.exports import bibliography
from wiki.exports.feeds import ChangesFeed, PageChangesFeed
from wiki.exports.linked_data import graph_pieces
from wiki.exports.sitemaps import SITEMAPS
from wiki.exports.streaming import download
from wiki.exports.tables import TABLES, team_note
from wiki.views import loading

changes_feed = ChangesFeed()
page_changes_feed = PageChangesFeed()


@require_safe
def export_index(request):
    """Every export with a sentence each."""
    context = {"tables": TABLES, "note": team_note(request.user)}
    return render(request, "wiki/exports.html", context)


@require_safe
def export_csv(request, table):
    """One type as CSV, streamed."""
    if table not in TABLES:
        raise Http404("No such export.")
    lines = TABLES[table].lines(request.user, request.build_absolute_uri)
    return download(lines, "text/csv; charset=utf-8", f"attest-{table}.csv")


@require_safe
def export_jsonld(request):
    """Actors, factions and events as schema.org JSON-LD, streamed."""
    pieces = graph_pieces(request.user, request.build_absolute_uri)
    return download(pieces, "application/ld+json; charset=utf-8", "attest-wiki.jsonld")


@require_safe
@loading.follows_renames
def entry_bibliography(request, model, slug, fmt):
    """The sources a page cites, for a reference manager; `fmt` is bib, ris or json."""
    entry = loading.entry_record(request, model, slug)
    sources = bibliography.page_sources(entry, request.user)
    response = HttpResponse(
        bibliography.render(sources, fmt), content_type=bibliography.content_type(fmt)
    )
    response["Content-Disposition"] = f'inline; filename="{entry.slug}.{fmt}"'
    response["Vary"] = "Cookie"
    return response


@require_safe
def sitemap(request):
    """Published pages and public sources (the same for everyone)."""
    return django_sitemap(request, SITEMAPS, template_name="wiki/exports_sitemap.xml")
