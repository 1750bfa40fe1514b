"""Fixtures shared by the tests of sources."""

from tests.sources.local_web import server  # noqa: F401 - a local web server to fetch from
