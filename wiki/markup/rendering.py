"""A page as its reader sees it: the body with footnotes and resolved links, and what links here.

Reading never re-parses other pages: links resolve through the name index, citations through the
page's citation uses (both rebuilt by page_save), so a page costs the same few queries however
many citations and links it has.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from sources.common.permissions import can_edit, can_read_drafts
from sources.models import Citation, CitationUse
from wiki import names
from wiki.markup import parse as markup
from wiki.models import Name, PageLink

# A reference shows a source's title and date, never its (long) text or internal notes.
SOURCE_BULK = ("citation__source__text", "citation__source__notes")


@dataclass(frozen=True)
class Reference:
    """One numbered entry of a page's reference list."""

    number: int
    ref: object  # the CitationRef as written
    citation: Citation | None  # None when the reader may not see its source


@dataclass(frozen=True)
class PageBody:
    """A rendered body, its references and its coverage."""

    html: SafeString
    references: list[Reference]
    sentences: int
    sourced: int

    @property
    def coverage_percent(self) -> int:
        """Sourced statements as a whole percentage, rounded down."""
        return self.sourced * 100 // self.sentences if self.sentences else 100


def _page_filter(page) -> dict:
    return {"content_type": ContentType.objects.get_for_model(page), "object_id": page.pk}


def _citation_target(citation: Citation, visible: bool) -> markup.CitationTarget | None:
    if not visible:
        return None
    return markup.CitationTarget(
        url=citation.get_absolute_url(), label=citation.source.title, status=citation.status
    )


def _link_resolver(page, user):
    """Look up every name the page links to in one query; unknown names become red links."""
    rows = Name.objects.filter(
        normalised__in=PageLink.objects.filter(**_page_filter(page)).values("normalised")
    ).select_related("content_type")
    if not can_read_drafts(user):
        rows = rows.filter(is_public=True)
    by_name: dict[str, Name] = {}
    for row in sorted(rows, key=lambda row: not row.is_title):  # a title wins over an alias
        by_name.setdefault(row.normalised, row)
    may_create = can_edit(user)

    def resolve(target: str) -> markup.LinkTarget:
        row = by_name.get(names.normalise(target))
        if row is not None:
            return markup.LinkTarget(row.get_absolute_url(), True, row.name)
        if not may_create:
            return markup.LinkTarget("", False)
        return markup.LinkTarget(
            f"{reverse('wiki:page-new')}?{urlencode({'title': target})}", False
        )

    return resolve


def page_body(page, user) -> PageBody:
    """Render a page's body for this reader: two queries whatever its size."""
    uses = list(
        CitationUse.objects.filter(**_page_filter(page))
        .select_related("citation__source")
        .defer(*SOURCE_BULK)
        .order_by("position")
    )
    team = can_read_drafts(user)
    pending = iter(uses)
    references: list[Reference] = []

    def resolve_citation(ref):
        use = next(pending, None)
        citation = use.citation if use else None
        visible = citation is not None and (team or citation.source.is_public)
        references.append(Reference(len(references) + 1, ref, citation if visible else None))
        return _citation_target(citation, visible) if citation else None

    rendered = markup.render(
        page.body, resolve_link=_link_resolver(page, user), resolve_citation=resolve_citation
    )
    html = mark_safe(rendered.html)  # noqa: S308 - markup.render sanitises with nh3
    return PageBody(html, references, rendered.sentences, rendered.sourced)


def what_links_here(page, user) -> list[Name]:
    """The pages whose bodies link to this page (by its title or any alias): one query."""
    own = _page_filter(page)
    linking = PageLink.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        normalised__in=Name.objects.filter(**own).values("normalised"),
    )
    pages = (
        Name.objects.filter(is_title=True)
        .filter(Exists(linking))
        .exclude(**own)
        .select_related("content_type")
        .order_by("name")
    )
    if not can_read_drafts(user):
        pages = pages.filter(is_public=True)
    return list(pages)
