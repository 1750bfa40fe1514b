"""Read pages of the wiki: home, the entry lists and pages (actors, factions, events), tags."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from taggit.models import Tag

from sources.common.permissions import can_edit, guard, is_team
from sources.common.public_cache import cache_public_page
from wiki import duplicates, names, selectors
from wiki.claims.disputes import dispute_link
from wiki.claims.reading import page_facts
from wiki.graph import membership_chart
from wiki.markup.rendering import group_by_source, page_body, what_links_here
from wiki.models import ENTRY_MODELS, Name
from wiki.views import loading
from wiki.views.controls import entry_controls

PER_PAGE = 50


def home(request):
    """Counts of what the reader may see, the latest changes and a search box."""
    context = {
        "counts": selectors.visible_counts(request.user),
        "changes": selectors.recent_changes(request.user, limit=10),
        "is_team": is_team(request.user),
        "page_has_search": True,  # the header need not repeat the search box
    }
    return render(request, "wiki/home.html", context)


def entry_list(request, model):
    """Actors, factions or events, filtered by ?tag= and ?coverage=, sorted by ?sort=, 50 a page."""
    tag = request.GET.get("tag", "")
    sort = request.GET.get("sort", "title")
    coverage = request.GET.get("coverage", "")
    entries = selectors.entry_list(model, request.user, tag=tag, sort=sort, coverage=coverage)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "model_name": model._meta.verbose_name,
        "model_name_plural": model._meta.verbose_name_plural,
        "segment": model.url_segment,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "rows": selectors.entry_rows(page.object_list),
        "sort": sort if sort in selectors.SORTS else "title",
        # Named only when a row here carries it: a tag used by drafts alone stays unnamed.
        "tag": Tag.objects.filter(slug=tag).first() if tag and page.object_list else None,
        "tag_slug": tag,
        "coverage": coverage if coverage in selectors.COVERAGE_FILTERS else "",
    }
    return render(request, "wiki/entry_list.html", context)


@loading.follows_renames
@cache_public_page
def entry_detail(request, model, slug):
    """An actor's, faction's or event's page with its relations and the passages it cites."""
    entry = loading.entry(request, model, slug)
    body = page_body(entry, request.user)
    facts = page_facts(entry, request.user, first_number=len(body.references) + 1)
    references = body.references + facts.references
    context = {
        "entry": entry,
        "segment": model.url_segment,
        "details": entry.details(),
        "facts": facts.facts,
        "body": body,
        "coverage": body.coverage + facts.coverage,
        "references": references,
        "reference_groups": group_by_source(references),
        "links_here": what_links_here(entry, request.user),
        "controls": entry_controls(request.user, entry),
        "sections": selectors.entry_relations(entry, request.user),
        "mentions": selectors.entry_mentions(entry, request.user),
        "is_team": is_team(request.user),
        "dispute_link": dispute_link(entry, request.user) if is_team(request.user) else None,
    }
    context["membership_chart"] = membership_chart(entry, context["sections"])
    return render(request, "wiki/entry_detail.html", context)


def tag_detail(request, slug):
    """Everything the reader may see with one tag, grouped by type; 404 when there is nothing."""
    tag = get_object_or_404(Tag, slug=slug)
    groups = selectors.tag_groups(tag, request.user)
    if not any(group.rows for group in groups):
        raise Http404("Nothing visible carries this tag.")
    return render(request, "wiki/tag_detail.html", {"tag": tag, "groups": groups})


# What each kind of page is about, for the chooser a red link opens.
PAGE_KINDS = {
    "actors": "A person.",
    "factions": "A party, militia, alliance or government body.",
    "events": "Something that happened at a time and place.",
}


@guard(can_edit)
def page_new(request):
    """A [[link]] to a page nobody has written yet: offer to create it as each type of page."""
    title = request.GET.get("title", "").strip()[:200]
    query = f"?{urlencode({'title': title})}" if title else ""
    choices = [
        {
            "label": model._meta.verbose_name.capitalize(),
            "hint": PAGE_KINDS[model.url_segment],
            "url": reverse("wiki:entry-create", args=[model.url_segment]) + query,
        }
        for model in ENTRY_MODELS
    ]
    # Someone may have written the page since the link was drawn red.
    existing = (
        Name.objects.filter(normalised=names.normalise(title)).select_related("content_type")
        if title
        else []
    )
    # Or under another spelling: "Did you mean Ahmad Shah Massoud?"
    similar = [page for page in duplicates.page_duplicates(title=title) if not page.exact]
    context = {"title": title, "choices": choices, "existing": list(existing), "similar": similar}
    return render(request, "wiki/page_new.html", context)
