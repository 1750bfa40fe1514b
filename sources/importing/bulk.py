"""Importing many documents at once: files, folders, Zotero exports and URLs (import_sources;
bulk_import hands the same work to a task worker).

The one module of the room that writes. Each document is read as an upload is (formats.py),
compared with the archive (duplicates.py: a source it repeats is skipped, and named), and saved
through sources.services.source_save as an unpublished source with its original file, recorded
as "Imported from <name>": a file's name, or its path inside the folder given, never a path of
the machine. Importing the same things again changes nothing: everything is already there.

A Zotero export (zotero.py) gives each entry's metadata; the text comes from its attached file,
and an entry without one fails rather than being imported empty.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django_tasks import task

from sources.common.tasks import IMPORTS
from sources.importing.documents import ImportedDocument, ImportRefused
from sources.importing.duplicates import find_duplicates, normalise_url
from sources.importing.formats import FORMATS, accepted, read_upload, too_large
from sources.importing.keys import distinct_key, propose_key
from sources.importing.metadata import Proposal
from sources.importing.zotero import (
    EXPORT_SUFFIXES,
    FILES_FOLDER,
    ExportEntry,
    is_export,
    read_export,
)

logger = logging.getLogger(__name__)
IMPORTED, SKIPPED, FAILED = "imported", "skipped", "failed"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
REASON_LENGTH = 100  # what the history keeps of a change reason
ORIGINAL_NAME_LENGTH = 90  # the stored file's name, inside the FileField's 100 with "sources/"


@dataclass(frozen=True)
class Outcome:
    """What became of one document: imported as a key, skipped or failed, and why."""

    name: str  # as the person knows it: a path inside the folder given, an export's entry, a URL
    status: str
    detail: str = ""
    key: str = ""  # the source imported, or the one it repeats

    def line(self) -> str:
        """One line of the command's report."""
        if self.status == IMPORTED:
            return f"imported {self.name} as {self.key}"
        return f"{self.status} {self.name}: {self.detail}"


@dataclass
class BulkReport:
    """Every outcome of one import, in the order the documents were met."""

    outcomes: list[Outcome] = field(default_factory=list)

    def with_status(self, status: str) -> list[Outcome]:
        """The outcomes that ended so."""
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def failed(self) -> list[Outcome]:
        """What could not be imported: the import as a whole failed."""
        return self.with_status(FAILED)

    def summary(self) -> str:
        """ "3 imported, 2 skipped, 1 failed."."""
        counts = [f"{len(self.with_status(status))} {status}" for status in (IMPORTED, SKIPPED)]
        return ", ".join([*counts, f"{len(self.failed)} {FAILED}"]) + "."


@dataclass(frozen=True)
class _Task:
    name: str
    run: Callable  # (user) → Outcome


def import_sources(
    paths: Iterable[str | Path],
    *,
    urls: Iterable[str] = (),
    user=None,
    progress: Callable[[int, int], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> BulkReport:
    """Import files, folders (recursively), Zotero exports (.bib, .json) and URLs as unpublished
    sources; skip what the archive already holds. `progress(done, total)` follows the documents,
    `on_outcome` hears of each as it is decided."""
    report = BulkReport()

    def record(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    work = []
    for planned in _plan(paths, urls):
        if isinstance(planned, Outcome):
            record(planned)
        else:
            work.append(planned)
    for done, one in enumerate(work, start=1):
        record(_run(one, user))
        if progress is not None:
            progress(done, len(work))
    return report


@task(queue_name=IMPORTS)
def bulk_import(paths: list[str], urls: list[str]) -> dict:
    """import_sources, run by a task worker (which must see the same paths): what became of
    each document, as the command says it, and how many failed."""
    report = import_sources(paths, urls=urls)
    lines = [outcome.line() for outcome in report.outcomes]
    return {"lines": lines, "summary": report.summary(), "failed": len(report.failed)}


def _run(task: _Task, user) -> Outcome:
    # A document that breaks a reader in a way nobody foresaw fails alone: were it to stop the
    # import, every run would stop at it again, and nothing after it would ever be imported.
    try:
        return task.run(user)
    except Exception as error:
        logger.exception("Importing %s failed", task.name)
        return Outcome(task.name, FAILED, f"could not be read ({type(error).__name__}: {error})")


def readable_suffixes() -> set[str]:
    """The extensions of the files Attest reads (.txt, .md, .html…), from the registry."""
    return {suffix for fmt in FORMATS for suffix in fmt.extensions}


def max_bytes() -> int:
    """The largest document read, as for an upload (ATTEST_MAX_UPLOAD_BYTES)."""
    return getattr(settings, "ATTEST_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


# ---------------------------------------------------------------------------------------------
# What to import


def _plan(paths, urls) -> Iterator[_Task | Outcome]:
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _plan_folder(path, seen)
        elif path.is_file():
            yield from _plan_file(path, path.name, seen, named=True)
        else:
            yield Outcome(str(given), FAILED, "there is no such file or folder")
    for url in dict.fromkeys(url.strip() for url in urls if url.strip()):
        yield _Task(url, partial(_import_url, url))


def _plan_folder(folder: Path, seen: set[Path]) -> Iterator[_Task | Outcome]:
    """Every file under the folder; exports first, and the files/ folder beside an export is
    the export's (Zotero's "Export Files"), not documents of their own."""
    files = sorted(
        (path for path in folder.rglob("*") if path.is_file()),
        key=lambda path: path.relative_to(folder).as_posix(),
    )
    files = [path for path in files if not _hidden(path.relative_to(folder))]
    exports = [path for path in files if is_export(path)]
    attached = {path.parent / FILES_FOLDER for path in exports}
    loose = [
        path
        for path in files
        if not is_export(path) and not any(parent in attached for parent in path.parents)
    ]
    for path in exports + loose:
        yield from _plan_file(path, path.relative_to(folder).as_posix(), seen, named=False)


def _hidden(relative: PurePath) -> bool:
    # .DS_Store, .git, editors' backups, the resource forks of zip files made on a Mac.
    return any(part.startswith(".") or part == "__MACOSX" for part in relative.parts)


def _plan_file(path: Path, name: str, seen: set[Path], *, named: bool):
    resolved = path.resolve()
    if resolved in seen:
        return
    seen.add(resolved)
    suffix = path.suffix.lower()
    if is_export(path):
        yield from _plan_export(path, name, seen)
    elif suffix in readable_suffixes():
        yield _Task(name, partial(_import_file, path, name))
    elif named:
        exports = ", ".join(EXPORT_SUFFIXES)
        yield Outcome(
            name,
            FAILED,
            f"not a file Attest reads: give a {accepted()} file, or a Zotero export ({exports})",
        )
    else:
        yield Outcome(name, SKIPPED, f"not a file Attest reads ({suffix or 'no extension'})")


def _plan_export(path: Path, name: str, seen: set[Path]):
    try:
        entries = read_export(path)
    except ImportRefused as refusal:
        yield Outcome(name, FAILED, f"{refusal} Give a CSL-JSON or BibTeX export from Zotero.")
        return
    except OSError as error:
        yield Outcome(name, FAILED, f"cannot be read ({error.strerror})")
        return
    except Exception as error:  # as a document that breaks its reader (_run)
        logger.exception("Reading the export %s failed", name)
        yield Outcome(name, FAILED, f"could not be read ({type(error).__name__}: {error})")
        return
    if not entries:
        yield Outcome(name, SKIPPED, "the export holds no entries")
    for entry in entries:
        seen.update(attachment.resolve() for attachment in entry.attachments)
        yield _Task(f"{name} › {entry.label}", partial(_import_entry, entry, name))


# ---------------------------------------------------------------------------------------------
# Importing one


def _import_file(path: Path, name: str, user) -> Outcome:
    try:
        data = _read_file(path)
        document = read_upload(path.name, data, max_bytes=max_bytes())
    except ImportRefused as refusal:
        return Outcome(name, FAILED, str(refusal))
    return _save(document, document.proposal, name=name, origin=name, original=data, user=user)


def _import_entry(entry: ExportEntry, export: str, user) -> Outcome:
    name = f"{export} › {entry.label}"
    if entry.problem:
        return Outcome(name, FAILED, entry.problem)
    if not entry.attachments:
        if entry.named_files:
            return Outcome(name, FAILED, f"attached file not found: {', '.join(entry.named_files)}")
        return Outcome(name, FAILED, "no attached file")
    readable = [path for path in entry.attachments if path.suffix.lower() in readable_suffixes()]
    if not readable:
        suffixes = ", ".join(
            sorted({path.suffix.lower() or path.name for path in entry.attachments})
        )
        return Outcome(name, FAILED, f"no attached file Attest reads ({suffixes})")
    refusals = []
    for path in readable:
        try:
            data = _read_file(path)
            document = read_upload(path.name, data, max_bytes=max_bytes())
        except ImportRefused as refusal:
            refusals.append(str(refusal))
            continue
        proposal = entry.proposal.fill(document.proposal)  # what the export says wins
        origin = f"{export} ({entry.label})"
        return _save(document, proposal, name=name, origin=origin, original=data, user=user)
    return Outcome(name, FAILED, " ".join(refusals))


def _import_url(url: str, user) -> Outcome:
    from sources.importing.url import fetch_url  # httpx: loaded only when a URL is given

    if repeated := _repeats(text="", url=url):
        return Outcome(
            url, SKIPPED, f"{repeated.why} as {repeated.source.key}", repeated.source.key
        )
    try:
        document = fetch_url(url)
    except ImportRefused as refusal:
        return Outcome(url, FAILED, str(refusal))
    # The bytes fetched are kept as the original, as an uploaded file is.
    original = document.original or None
    return _save(document, document.proposal, name=url, origin=url, original=original, user=user)


def _read_file(path: Path) -> bytes:
    limit = max_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            raise ImportRefused(too_large(path.name, size, limit))
        return path.read_bytes()
    except OSError as error:
        raise ImportRefused(f"“{path.name}” cannot be read ({error.strerror}).") from error


def _repeats(*, text: str, url: str):
    """The strongest sign that the archive holds this document already, or None."""
    duplicates = find_duplicates(text=text, url=url if normalise_url(url) else "")
    return duplicates[0] if duplicates else None


def _save(
    document: ImportedDocument, proposal: Proposal, *, name: str, origin: str, original, user
) -> Outcome:
    from sources.models import Source
    from sources.services import source_save

    if repeated := _repeats(text=document.text, url=proposal.url):
        return Outcome(
            name, SKIPPED, f"{repeated.why} as {repeated.source.key}", repeated.source.key
        )
    values = proposal.values()
    values.setdefault("title", _title(document, name))
    # Nobody is asked here: a kind the document does not state is "other", never assumed.
    values.setdefault("kind", Source.Kind.OTHER)
    source = Source(**values, text=document.text, is_public=False)
    source.key = _distinct_key(propose_key(proposal))
    source.page_starts = list(document.page_starts)
    if original is not None:
        source.original = ContentFile(original, name=_original_name(document.filename or name))
    try:
        source_save(
            source=source, user=user, change_reason=f"Imported from {origin}"[:REASON_LENGTH]
        )
    except ValidationError as error:
        return Outcome(name, FAILED, _invalid(error))
    return Outcome(name, IMPORTED, key=source.key)


def _distinct_key(base: str) -> str:
    """The key proposed, or base-2, base-3… whichever no source holds yet: one query."""
    from sources.models import Source

    taken = Source.objects.filter(key__startswith=base).values_list("key", flat=True)
    return distinct_key(base, set(taken))


def _title(document: ImportedDocument, name: str) -> str:
    """A title for a document that states none: its file's name without the extension."""
    return PurePath(document.filename or name).stem[:500] or name[:500]


def _original_name(filename: str) -> str:
    path = PurePath(filename)
    if len(path.name) <= ORIGINAL_NAME_LENGTH:
        return path.name
    return path.stem[: ORIGINAL_NAME_LENGTH - len(path.suffix[:10])] + path.suffix[:10]


def _invalid(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
