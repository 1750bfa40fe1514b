"""/graph/: the network of actors, factions and events, whose edges are cited relations; a page's
own neighbourhood at /<type>/<slug>/graph/; and the network for Gephi as GEXF and GraphML.

Filters (?year=&tag=&kind=) stay in the URL. The drawing is SVG laid out on the server, readable
and navigable without JavaScript; static/js/graph.js adds pan and zoom.
"""

from django.http import StreamingHttpResponse
from django.shortcuts import render

from sources.common.permissions import is_team
from sources.common.public_cache import cache_public_page
from wiki.graph import KINDS, MAX_NODES, GraphForm, drawn, network
from wiki.graph.export import gexf, graphml
from wiki.graph.svg import edges_svg, nodes_svg
from wiki.views import loading


def _context(request, form, shown, drawing, **extra) -> dict:
    return {
        "edges_svg": edges_svg(shown),
        "nodes_svg": nodes_svg(shown, extra.get("centre", "")),
        "form": form,
        "network": shown,
        "drawing": drawing,
        "kinds": KINDS,
        "cap": MAX_NODES,
        "is_team": is_team(request.user),
        "filtered": any(request.GET.get(name) for name in ("year", "tag", "kind")),
        **extra,
    }


@cache_public_page
def graph_view(request):
    """The network this reader may see, as it stood in ?year=, narrowed by ?tag= and ?kind=."""
    form = GraphForm(request.GET)
    form.is_valid()  # an invalid field is shown with its error and left out of the filters
    shown, drawing = drawn(request.user, form.filters())
    return render(request, "wiki/graph.html", _context(request, form, shown, drawing))


@loading.follows_renames
@cache_public_page
def entry_graph_view(request, model, slug):
    """One page's neighbourhood: its own ties and the ties between those it is tied to."""
    entry = loading.entry_record(request, model, slug)
    form = GraphForm(request.GET)
    form.is_valid()
    shown, drawing = drawn(request.user, form.filters(), around=entry)
    context = _context(request, form, shown, drawing, entry=entry, centre=_key(entry))
    return render(request, "wiki/graph.html", context)


def _key(entry) -> str:
    return f"{entry._meta.model_name}-{entry.pk}"


def _export(request, write, content_type: str, filename: str):
    form = GraphForm(request.GET)
    form.is_valid()
    response = StreamingHttpResponse(
        write(
            network(request.user, form.filters(), limit=None), request.build_absolute_uri("/")[:-1]
        ),
        content_type=content_type,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if is_team(request.user):
        response["Cache-Control"] = "private, no-store"
    return response


def export_gexf(request):
    """The network for Gephi in GEXF 1.3, dynamic: each edge with its start and end."""
    return _export(request, gexf, "application/gexf+xml; charset=utf-8", "attest-network.gexf")


def export_graphml(request):
    """The network in GraphML: each edge with its kind, dates and passages as attributes."""
    return _export(
        request, graphml, "application/graphml+xml; charset=utf-8", "attest-network.graphml"
    )
