"""python manage.py check_citations: re-anchor every citation, list the orphans, fail while any."""

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import Truncator

from sources.citations.reanchoring import OrphanedCitation, ReanchorReport, citations_reanchor_all
from sources.common.progress import ProgressBar
from sources.models import CitationUse, Source

QUOTE_WIDTH = 80
IDS_PER_QUERY = 500


class Command(BaseCommand):
    help = (
        "Re-anchor every quoted citation in its source's current text, list the citations "
        "that are orphaned and the pages that use them, and exit with status 1 while any is."
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
            help="No progress and no summary: print only the orphaned citations.",
        )

    def handle(self, *args, keys=None, quiet=False, verbosity=1, **options):
        quiet = quiet or verbosity == 0
        if keys:
            known = set(Source.objects.filter(key__in=keys).values_list("key", flat=True))
            if unknown := sorted(set(keys) - known):
                raise CommandError(f"There is no source with the key {', '.join(unknown)}.")
        progress = ProgressBar.for_command(self, "Re-anchoring", unit="sources", quiet=quiet)
        report = citations_reanchor_all(progress, keys=keys)
        if not quiet:
            self.stdout.write(_summary(report))
        for line in _orphan_lines(report.orphans):
            self.stdout.write(line)
        if report.orphaned:
            raise CommandError(
                f"{report.orphaned} orphaned citation{'s' if report.orphaned != 1 else ''}: "
                "correct the source text or the pages that cite them."
            )
        if not quiet:
            self.stdout.write(self.style.SUCCESS("Every quoted citation is anchored."))


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
