"""A document fetched from a URL: a web page or a PDF, read as an uploaded file is.

No database. The fetch guards the server it runs on as much as the person who asked:

- only http and https;
- the host is resolved and every address it gives is checked: loopback, private, link-local,
  reserved, multicast and unspecified addresses (IPv4 and IPv6, an IPv4 address inside an IPv6
  one too) are refused, unless ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS is set (tests, an intranet);
- the connection goes to the very address that was checked (the URL carries the address, the
  Host header and TLS's server name the host's name, and the certificate is checked against the
  name), so a second DNS answer cannot slip a private address in between check and connect;
- redirects are followed by hand, each hop checked like the first, at most MAX_REDIRECTS;
- a connect and a read timeout, and a budget for the whole fetch (a body that trickles in);
- the body is streamed and dropped past the size limit;
- the content type must name a format Attest reads (formats.py); the bytes are then read by that
  format as an upload is, so a fetched document is kept and saved exactly as an uploaded one.
"""

import codecs
import ipaddress
import re
import socket
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import httpx
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from sources.importing.documents import ImportedDocument, ImportRefused
from sources.importing.formats import accepted, content_type_format, read_upload
from sources.importing.metadata import propose_from_fetch

MAX_REDIRECTS = 5
CONNECT_SECONDS = 5.0
READ_SECONDS = 10.0
TOTAL_SECONDS = 30.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = "Attest (research wiki; imports a document a researcher asked for)"
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class FetchedDocument(ImportedDocument):
    """A document read from a URL, with the bytes it was read from (kept as its original, as an
    uploaded file is) and the content type the server gave."""

    original: bytes = b""
    content_type: str = ""


@dataclass(frozen=True)
class Download:
    """What a server sent for an address: the bytes, their stated type, where they came from
    (after redirects) and on which day. Read into a document by read_download."""

    url: str
    content_type: str
    data: bytes
    day: date


def fetch_url(url: str, *, max_bytes: int | None = None, **download_options) -> FetchedDocument:
    """The document at url, read by its format, with the address and the day it was fetched;
    `original` holds the bytes it was read from. download_options: download()'s.

    ImportRefused, in words the person reads, for anything not fetched: a refused address, a
    failed connection, a timeout, a body over max_bytes, a type Attest does not read.
    max_bytes and allow_private default to the settings ATTEST_MAX_UPLOAD_BYTES and
    ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS.
    """
    fetched = download(url, max_bytes=max_bytes, **download_options)
    return read_download(fetched, max_bytes=max_bytes)


def download(
    url: str,
    *,
    max_bytes: int | None = None,
    allow_private: bool | None = None,
    total_seconds: float = TOTAL_SECONDS,
    today: date | None = None,
) -> Download:
    """The bytes at url, as fetch_url fetches them (the same checks, limits and refusals),
    not yet read: the part that waits on another server."""
    max_bytes = _max_bytes(max_bytes)
    if allow_private is None:
        allow_private = getattr(settings, "ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS", False)
    deadline = time.monotonic() + total_seconds
    final_url, content_type, data = _fetch(url.strip(), max_bytes, allow_private, deadline)
    return Download(final_url, content_type, data, today or date.today())


def read_download(fetched: Download, *, max_bytes: int | None = None) -> FetchedDocument:
    """The document in what was downloaded, read by the format its content type names."""
    max_bytes = _max_bytes(max_bytes)
    fmt = content_type_format(fetched.content_type)
    if fmt is None:  # download() refuses these; a kept download is checked again all the same
        raise ImportRefused(f"“{fetched.url}” is not a document Attest reads.")
    # The registry reads it as the upload of a file with the format's own extension.
    readable = _declared_as_utf8(fetched.data, fetched.content_type, fmt)
    name = _file_name(fetched.url, fmt.extensions)
    document = read_upload(name, readable, max_bytes=max_bytes)
    proposal = propose_from_fetch(document.proposal, fetched.url, fetched.day)
    fields = {name: getattr(document, name) for name in document.__dataclass_fields__}
    document = FetchedDocument(**fields, original=fetched.data, content_type=fetched.content_type)
    return replace(document, proposal=proposal)


def _max_bytes(given: int | None) -> int:
    if given is not None:
        return given
    return getattr(settings, "ATTEST_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


# ---------------------------------------------------------------------------------------------
# Addresses


def check_url(url: str) -> httpx.URL:
    """url parsed, if it is an http or https address with a host; else ImportRefused."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise ImportRefused(f"“{url}” is not a web address.") from error
    if parsed.scheme not in ("http", "https"):
        raise ImportRefused(f"“{url}” is not an http or https address; Attest fetches only those.")
    if not parsed.host:
        raise ImportRefused(f"“{url}” names no host.")
    return parsed


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for an address on the open internet; False for loopback, private, link-local,
    reserved, multicast and unspecified ones, and for IPv6 wrapping such an IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None and not is_public_address(embedded):
            return False
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to for host: every address it resolves to must be public (unless
    allow_private); ImportRefused naming the host and the address otherwise."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ImportRefused(f"The host “{host}” could not be found.") from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise ImportRefused(f"The host “{host}” could not be found.")
    if not allow_private:
        for address in addresses:
            if not is_public_address(address):
                raise ImportRefused(
                    f"“{host}” is at {address}, a loopback, private or reserved address: "
                    "Attest fetches documents from the open internet only."
                )
    return str(addresses[0])


# ---------------------------------------------------------------------------------------------
# Fetching


def _fetch(url: str, max_bytes: int, allow_private: bool, deadline: float):
    """(final URL, content type, body) of url, redirects followed by hand and each checked."""
    timeout = httpx.Timeout(CONNECT_SECONDS, read=READ_SECONDS)
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            if time.monotonic() > deadline:
                raise ImportRefused(f"“{url}” took too long to fetch; try again later.")
            parsed = check_url(url)
            port = parsed.port or _PORTS[parsed.scheme]
            address = resolve(parsed.host, port, allow_private=allow_private)
            try:
                with _send(client, parsed, address) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        url = urljoin(str(parsed), response.headers["location"])
                        continue
                    return str(parsed), *_body(url, response, max_bytes, deadline)
            except httpx.TimeoutException as error:
                raise ImportRefused(f"“{url}” did not answer in time.") from error
            except httpx.HTTPError as error:
                raise ImportRefused(f"“{url}” could not be fetched: {_reason(error)}.") from error
    raise ImportRefused(
        f"“{url}” redirects more than {MAX_REDIRECTS} times; give the document's own address."
    )


_PORTS = {"http": 80, "https": 443}


def _send(client: httpx.Client, parsed: httpx.URL, address: str):
    """Stream a GET of parsed from the checked address: its name goes in Host and in TLS's SNI
    (the certificate is verified against the name, not the address)."""
    headers = {"Host": parsed.netloc.decode("ascii"), "User-Agent": USER_AGENT}
    return client.stream(
        "GET",
        parsed.copy_with(host=address, fragment=None),
        headers={**headers, "Accept-Encoding": "identity"},  # the size limit counts real bytes
        extensions={"sni_hostname": parsed.host} if parsed.scheme == "https" else {},
    )


def _body(url: str, response: httpx.Response, max_bytes: int, deadline: float):
    """(content type, body) of a response Attest can read, or ImportRefused saying why not."""
    if response.status_code != 200:
        raise ImportRefused(
            f"“{url}” answered {response.status_code} {response.reason_phrase}, not a document."
        )
    content_type = response.headers.get("content-type", "")
    if content_type_format(content_type) is None:
        named = content_type.partition(";")[0].strip() or "of no stated type"
        raise ImportRefused(
            f"“{url}” is {named}, not a document Attest reads (a web page or a {accepted()} file)."
        )
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise ImportRefused(_too_large(url, max_bytes))
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise ImportRefused(_too_large(url, max_bytes))
        if time.monotonic() > deadline:
            raise ImportRefused(f"“{url}” took too long to send; try again later.")
        chunks.append(chunk)
    return content_type, b"".join(chunks)


_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def _declared_as_utf8(data: bytes, content_type: str, fmt) -> bytes:
    """A text the server says is in another encoding (and which says nothing itself), as UTF-8:
    the reader would otherwise refuse it. The original bytes are kept as they came."""
    match = _CHARSET.search(content_type)
    if fmt.read_bytes is not None or not match or data.startswith(_BOMS):
        return data
    if fmt.declared_charset is not None and fmt.declared_charset(data):
        return data  # the document's own declaration wins, as for an upload
    try:
        if codecs.lookup(match[1]).name == "utf-8":
            return data
        return data.decode(match[1]).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return data  # read as sent: the reader says what is wrong with it


_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _too_large(url: str, max_bytes: int) -> str:
    return f"“{url}” is larger than {filesizeformat(max_bytes)}, the largest document Attest reads."


def _reason(error: httpx.HTTPError) -> str:
    return str(error) or type(error).__name__


def _file_name(url: str, extensions: tuple[str, ...]) -> str:
    """A file name for the fetched document: the last part of its path, with an extension of
    the format its content type named ("report.pdf", "example.org.html")."""
    parts = urlsplit(url)
    name = PurePosixPath(unquote(parts.path)).name or parts.hostname or "document"
    suffix = PurePosixPath(name).suffix.lower()
    return name if suffix in extensions else f"{name}{extensions[0]}"
