"""python manage.py check_citations: re-anchor every citation, then list the orphans and the
texts whose quotes no longer read as their passages; fail while there is any."""

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import Truncator

from sources.citations.reanchoring import (
    OrphanedCitation,
    ReanchorReport,
    citations_reanchor_all,
    quote_reads_as,
)
from sources.common.progress import ProgressBar
from sources.models import CitationUse, Source
from sources.signals import citing_text

QUOTE_WIDTH = 80
IDS_PER_QUERY = 500


class Command(BaseCommand):
    help = (
        "Re-anchor every quoted citation in its source's current text, list the citations "
        "that are orphaned and the pages that use them, and the pages and relations whose "
        "quotes no longer read as the passage they cite; exit with status 1 while any is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            action="append",
            dest="keys",
            metavar="KEY",
            help="Check only the source with this key (repeat for several).",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="No progress and no summary: print only the orphans and the differing quotes.",
        )

    def handle(self, *args, keys=None, quiet=False, verbosity=1, **options):
        quiet = quiet or verbosity == 0
        if keys:
            known = set(Source.objects.filter(key__in=keys).values_list("key", flat=True))
            if unknown := sorted(set(keys) - known):
                raise CommandError(f"There is no source with the key {', '.join(unknown)}.")
        progress = ProgressBar.for_command(self, "Re-anchoring", unit="sources", quiet=quiet)
        report = citations_reanchor_all(progress, keys=keys)
        differences = _quote_differences(keys)
        if not quiet:
            self.stdout.write(_summary(report))
        for line in _orphan_lines(report.orphans):
            self.stdout.write(line)
        for difference in differences:
            self.stdout.write(difference.line())
        if report.orphaned or differences:
            raise CommandError(_failure(report.orphaned, len(differences)))
        if not quiet:
            done = "Every quoted citation is anchored. Every text quotes its passages as they read."
            self.stdout.write(self.style.SUCCESS(done))


def _failure(orphaned: int, differing: int) -> str:
    problems = []
    if orphaned:
        problems.append(f"{orphaned} orphaned citation{'s' if orphaned != 1 else ''}")
    if differing:
        problems.append(
            f"{differing} quote{'s' if differing != 1 else ''} in pages or relations that "
            f"differ{'s' if differing == 1 else ''} from the passage cited"
        )
    return f"{' and '.join(problems)}: correct the source text or the pages that cite them."


def _summary(report: ReanchorReport) -> str:
    counts = ", ".join(
        f"{getattr(report, outcome)} {outcome}"
        for outcome in ("unchanged", "moved", "requoted", "recontexted", "restored", "orphaned")
    )
    return f"Checked {report.checked} quoted citations: {counts}."


def _orphan_lines(orphans: list[OrphanedCitation]) -> list[str]:
    """One line per orphaned citation: source key, citation id, the quote, who uses it."""
    users = _users_of([orphan.citation_id for orphan in orphans])
    lines = []
    for orphan in orphans:
        quote = Truncator(" ".join(orphan.quote.split())).chars(QUOTE_WIDTH)
        used_by = "; ".join(users.get(orphan.citation_id, [])) or "no page uses it"
        lines.append(
            f"ORPHANED {orphan.source_key} #{orphan.citation_id} “{quote}” used by: {used_by}"
        )
    return lines


def _users_of(citation_ids: list[int]) -> dict[int, list[str]]:
    """The pages and relations using each citation, named as they name themselves."""
    users = defaultdict(list)
    for use in _uses(citation_ids):
        kind = use.content_type.name
        name = f"{use.citing} ({kind})" if use.citing else f"{kind} #{use.object_id} (deleted)"
        if name not in users[use.citation_id]:
            users[use.citation_id].append(name)
    return users


def _uses(citation_ids: list[int]):
    # In slices: SQLite refuses a statement with too many parameters.
    for at in range(0, len(citation_ids), IDS_PER_QUERY):
        yield from (
            CitationUse.objects.filter(citation_id__in=citation_ids[at : at + IDS_PER_QUERY])
            .select_related("content_type")
            .prefetch_related("citing")
            .order_by("content_type", "object_id", "position")
        )


@dataclass(frozen=True)
class QuoteDifference:
    """A citing text whose quote at a citation's position no longer reads as its passage."""

    source_key: str
    citation_id: int
    passage: str
    citing: str
    typed: str | None  # None: the text no longer holds a citation of the source there

    def line(self) -> str:
        passage = Truncator(" ".join(self.passage.split())).chars(QUOTE_WIDTH)
        if self.typed is None:
            found = "no longer quotes it"
        else:
            found = f"quotes “{Truncator(' '.join(self.typed.split())).chars(QUOTE_WIDTH)}”"
        return (
            f"QUOTE DIFFERS {self.source_key} #{self.citation_id} “{passage}”: "
            f"{self.citing} {found}"
        )


def _quote_differences(keys) -> list[QuoteDifference]:
    """Every citation use whose citing text quotes other words than the citation's passage.

    The texts are read as their app registered them (sources.signals.citing_text_register);
    uses of models no app registered are not checked.
    """
    uses = CitationUse.objects.order_by("content_type_id", "object_id", "position")
    if keys:
        uses = uses.filter(citation__source__key__in=keys)
    rows = uses.values_list(
        "content_type_id",
        "object_id",
        "position",
        "citation_id",
        "citation__quote",
        "citation__locator",
        "citation__source__key",
    ).iterator(chunk_size=IDS_PER_QUERY)
    differences = []
    for content_type_id, of_type in groupby(rows, key=lambda row: row[0]):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        reader = citing_text(model) if model is not None else None
        if reader is None:
            continue
        for chunk in _chunks(groupby(of_type, key=lambda row: row[1]), IDS_PER_QUERY):
            differences += _differences_in(model, reader, chunk)
    return differences


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append((item[0], list(item[1])))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _differences_in(model, reader, uses_by_object) -> list[QuoteDifference]:
    """The differences in one slice of citing objects of one model: one query for their texts."""
    ids = [object_id for object_id, _ in uses_by_object]
    texts = dict(model._base_manager.filter(pk__in=ids).values_list("pk", reader.field))
    differences = []
    for object_id, uses in uses_by_object:
        if object_id not in texts:
            continue  # a deleted text: its uses are rows left behind, not a quote
        try:
            refs = list(reader.refs(texts[object_id]))
        except ValueError:  # a text that no longer reads quotes nothing
            refs = []
        for _, _, position, citation_id, quote, locator, key in uses:
            ref = refs[position - 1] if 0 < position <= len(refs) else None
            if ref is not None and (ref.key, ref.locator) == (key, locator):
                if quote_reads_as(ref.quote, quote):
                    continue
                typed = ref.quote
            else:
                typed = None
            citing = _name(model, object_id)
            differences.append(QuoteDifference(key, citation_id, quote, citing, typed))
    return differences


def _name(model, object_id) -> str:
    """A citing object as it names itself, and its kind (rare: only for a difference)."""
    return f"{model._base_manager.get(pk=object_id)} ({model._meta.verbose_name})"
