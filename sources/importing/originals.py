"""The uploaded file, kept between reading it (step 1 of a new source) and saving the source
(step 2), then stored as the source's original.

Step 1 puts the file's bytes, the text read from it and its page starts in the storage under
pending/<random name>, and gives the confirm form a signed token naming only that random name.
Step 2 takes them back from the token: a token that was not signed here, or is older than a day,
names nothing, and no token can name any other file (the name is random, checked against its
pattern, and always under pending/). The page starts are never taken from the browser.

A document fetched from the web in the background waits here the same way between the worker
that fetched it and the editor's next request (sources.importing.fetching), under a salt of its
own, so that neither token can stand for the other.

No database: file storage only (default_storage: under MEDIA_ROOT, or in the bucket when
STORAGE_BUCKET is set, so that every web machine finds a file another one kept).
"""

import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from sources.citations.pages import shift_page_starts

PENDING = "pending"
MAX_AGE = timedelta(days=1)
_SALT = "sources.importing.originals"
_NAME = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass(frozen=True)
class Pending:
    """An uploaded file waiting for its source: its name, its bytes, what was read from it."""

    filename: str
    data: bytes
    text: str
    page_starts: tuple[int, ...]
    name: str  # the random name it waits under

    def discard(self) -> None:
        """Stop keeping it (once the source holds it)."""
        discard(self.name)

    def apply(self, source) -> None:
        """Give an unsaved source its original file and page starts, moved with any change the
        editor made to the text before saving it."""
        source.page_starts = shift_page_starts(list(self.page_starts), self.text, source.text)
        source.original.save(_stored_name(self.filename), ContentFile(self.data), save=False)


def stash(document, data: bytes) -> str:
    """Keep an uploaded file and what was read from it until the source is saved; the token."""
    meta = {"filename": document.filename, "text": document.text}
    meta["page_starts"] = list(document.page_starts)
    return keep(data, meta, salt=_SALT)


def claim(token: str) -> Pending | None:
    """The file a token names; None for a bad, expired or used token. It waits until
    discarded, so that a save refused for another reason can be made again with it."""
    kept = take(token, salt=_SALT)
    if kept is None:
        return None
    name, data, meta = kept
    return Pending(meta["filename"], data, meta["text"], tuple(meta["page_starts"]), name)


def keep(data: bytes, meta: dict, *, salt: str) -> str:
    """Keep bytes and what is known of them (JSON) under a random name; a token signed with
    salt names them (each kind of thing kept has its own salt: no token names another kind)."""
    _prune()
    name = secrets.token_urlsafe(24)
    data_path, meta_path = _paths(name)
    default_storage.save(data_path, ContentFile(data))
    default_storage.save(meta_path, ContentFile(json.dumps(meta).encode()))
    return signing.dumps(name, salt=salt)


def take(token: str, *, salt: str) -> tuple[str, bytes, dict] | None:
    """(name, bytes, what is known of them) that a token signed with salt names; None for a
    bad, expired or used token. They stay until discard(name)."""
    try:
        name = signing.loads(token or "", salt=salt, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return None
    paths = _paths(name)
    if not all(default_storage.exists(path) for path in paths):
        return None
    with default_storage.open(paths[0]) as file:
        data = file.read()
    with default_storage.open(paths[1]) as file:
        meta = json.loads(file.read())
    return name, data, meta


def discard(name: str) -> None:
    """Stop keeping what waits under name."""
    for path in _paths(name):
        default_storage.delete(path)


def _paths(name: str) -> tuple[str, str]:
    return f"{PENDING}/{name}.bin", f"{PENDING}/{name}.json"


def _prune() -> None:
    """Drop files whose source was never saved, once their token has expired."""
    try:
        _, files = default_storage.listdir(PENDING)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - MAX_AGE
    for file in files:
        path = f"{PENDING}/{file}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


def _stored_name(filename: str) -> str:
    """A safe name to store the original under: the upload's own, without its folders."""
    path = PurePath(filename.replace("\\", "/"))
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip(".-")[:80] or "original"
    suffix = re.sub(r"[^A-Za-z0-9.]", "", path.suffix)[:10].lower()
    return f"{stem}{suffix}"
