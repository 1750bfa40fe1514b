"""/timeline/: events and the dated facts of actors and factions on one time axis.

Filters (?actor=&faction=&tag=&from=&to=) combine and stay in the URL, as does the zoom
(?zoom=decade|year|month); every link the page offers (zoom, earlier, later, a tick's years)
keeps the rest of the query.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from sources.common.public_cache import cache_public_page
from wiki.timeline import CAP, TimelineForm, layout, timeline

KEPT = ("actor", "faction", "tag", "from", "to", "zoom")
# Where a tick's label leads: the next zoom in, over the tick's years.
ZOOM_IN = {layout.DECADE: layout.YEAR, layout.YEAR: layout.MONTH}


@cache_public_page
def timeline_view(request):
    """The timeline this reader may see, filtered, zoomed and paged as the URL says."""
    form = TimelineForm(request.GET)
    form.is_valid()  # an invalid field is shown with its error and left out of the filters
    filters = form.filters(request.user)
    shown = timeline(request.user, filters, form.value("zoom") or "")

    def url(**changes):
        return _url(request.GET, changes)

    context = {
        "form": form,
        "timeline": shown,
        "cap": CAP,
        "filtered": any(request.GET.get(name) for name in KEPT[:5]),
        "zooms": [(zoom, url(zoom=zoom)) for zoom in layout.ZOOMS],
        "ticks": [(tick, _tick_url(tick, shown.zoom, url)) for tick in shown.ticks],
        "pages": {
            direction: url(**{"from": first, "to": last})
            for direction, (first, last) in (
                layout.pages(shown.axis, filters.to_year).items() if shown.axis else ()
            )
        },
    }
    return render(request, "wiki/timeline.html", context)


def _tick_url(tick: layout.Tick, zoom: str, url) -> str:
    if not tick.label or zoom not in ZOOM_IN:
        return ""
    return url(zoom=ZOOM_IN[zoom], **{"from": tick.from_year, "to": tick.to_year})


def _url(query, changes: dict) -> str:
    """/timeline/ with the reader's query, these parameters changed (None or "" drops one)."""
    kept = {name: query[name] for name in KEPT if query.get(name)}
    for name, value in changes.items():
        if value in (None, ""):
            kept.pop(name, None)
        else:
            kept[name] = value
    path = reverse("wiki:timeline")
    return f"{path}?{urlencode(kept)}" if kept else path
