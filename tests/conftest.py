import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from sources.common import public_cache
from tests.factories import curator, editor

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """A cheap hasher for the whole suite: PBKDF2 costs about half a second per account made or
    logged in. Production settings keep Django's default; a manage.py run in a subprocess does
    not see this."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: SQLite hands out again the ids of rolled-back rows,
    so a public page cached by one test could match the content clock of the next."""
    cache.clear()
    public_cache.clock_forget()


@pytest.fixture
def postgres_only():
    """Skip a test that needs PostgreSQL when the suite runs on SQLite."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def team_user():
    """An editor, the team member most tests act as."""
    return editor(username="ed")


@pytest.fixture
def team(team_user):
    """A browser logged in as an editor (the `client` fixture stays anonymous)."""
    browser = Client()
    browser.force_login(team_user)
    return browser


@pytest.fixture
def editor_client(db):
    """A browser logged in as a fresh editor."""
    browser = Client()
    browser.force_login(editor())
    return browser


@pytest.fixture
def curator_client(db):
    """A browser logged in as a fresh curator."""
    browser = Client()
    browser.force_login(curator())
    return browser
