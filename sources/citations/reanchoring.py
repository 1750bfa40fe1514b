"""Re-anchor citations when a source's text changes: find each passage again, or orphan it.

Nothing is dropped silently. Every citation that changes gets one history row saying why; a
passage that cannot be found becomes orphaned but keeps its old quote and offsets, so that a
curator can see what was lost, and stays listed until it is found again or its pages change.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from sources.citations import anchoring
from sources.models import Citation, Source

OUTCOMES = ("unchanged", "moved", "requoted", "recontexted", "orphaned", "restored")
REANCHORED_FIELDS = ["quote", "prefix", "suffix", "start", "end", "status"]
ORPHANED_REASON = "Orphaned: passage no longer in the source text"
REASON_LENGTH = 100  # simple-history's history_change_reason column
# Each source's text is loaded whole; a few at a time keeps memory flat on a large corpus.
SOURCES_PER_FETCH = 20
# bulk_update writes one CASE per field whose length grows with the batch; keep it short.
CITATIONS_PER_UPDATE = 200


@dataclass(frozen=True)
class OrphanedCitation:
    """An orphaned citation, with enough to name it in a message."""

    citation_id: int
    source_key: str
    quote: str
    newly: bool  # orphaned by this run rather than already before it


@dataclass(frozen=True)
class Requote:
    """A citation whose passage now reads otherwise: the texts quoting it follow (the wiki's
    requoting, on sources.signals.source_saved)."""

    citation_id: int
    old_quote: str
    new_quote: str


@dataclass
class ReanchorReport:
    """How many citations re-anchoring left alone, moved, re-quoted, orphaned or restored.

    moved: same words, new offsets. requoted: the passage's words changed (normalised, context
    or fuzzy match) and the quote now reads as the text does. recontexted: same words and
    offsets, new prefix/suffix. restored: was orphaned, found again. orphaned counts every
    orphaned citation checked, including those orphaned before this run. requotes lists every
    citation whose quote changed (requoted, or restored in other words).
    """

    unchanged: int = 0
    moved: int = 0
    requoted: int = 0
    recontexted: int = 0
    orphaned: int = 0
    restored: int = 0
    orphans: list[OrphanedCitation] = field(default_factory=list)
    requotes: list[Requote] = field(default_factory=list)

    @property
    def checked(self) -> int:
        """Citations looked at."""
        return sum(getattr(self, outcome) for outcome in OUTCOMES)

    @property
    def written(self) -> int:
        """Citations changed (each with one history row)."""
        return self.checked - self.unchanged - sum(not orphan.newly for orphan in self.orphans)

    def __iadd__(self, other: "ReanchorReport") -> "ReanchorReport":
        for outcome in OUTCOMES:
            setattr(self, outcome, getattr(self, outcome) + getattr(other, outcome))
        self.orphans.extend(other.orphans)
        self.requotes.extend(other.requotes)
        return self


@transaction.atomic
def citations_reanchor(*, source: Source, old_text: str | None = None, user=None) -> ReanchorReport:
    """Find every quoted citation of source again in its current text; orphan what is gone.

    old_text, when given, is the text the citations' offsets point into: it carries each old
    offset across the edit, so that among several identical passages the right one is kept.
    user, when given, is named in the history rows (otherwise the request's user, if any).
    """
    text = source.text
    carry = _offset_carrier(old_text, text) if old_text is not None else _unmoved
    report, changed = ReanchorReport(), []
    for citation in source.citations.exclude(quote=""):
        hint = carry(citation.start) if citation.start is not None else None
        old_quote = citation.quote
        outcome, write = _reanchor(citation, text, hint)
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome == "orphaned":
            orphan = OrphanedCitation(citation.pk, source.key, citation.quote, newly=write)
            report.orphans.append(orphan)
        elif citation.quote != old_quote:
            report.requotes.append(Requote(citation.pk, old_quote, citation.quote))
        if write:
            changed.append(citation)
    if changed:
        bulk_update_with_history(
            changed,
            Citation,
            REANCHORED_FIELDS,
            batch_size=CITATIONS_PER_UPDATE,
            default_user=user,
        )
    return report


def citations_reanchor_all(
    progress: Callable[[int, int], None] | None = None,
    *,
    keys: Iterable[str] | None = None,
    user=None,
) -> ReanchorReport:
    """Re-anchor the citations of every cited source (or of those keys); one transaction each.

    progress(done, total) is called after each source.
    """
    sources = Source.objects.filter(
        pk__in=Citation.objects.exclude(quote="").values("source_id")
    ).order_by("key")
    if keys is not None:
        sources = sources.filter(key__in=list(keys))
    total = sources.count()
    report = ReanchorReport()
    loaded = sources.only("pk", "key", "text").iterator(chunk_size=SOURCES_PER_FETCH)
    for done, source in enumerate(loaded, start=1):
        report += citations_reanchor(source=source, user=user)
        if progress is not None:
            progress(done, total)
    return report


def quote_reads_as(typed: str, passage: str) -> bool:
    """True when a quote as typed in a citing text reads as passage, forgiving what anchoring
    forgives (white space, quote marks, apostrophes, dashes, case); "" reads as "" only."""
    if not passage or not typed.strip():
        return not passage and not typed.strip()
    anchor = anchoring.find_quote(passage, typed)
    return (
        anchor is not None
        and anchor.method in ("exact", "normalised")
        and (anchor.start, anchor.end) == (0, len(passage))
    )


def _reanchor(citation: Citation, text: str, hint: int | None) -> tuple[str, bool]:
    """Re-anchor one citation in memory: what happened to it, and whether it must be written."""
    was_orphaned = citation.status == Citation.Status.ORPHANED
    anchor = anchoring.find_quote(
        text,
        citation.quote,
        prefix=citation.prefix,
        suffix=citation.suffix,
        hint=hint,
        fuzzy=True,
    )
    if anchor is None:
        if was_orphaned:
            return "orphaned", False
        # The old quote and offsets stay: they are what a curator needs to repair the citation.
        citation.status = Citation.Status.ORPHANED
        citation._change_reason = ORPHANED_REASON
        return "orphaned", True
    before = (citation.quote, citation.start, citation.end)
    stored = (*before, citation.prefix, citation.suffix, citation.status)
    citation.quote = anchor.passage(text)
    citation.start, citation.end = anchor.start, anchor.end
    citation.prefix, citation.suffix = anchoring.context_around(text, anchor.start, anchor.end)
    citation.status = Citation.Status.ANCHORED
    now = (citation.quote, citation.start, citation.end)
    if (*now, citation.prefix, citation.suffix, citation.status) == stored:
        return "unchanged", False
    if was_orphaned:
        outcome = "restored"
    elif now[0] != before[0]:
        outcome = "requoted"
    elif now != before:
        outcome = "moved"
    else:
        outcome = "recontexted"
    citation._change_reason = _reason(outcome, anchor, before[1:])[:REASON_LENGTH]
    return outcome, True


def _reason(outcome: str, anchor: anchoring.Anchor, old_span: tuple[int, int]) -> str:
    if outcome == "moved":
        start, end = old_span
        return (
            "Re-anchored after the source text changed "
            f"(moved from {start}–{end} to {anchor.start}–{anchor.end})"
        )
    if outcome == "recontexted":
        return "Context updated after the source text changed"
    how = anchor.method if anchor.score == 100 else f"{anchor.method}, score {anchor.score:.0f}"
    if outcome == "restored":
        return f"Restored: passage found again in the source text ({how})"
    return f"Re-anchored after the source text changed ({how})"


def _unmoved(offset: int) -> int:
    return offset


def _offset_carrier(old: str, new: str) -> Callable[[int], int]:
    """A function taking an offset in old to the same place in new.

    It treats the change as one contiguous edit between the common head and tail of the two
    texts: exact for a single correction, and a fair guess (which only ranks duplicates) for
    several. A full alignment would cost far more memory than the texts themselves.
    """
    head = _common_length(old, new)
    tail = _common_length(old[head:][::-1], new[head:][::-1])
    old_edit_end, new_edit_end = len(old) - tail, len(new) - tail

    def carry(offset: int) -> int:
        if offset <= head:
            return offset
        if offset >= old_edit_end:
            return offset - old_edit_end + new_edit_end
        return min(offset, new_edit_end)

    return carry


def _common_length(a: str, b: str) -> int:
    """The length of the longest common prefix of a and b (binary search over C comparisons)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low
