"""Fetching a document from the web for a new source, in the background.

Another server may take up to url.TOTAL_SECONDS to answer: the editor's request does not wait
for it. Step 1 enqueues `document_fetch` and answers at once; a worker downloads the document
and keeps the bytes (originals.keep, in the shared storage, so any web machine finds them);
the editor's page asks again every few seconds (`fetch_state`) and, once the download is there,
reads it into the step 2 form as it would read an upload. A refusal (a private address, a
timeout, a type Attest does not read) is the task's result, said next to the address field;
nothing is retried, since the editor is waiting and can try again.

A ticket names the task for the one editor who asked: signed, with their id inside.
"""

from dataclasses import dataclass
from datetime import date

from django.core import signing
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from sources.common.tasks import IMPORTS
from sources.importing import originals
from sources.importing.documents import ImportRefused
from sources.importing.url import Download, FetchedDocument, download, read_download

_DOWNLOAD_SALT = "sources.importing.fetching.download"
_TICKET_SALT = "sources.importing.fetching.ticket"
FAILED = "The document could not be fetched: the fetching failed. Try again, or upload the file."


@task(queue_name=IMPORTS)
def document_fetch(url: str, max_bytes: int) -> dict:
    """Download url; {"download": token} for the bytes kept, or {"refused": why}."""
    try:
        fetched = download(url, max_bytes=max_bytes)
    except ImportRefused as refusal:
        return {"refused": str(refusal)}
    meta = {"url": fetched.url, "content_type": fetched.content_type, "day": str(fetched.day)}
    return {"download": originals.keep(fetched.data, meta, salt=_DOWNLOAD_SALT)}


@dataclass(frozen=True)
class FetchState:
    """Where an editor's fetch stands: waiting, or done with a document or a refusal."""

    url: str
    waiting: bool = False
    document: FetchedDocument | None = None
    refused: str = ""


def fetch_start(url: str, *, max_bytes: int, user) -> tuple[str, FetchState | None]:
    """Enqueue the fetch of url for user: (the ticket to ask after it, its state when the
    backend ran it at once — the immediate backend — else None)."""
    result = document_fetch.enqueue(url, max_bytes)
    ticket = signing.dumps({"task": result.id, "user": user.pk, "url": url}, salt=_TICKET_SALT)
    return ticket, (_state(url, result, max_bytes) if result.is_finished else None)


def fetch_state(ticket: str, *, max_bytes: int, user) -> FetchState | None:
    """The state of the fetch a ticket names; None when it names none of this user's (a bad or
    stale ticket, another editor's, a task the backend no longer knows)."""
    try:
        asked = signing.loads(ticket, salt=_TICKET_SALT, max_age=originals.MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(asked, dict) or asked.get("user") != user.pk:
        return None
    try:
        result = document_fetch.get_result(asked["task"])
    except (TaskResultDoesNotExist, ValueError):
        return None
    return _state(asked["url"], result, max_bytes)


def _state(url: str, result, max_bytes: int) -> FetchState:
    if not result.is_finished:
        return FetchState(url, waiting=True)
    if result.status != TaskResultStatus.SUCCESSFUL:
        return FetchState(url, refused=FAILED)
    outcome = result.return_value
    if "refused" in outcome:
        return FetchState(url, refused=outcome["refused"])
    # Kept until it expires with the other pending files: the editor may load the page again.
    kept = originals.take(outcome["download"], salt=_DOWNLOAD_SALT)
    if kept is None:
        return FetchState(url, refused="The fetched document is no longer kept: fetch it again.")
    _, data, meta = kept
    fetched = Download(meta["url"], meta["content_type"], data, date.fromisoformat(meta["day"]))
    try:
        return FetchState(url, document=read_download(fetched, max_bytes=max_bytes))
    except ImportRefused as refusal:
        return FetchState(url, refused=str(refusal))
