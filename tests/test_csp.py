"""The Content Security Policy: every response carries it, and it lets no inline script run."""

import pytest

from tests.factories import SourceFactory, curator

pytestmark = pytest.mark.django_db


def policy_of(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy header as {directive: [sources]}."""
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


@pytest.mark.parametrize(
    "path", ["/", "/actors/", "/sources/", "/accounts/login/", "/admin/login/", "/no-such-page/"]
)
def test_every_page_carries_a_policy_without_inline_script(client, path):
    policy = policy_of(client.get(path))
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for directive in ("default-src", "script-src", "style-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'", "data:", "*"} & set(policy[directive])


def test_the_admin_is_under_the_same_policy(client):
    client.force_login(curator())
    policy = policy_of(client.get("/admin/wiki/actor/"))
    assert policy["script-src"] == ["'self'"]
    # The one style attribute allowed is allowed by its hash, not by 'unsafe-inline'.
    assert "'unsafe-inline'" not in policy["style-src-attr"]
    assert all(source.startswith("'sha256-") for source in policy["style-src-attr"][1:])


@pytest.mark.parametrize("extension", ["bib", "ris", "json"])
def test_citation_exports_are_never_read_as_html(client, extension):
    SourceFactory(key="xss", title="<script>alert(1)</script>", authors="<img src=x onerror=1>")
    response = client.get(f"/sources/xss/cite.{extension}")
    assert not response["Content-Type"].startswith(("text/html", "application/xhtml"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src" in policy_of(response)
