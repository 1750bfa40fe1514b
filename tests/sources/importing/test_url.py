"""Fetching a document from a URL: a local server serves pages, redirects, a large and a slow
body; private addresses are refused unless the setting allows them, on every hop."""

import ipaddress
import socket
import time
from datetime import date

import pytest

from sources.importing import url as fetching
from sources.importing.documents import ImportRefused
from sources.importing.url import check_url, fetch_url, is_public_address


@pytest.fixture
def allowed(settings):
    settings.ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS = True


@pytest.fixture
def refused(settings):
    settings.ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS = False


# ---------------------------------------------------------------------------------------------
# With private hosts allowed (the test server is on 127.0.0.1)


def test_a_web_page_is_read_with_where_and_when_it_was_fetched(server, allowed):
    document = fetch_url(f"{server}/page", today=date(2024, 5, 1))
    assert "held by several armed groups" in document.text
    assert document.format == "html"
    assert document.filename == "page.html"
    proposal = document.proposal
    assert proposal.title == "Sirte: who's who"
    assert proposal.publisher == "IRIN"  # og:site_name beats the host
    assert proposal.url == f"{server}/page"
    assert proposal.accessed == date(2024, 5, 1)
    assert proposal.evidence["url"] == "the address it was fetched from"
    assert proposal.evidence["accessed"] == "the day it was fetched"


def test_plain_text_is_read_by_its_content_type(server, allowed):
    document = fetch_url(f"{server}/notes.txt")
    assert document.format == "text"
    assert document.proposal.publisher == "127.0.0.1"  # nothing better: the host
    assert document.proposal.evidence["publisher"] == "the site’s address"


def test_a_redirect_chain_is_followed_to_its_end(server, allowed):
    document = fetch_url(f"{server}/hop/{fetching.MAX_REDIRECTS}")
    assert document.proposal.url == f"{server}/page"


def test_too_many_redirects_are_refused(server, allowed):
    with pytest.raises(ImportRefused, match="redirects more than 5 times"):
        fetch_url(f"{server}/hop/{fetching.MAX_REDIRECTS + 1}")


def test_a_redirect_to_loopback_is_followed_when_allowed(server, allowed):
    assert "Sirte" in fetch_url(f"{server}/to-loopback").text


def test_a_redirect_to_another_scheme_is_refused(server, allowed):
    with pytest.raises(ImportRefused, match="not an http or https address"):
        fetch_url(f"{server}/to-ftp")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/image", "is image/png, not a document Attest reads"),
        ("/missing", "answered 404 Not Found"),
        ("/big", "is larger than"),
        ("/big-unannounced", "is larger than"),
    ],
)
def test_what_is_not_a_readable_document_is_refused(server, allowed, path, message):
    with pytest.raises(ImportRefused, match=message):
        fetch_url(f"{server}{path}", max_bytes=100_000)


def test_a_body_that_trickles_in_runs_out_of_time(server, allowed):
    started = time.monotonic()
    with pytest.raises(ImportRefused, match="took too long"):
        fetch_url(f"{server}/slow", total_seconds=0.5)
    assert time.monotonic() - started < 3


def test_the_request_names_the_host_it_was_asked_for(server, allowed):
    port = server.rsplit(":", 1)[1]
    document = fetch_url(f"http://localhost:{port}/host")
    assert document.text == f"localhost:{port}"


def test_a_host_that_does_not_resolve_is_refused(allowed):
    with pytest.raises(ImportRefused, match="could not be found"):
        fetch_url("http://no-such-host.invalid/")


# ---------------------------------------------------------------------------------------------
# With private hosts refused (the default)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_refused(server, refused, host):
    port = server.rsplit(":", 1)[1]
    with pytest.raises(ImportRefused, match="loopback, private or reserved address"):
        fetch_url(f"http://{host}:{port}/page")


def test_a_redirect_from_an_allowed_host_to_a_private_one_is_refused(server, monkeypatch):
    # The test server stands in for a public host: its first hop passes the check, the next
    # (to 127.0.0.1) must be checked again and refused.
    checked, real = [], fetching.resolve

    def resolve(host, port, *, allow_private):
        checked.append(host)
        return real(host, port, allow_private=len(checked) == 1)

    monkeypatch.setattr(fetching, "resolve", resolve)
    with pytest.raises(ImportRefused, match="“127.0.0.1” is at 127.0.0.1"):
        fetch_url(f"{server}/to-loopback", allow_private=False)
    assert checked == ["127.0.0.1", "127.0.0.1"]


def test_the_connection_goes_to_the_address_that_was_checked(server, monkeypatch):
    # A second DNS answer (rebinding) never reaches the connection: it is made to the address
    # the first answer gave, which was checked.
    real, asked = socket.getaddrinfo, []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "rebinding.example":  # the address itself, as the socket connects to it
            return real(host, port, *args, **kwargs)
        asked.append(host)
        address = "127.0.0.1" if len(asked) == 1 else "192.0.2.1"  # the second, unreachable
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    port = server.rsplit(":", 1)[1]
    document = fetch_url(f"http://rebinding.example:{port}/host", allow_private=True)
    assert document.text == f"rebinding.example:{port}"
    assert asked == ["rebinding.example"]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # shared address space
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
    ],
)
def test_addresses_off_the_open_internet_are_not_public(address):
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_addresses_on_the_open_internet_are_public(address):
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url", ["ftp://example.org/a", "file:///etc/passwd", "javascript:alert(1)", "http://"]
)
def test_only_http_and_https_addresses_are_fetched(url):
    with pytest.raises(ImportRefused):
        check_url(url)


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://2130706433/"],
)
def test_private_addresses_are_refused_before_connecting(url, refused):
    with pytest.raises(ImportRefused, match="loopback, private or reserved"):
        fetch_url(url)


def test_a_text_in_the_encoding_its_server_names_is_read(server, allowed):
    document = fetch_url(f"{server}/latin1")
    assert document.text == "Café in Kandahar."
    assert document.original == "Café in Kandahar.".encode("latin-1")  # kept as it came


def test_https_is_asked_of_the_checked_address_under_the_host_s_name(monkeypatch):
    # TLS goes to the address that was checked, with the host's name as SNI, so that the
    # certificate is verified against the name.
    monkeypatch.setattr(fetching, "resolve", lambda host, port, *, allow_private: "93.184.216.34")
    asked = {}

    def stream(self, method, url, *, headers, extensions):
        asked.update(url=str(url), host=headers["Host"], extensions=extensions)
        raise fetching.httpx.ConnectError("stop here")

    monkeypatch.setattr(fetching.httpx.Client, "stream", stream)
    with pytest.raises(ImportRefused, match="could not be fetched"):
        fetch_url("https://example.org:8443/report.pdf#p2", allow_private=False)
    assert asked == {
        "url": "https://93.184.216.34:8443/report.pdf",
        "host": "example.org:8443",
        "extensions": {"sni_hostname": "example.org"},
    }
