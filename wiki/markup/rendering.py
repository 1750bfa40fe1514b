"""A body as its reader sees it: one renderer, one link resolver, references grouped by source.

render_body() renders every body the site shows, for one reader: a page, a preview, an old
revision. Only how citations resolve differs, and the caller says how: a saved page reads the
Citation rows page_save recorded (page_body here), a preview looks its quotes up without
writing (wiki.markup.preview), an old revision finds its passages as they stand today
(wiki.revisions). Links always resolve the same way, through the name index. Reading never
re-parses other pages, so a page costs the same few queries however many citations and links
it has.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from string import ascii_lowercase

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from sources.citations.grading import Grade
from sources.citations.syntax import CitationRef
from sources.common.permissions import is_team
from sources.models import Citation, CitationUse, Source
from wiki import names
from wiki.markup import parse as markup
from wiki.markup.statements import Coverage
from wiki.markup.validation import QuoteCheck
from wiki.models import Name, PageLink

# A reference shows a source's title and date, never its (long) text or internal notes.
SOURCE_BULK = ("citation__source__text", "citation__source__notes")

# What a footnote's passage is, besides Citation.Status (anchored, orphaned, unverified):
MISSING = "missing"  # the quote is not in its source (a preview, before saving)
UNKNOWN_SOURCE = "unknown-source"  # no source has the key (a preview, an old revision)
WITHHELD = "withheld"  # the reader may not see the source
# What the public is told of a protected source, beside its grade: nothing else of it.
WITHHELD_LABEL = "Withheld source"


@dataclass(frozen=True)
class Reference:
    """One numbered footnote: the citation as written, and its passage as the reader may see it.

    It answers the questions a Citation answers in a template (quote, locator, status, source,
    get_absolute_url), so includes/citation.html shows either.
    """

    ref: CitationRef
    status: str = WITHHELD  # a Citation.Status, MISSING, UNKNOWN_SOURCE or WITHHELD
    source: Source | None = None  # None when no source has the key or the reader may not see it
    url: str = ""  # the passage in the source viewer (/sources/<key>/#c<id>), else the source
    quote: str = ""  # the passage as the source has it; as typed where it is not there
    locator: str = ""
    citation: Citation | None = None  # a saved page's passage
    check: QuoteCheck | None = None  # a preview's look-up, with the closest passage
    number: int = 0  # set by render_body: the footnote's number in the text
    uses: int = 0  # and how many times the text cites it
    # A protected source withheld from the reader: its grade is shown, nothing else of it.
    protected: bool = False
    graded: Grade | None = None  # its grade, where neither source nor citation is given

    @property
    def target(self) -> markup.CitationTarget | None:
        """What the footnote's marker in the text says of it."""
        if self.source is None:
            return markup.CitationTarget("", WITHHELD_LABEL, WITHHELD) if self.protected else None
        return markup.CitationTarget(self.url, self.source.title, self.status)

    @property
    def grade(self) -> Grade | None:
        """The source's reliability and the passage's credibility ("B2"), as far as known."""
        if self.graded is not None:
            return self.graded
        if self.citation is not None:
            return self.citation.grade
        return self.source.grade if self.source is not None else None

    @property
    def backlinks(self) -> list[tuple[int, str]]:
        """(marker, label) for each place the text cites it: labelled a, b, c… when several."""
        if self.uses == 1:
            return [(1, "")]
        return [(n, _letter(n)) for n in range(1, self.uses + 1)]

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(frozen=True)
class SourceGroup:
    """One entry of the reference list: a source, named once, and each footnote citing it."""

    source: Source | None  # None: withheld from the reader, or no source has the key
    references: list[Reference]
    key: str = ""  # the key as typed, when no source has it


@dataclass(frozen=True)
class RenderedBody:
    """A body as its reader sees it: sanitised HTML, its footnotes and its coverage."""

    html: SafeString = SafeString("")
    references: tuple[Reference, ...] = ()  # in footnote order
    coverage: Coverage = Coverage(0, 0)
    error: str = ""  # set when the markup cannot be read (previews and old revisions show it)
    # The details of sourced sentences that none of their quotes carries (the support check),
    # in the order of the text; each is marked there as #detail-<number>. Warnings for the
    # team: they never block publishing.
    unsupported: tuple[markup.Unsupported, ...] = ()

    @cached_property
    def reference_groups(self) -> list[SourceGroup]:
        """The references by source, in the order the text first cites each."""
        return group_by_source(self.references)


# Resolves a body's distinct citations at once (one query, not one per citation).
ReferenceResolver = Callable[[Sequence[CitationRef]], Mapping[CitationRef, Reference]]


def render_body(
    body: str, *, team: bool, citations: ReferenceResolver, linked: Iterable[str] | None = None
) -> RenderedBody:
    """Render a body for a reader: team (drafts linked, red links to create) or public.

    citations says what each citation's passage is. linked is the normalised names the body
    links to, where an index holds them already (a saved page's links). MarkupError if the
    body cannot be read.
    """
    found: dict[CitationRef, Reference] = {}

    def resolve_citations(refs: Sequence[CitationRef]):
        found.update(citations(refs))
        return {ref: reference.target for ref, reference in found.items()}

    rendered = markup.render(
        body,
        resolve_links=lambda targets: resolve_links(targets, team=team, linked=linked),
        resolve_citations=resolve_citations,
    )
    references = tuple(
        replace(found[note.ref], number=note.number, uses=note.uses) for note in rendered.footnotes
    )
    html = mark_safe(rendered.html)  # noqa: S308 - markup.render sanitises with nh3
    return RenderedBody(html, references, rendered.coverage, unsupported=rendered.unsupported)


def resolve_links(
    targets: Sequence[str], *, team: bool, linked: Iterable[str] | None = None
) -> dict[str, markup.LinkTarget]:
    """Each [[target]]'s page, by title or alias (a title wins), with all its names, in one query.

    The team is linked to drafts too, and a target without a page is a red link that offers to
    create it; the public sees a target it may not read, or that does not exist, as plain text.
    """
    wanted = linked if linked is not None else {names.normalise(target) for target in targets}
    # Every name of each page that one of the wanted names belongs to: the support check counts
    # a link as carried when a quote names its page in any of them.
    named = Name.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        normalised__in=wanted,
    )
    rows = Name.objects.filter(Exists(named)).select_related("content_type")
    if not team:
        rows = rows.filter(is_public=True)
    by_name: dict[str, Name] = {}
    by_page: dict[tuple[int, int], list[str]] = {}
    for row in sorted(rows, key=lambda row: not row.is_title):
        by_name.setdefault(row.normalised, row)
        by_page.setdefault((row.content_type_id, row.object_id), []).append(row.name)
    return {
        target: _link(target, by_name.get(names.normalise(target)), team, by_page)
        for target in targets
    }


def _link(target: str, row: Name | None, team: bool, by_page: dict) -> markup.LinkTarget:
    if row is not None:
        page_names = tuple(by_page[(row.content_type_id, row.object_id)])
        return markup.LinkTarget(row.get_absolute_url(), True, row.name, page_names)
    if not team:
        return markup.LinkTarget("", False)
    return markup.LinkTarget(f"{reverse('wiki:page-new')}?{urlencode({'title': target})}", False)


def group_by_source(references: Iterable[Reference]) -> list[SourceGroup]:
    """One group per cited source, in the order the references first cite each."""
    groups: dict[tuple, SourceGroup] = {}
    for reference in references:
        if reference.source is not None:
            key = ("source", reference.source.pk)
        elif reference.status == UNKNOWN_SOURCE:
            key = ("key", reference.ref.key)
        else:  # withheld: alone, so that the list never tells which passages share a source
            key = ("withheld", reference.number)
        if key not in groups:
            typed = reference.ref.key if reference.status == UNKNOWN_SOURCE else ""
            groups[key] = SourceGroup(reference.source, [], typed)
        groups[key].references.append(reference)
    return list(groups.values())


def _letter(n: int) -> str:
    """a, b, … z, then aa, ab, …: Wikipedia's labels for a footnote's places in the text."""
    label = ""
    while n:
        n, rest = divmod(n - 1, len(ascii_lowercase))
        label = ascii_lowercase[rest] + label
    return label


# A saved page --------------------------------------------------------------------------------


def _page_filter(page) -> dict:
    return {"content_type": ContentType.objects.get_for_model(page), "object_id": page.pk}


def page_body(page, user) -> RenderedBody:
    """Render a saved page's body for this reader: two queries whatever its size."""
    team = is_team(user)
    linked = PageLink.objects.filter(**_page_filter(page)).values("normalised")
    return render_body(page.body, team=team, citations=_saved(page, team), linked=linked)


def _saved(page, team: bool) -> ReferenceResolver:
    """The citations as page_save recorded them: the page's uses, in the order of its refs."""

    def resolve(refs: Sequence[CitationRef]) -> dict[CitationRef, Reference]:
        uses = iter(
            CitationUse.objects.filter(**_page_filter(page))
            .select_related("citation__source")
            .defer(*SOURCE_BULK)
            .order_by("position")
        )
        return {ref: saved_reference(ref, next(uses, None), team) for ref in refs}

    return resolve


def saved_reference(ref: CitationRef, use: CitationUse | None, team: bool) -> Reference:
    """A footnote for a saved use of a citation, withheld where the reader may not see its
    source (also the footnotes of a page's facts: wiki.claims.reading)."""
    citation = use.citation if use else None
    if citation is not None and not (team or citation.source.is_public):
        return withheld_reference(citation) if citation.source.is_protected else Reference(ref)
    if citation is None:
        return Reference(ref)
    return Reference(
        ref,
        citation.status,
        citation.source,
        citation.get_absolute_url(),
        citation.quote,
        citation.locator,
        citation=citation,
    )


def withheld_reference(citation: Citation) -> Reference:
    """A passage of a protected source as the public sees it: "withheld source" and its grade.

    Nothing of the source or the passage is kept, not even the citation as written (its key and
    quote), so that no template can show what the public must not see.
    """
    return Reference(CitationRef(""), protected=True, graded=citation.grade)


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
    if not is_team(user):
        pages = pages.filter(is_public=True)
    return list(pages)
