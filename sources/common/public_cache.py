"""Public pages from the cache: anonymous readers get a page rendered once per state of the content.

A page shows more than its own revision: the pages it links to and that link to it, its relations
and the pages at their other ends, the passages it cites and their sources, the sources that
mention it. Rather than chase each of these (and miss the next section a page grows), a cached
page is keyed by the content clock, which moves whenever anything versioned is saved or deleted:
- the newest history row of every versioned model, which a save moves at once, inside its own
  transaction (so the saving process reads its own writes);
- the content version, a counter bumped after every commit that wrote history. History ids do
  not tell the order in which transactions commit: a page rendered between two commits that
  came out of order would otherwise keep the earlier state. The counter follows the commits.
Reading both is one query of primary-key look-ups, whatever the size of the wiki. The price is
that any edit renders each page anew, once; edits are rare next to reads.

The clock lives in the database because the cache need not be shared: with the default
LocMemCache every worker process has its own, and no signal sent in one could reach the others.
Each process trusts the clock it read for CLOCK_SECONDS, so that a crowd of readers costs the
database one query a second rather than one a page; a save in the process forgets it at once.
Other processes serve a change (an unpublished page is a 404) within that second, well inside
the MAX_AGE for which browsers and proxies may show a public page anyway.

The ETag is a hash of the stored bytes, so a 304 is never wrong about the content. Last-Modified
is when this URL first answered with those bytes: a change to a draft renders the page anew but
moves neither header, so outsiders cannot tell when the team works.

Only anonymous GET and HEAD requests for the canonical URL (no query string) are served from
the cache. The team sees drafts and edit controls: its pages are never stored, and are private.
Lives in sources, which the wiki builds on, so that both apps' pages can use it.
"""

import hashlib
import time
from dataclasses import dataclass
from functools import cache, partial, wraps

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache as page_cache
from django.db import connection, connections, transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from simple_history.models import HistoricalChanges
from simple_history.signals import post_create_historical_record

from sources.models import ContentVersion

MAX_AGE = 60  # seconds a browser or proxy may show a public page before asking again
CLOCK_SECONDS = 1.0  # how long a process trusts the content clock it read
CACHE_SECONDS = 600  # how long a rendered page is kept
MAX_BYTES = 2 * 1024 * 1024  # larger pages (a very long source) are rendered every time
SINCE_SECONDS = 30 * 24 * 3600  # how long a page's Last-Modified is remembered
KEY_PREFIX = "public-page"
VERSION_ROW = 1  # the one row of ContentVersion
_CONDITIONS = {
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
}


@dataclass(frozen=True)
class Clock:
    """The state of all content: the newest history id of each table and the content version."""

    token: str


@dataclass(frozen=True)
class CachedPage:
    """What is kept of a rendered page: its bytes and type, never its cookies."""

    etag: str  # quoted, as the header carries it
    last_modified: int | None
    content_type: str
    content: bytes

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, content_type=self.content_type)


@cache
def _clock_sql() -> str:
    """One row: every history table's newest id, and the content version (index look-ups)."""
    quote = connection.ops.quote_name
    columns = []
    for model in sorted(
        (m for m in apps.get_models() if issubclass(m, HistoricalChanges)),
        key=lambda model: model._meta.db_table,
    ):
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        columns.append(f"(SELECT MAX({pk}) FROM {table})")
    counter = ContentVersion._meta
    columns.append(
        f"(SELECT {quote(counter.get_field('version').column)} FROM {quote(counter.db_table)} "
        f"WHERE {quote(counter.pk.column)} = {VERSION_ROW})"
    )
    return "SELECT " + ", ".join(columns)


def content_clock() -> Clock:
    """The content clock: moves whenever any versioned thing is saved or deleted."""
    with connection.cursor() as cursor:
        cursor.execute(_clock_sql())
        row = cursor.fetchone()
    return Clock(token=",".join(str(value) for value in row))


def content_version_bump(using="default") -> None:
    """Count one more commit that changed content (run after the commit)."""
    rows = ContentVersion.objects.using(using).filter(pk=VERSION_ROW)
    if not rows.update(version=F("version") + 1):
        ContentVersion.objects.using(using).get_or_create(pk=VERSION_ROW)
        rows.update(version=F("version") + 1)


_last_read: dict[str, tuple[float, Clock]] = {}  # this process's latest reading, by database


def recent_clock() -> Clock:
    """The content clock as read at most CLOCK_SECONDS ago by this process."""
    now = time.monotonic()
    read = _last_read.get(connection.alias)
    if read is None or now - read[0] >= CLOCK_SECONDS:
        read = _last_read[connection.alias] = (now, content_clock())
    return read[1]


def clock_forget() -> None:
    """Forget the clock this process read, so that the next page reads it again."""
    _last_read.clear()


@receiver(post_create_historical_record)
def content_changed(**kwargs) -> None:
    """Something versioned was saved or deleted: forget the clock now (this process reads its
    own writes), and count the commit, once per transaction, when it has happened."""
    clock_forget()
    using = kwargs.get("using") or "default"
    pending = connections[using].run_on_commit  # emptied when the transaction rolls back
    if not any(getattr(entry[1], "counts_content", False) for entry in pending):
        bump = partial(_bumped, using)
        bump.counts_content = True
        transaction.on_commit(bump, using=using)


def _bumped(using) -> None:
    content_version_bump(using)
    clock_forget()


@cache
def _build() -> str:
    # A deploy with new static files must not serve pages that name the old ones.
    return getattr(staticfiles_storage, "manifest_hash", "") or ""


def _url(request) -> str:
    return f"{request.get_host()}|{request.path}"


def _cache_key(request, clock: Clock) -> str:
    parts = (_url(request), clock.token, _build())
    return f"{KEY_PREFIX}:{hashlib.sha256('|'.join(parts).encode()).hexdigest()}"


def _message_waiting(request) -> bool:
    # Messages wait in their cookie or in the session; without either cookie there are none,
    # and asking the message storage would cost a cookie signer on every request.
    if not {CookieStorage.cookie_name, settings.SESSION_COOKIE_NAME} & request.COOKIES.keys():
        return False
    return bool(len(get_messages(request)))


def _cacheable(request) -> bool:
    """An anonymous GET of the canonical URL with no message waiting to be shown."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
        and not _message_waiting(request)
    )


def _storable(request, response) -> bool:
    """A plain page, the same for every anonymous reader: no cookie, token or message in it."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token
        and not len(get_messages(request))
        and "private" not in response.get("Cache-Control", "")
        and len(response.content) <= MAX_BYTES
    )


def _private(response):
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _public(response, page: CachedPage):
    response["ETag"] = page.etag
    if page.last_modified is not None:
        response["Last-Modified"] = http_date(page.last_modified)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}, must-revalidate"
    patch_vary_headers(response, ("Cookie",))
    return response


def _first_served(request, etag: str) -> int:
    """When this URL first answered with these bytes (kept as long as it keeps answering so)."""
    key = f"{KEY_PREFIX}-since:{hashlib.sha256(_url(request).encode()).hexdigest()}"
    seen = page_cache.get(key)
    if seen is None or seen[0] != etag:
        seen = (etag, int(timezone.now().timestamp()))
    page_cache.set(key, seen, SINCE_SECONDS)
    return seen[1]


def _rendered(request, response) -> CachedPage:
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    return CachedPage(
        etag=etag,
        last_modified=_first_served(request, etag),
        content_type=response["Content-Type"],
        content=response.content,
    )


def cache_public_page(view):
    """Serve a read view to anonymous readers from the cache, with ETag and conditional GET."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return _private(view(request, *args, **kwargs))
        clock = recent_clock()
        key = _cache_key(request, clock)
        page, response = page_cache.get(key), None
        if page is None:
            response = view(request, *args, **kwargs)
            if not _storable(request, response):
                return _private(response)
            page = _rendered(request, response)
            page_cache.set(key, page, CACHE_SECONDS)
        conditional = None
        if _CONDITIONS & request.META.keys():
            conditional = get_conditional_response(
                request, etag=page.etag, last_modified=page.last_modified
            )
        return _public(conditional or response or page.response(), page)

    return wrapper
