"""History of the wiki: old revisions of pages rendered, reverts, and the site-wide change feed.

The generic parts (revision lists, diffs) live in sources.common.history.revisions; this module
adds what only the wiki knows: how a page body renders, which fields a revert restores, and
how actors, factions, events, sources and relations merge into one feed. Team only: every
function here shows editor names.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from sources.citations.anchoring import find_quote
from sources.common.history.revert import restore_fields, revert_reason
from sources.common.history.revisions import (
    tag_names,
    tracked_fields,
)
from sources.models import Citation, Source
from wiki import names
from wiki.markup import parse as markup
from wiki.models import (
    Name,
)
from wiki.services import page_save

# What a revert leaves alone: publishing and locking stay a curator's act, and a page's address
# never moves back under its readers' bookmarks.
REVERT_KEEPS = {"slug", "is_public", "is_locked", "lock_reason"}


def entry_fields(model) -> list:
    """The fields of a page that a diff compares besides its body and tags."""
    return tracked_fields(model, exclude={"body", "tag_list"})


# ---------------------------------------------------------------------------------------------
# An old revision of a page


@dataclass(frozen=True)
class OldBody:
    """A page body as it was, rendered against today's pages and sources."""

    html: SafeString
    footnotes: tuple[markup.Footnote, ...] = ()
    sentences: int = 0
    sourced: int = 0
    error: str = ""  # set when the old text cannot be read any more (it then shows as text)

    @property
    def coverage_percent(self) -> int:
        return self.sourced * 100 // self.sentences if self.sentences else 100


def revision_body(record) -> OldBody:
    """Render a revision's body: three queries (names, sources, citations) whatever its size.

    Nothing is written: [[links]] resolve through today's name index, and each quote is looked
    for in its source's current text (a passage no longer there shows as "orphaned").
    """
    try:
        parsed = markup.parse(record.body)
    except markup.MarkupError as error:
        return OldBody(html=SafeString(""), error=str(error))
    resolve_link = _link_resolver(parsed.links)
    resolve_citation = _citation_resolver(parsed.citations)
    rendered = markup.render(
        record.body, resolve_link=resolve_link, resolve_citation=resolve_citation
    )
    html = mark_safe(rendered.html)  # noqa: S308 - markup.render sanitises with nh3
    return OldBody(html, rendered.footnotes, rendered.sentences, rendered.sourced)


def _link_resolver(targets):
    keys = {names.normalise(target) for target in targets}
    rows = Name.objects.filter(normalised__in=keys).select_related("content_type")
    by_name: dict[str, Name] = {}
    for row in sorted(rows, key=lambda row: not row.is_title):  # a title wins over an alias
        by_name.setdefault(row.normalised, row)

    def resolve(target: str) -> markup.LinkTarget:
        row = by_name.get(names.normalise(target))
        if row is not None:
            return markup.LinkTarget(row.get_absolute_url(), True, row.name)
        new_page = f"{reverse('wiki:page-new')}?{urlencode({'title': target})}"
        return markup.LinkTarget(new_page, False)

    return resolve


def _citation_resolver(refs):
    sources = {s.key: s for s in Source.objects.filter(key__in={ref.key for ref in refs})}
    anchors = {
        ref: find_quote(sources[ref.key].text, ref.quote)
        for ref in refs
        if ref.key in sources and ref.quote
    }
    wanted = {anchor.start for anchor in anchors.values() if anchor}
    citations = {
        (source_id, start, end): pk
        for pk, source_id, start, end in Citation.objects.filter(
            source__in=list(sources.values()), start__in=wanted
        ).values_list("pk", "source_id", "start", "end")
    }

    def resolve(ref) -> markup.CitationTarget | None:
        source = sources.get(ref.key)
        if source is None:
            return None
        url = source.get_absolute_url()
        if ref.is_whole_document:
            return markup.CitationTarget(url, source.title, "unverified")
        anchor = anchors.get(ref)
        if anchor is None:
            return markup.CitationTarget(url, source.title, "orphaned")
        pk = citations.get((source.pk, anchor.start, anchor.end))
        return markup.CitationTarget(f"{url}#c{pk}" if pk else url, source.title, "anchored")

    return resolve


# ---------------------------------------------------------------------------------------------
# Revert


def page_revert(*, page, revision, user, change_reason: str = ""):
    """Make a page read as it did at `revision`, as a new revision saved through page_save.

    Citations are verified again and the derived tables rebuilt; a refused save (a passage no
    longer in its source, a locked page) raises like page_save and changes nothing.
    """
    keep = [f for f in entry_fields(type(page)) if f.name not in REVERT_KEEPS]
    restore_fields(page, revision, keep)
    return page_save(
        page=page,
        body=revision.body,
        user=user,
        change_reason=change_reason or revert_reason(revision),
        tags=tag_names(revision.tag_list),
    )
