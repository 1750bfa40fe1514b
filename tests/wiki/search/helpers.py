"""Pages and sources written through the save services, as real edits are, so they are indexed."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils.text import slugify

from sources.services import source_save
from tests.factories import ActorFactory, SourceFactory
from wiki.search.query import search
from wiki.services import page_save


def page(title, *, factory=ActorFactory, aliases="", summary="", body="", public=True, tags=None):
    """A page saved with page_save (so the index holds it)."""
    entry = factory.build(
        title=title, slug=slugify(title), aliases=aliases, summary=summary, is_public=public
    )
    return page_save(page=entry, body=body, user=None, tags=tags)


def source(key, *, title="A report", text="", public=True, tags=None, **fields):
    """A source saved with source_save (so the index holds it)."""
    built = SourceFactory.build(key=key, title=title, text=text, is_public=public, **fields)
    return source_save(source=built, user=None, tags=tags)


def titles(query, user=None, **filters):
    """The titles of the first page of results, best first."""
    found = search(query, user=user or AnonymousUser(), **filters)
    return [result.title for result in found.results]


@pytest.fixture
def sqlite_only():
    """Skip a test of the SQLite fallback when the suite runs on PostgreSQL."""
    if connection.vendor != "sqlite":
        pytest.skip("tests the SQLite fallback")
