import inspect
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from sources.common import public_cache
from tests.factories import curator, editor

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _names(code) -> set[str]:
    """Every name a function's code uses, its lambdas and comprehensions included."""
    names = set(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            names |= _names(const)
    return names


def _wall_clock_readers(module) -> set[str]:
    """The module's functions that read time.perf_counter, directly or through one another."""
    functions = {
        name: _names(value.__code__)
        for name, value in vars(module).items()
        if inspect.isfunction(value) and value.__module__ == module.__name__
    }
    readers = {"perf_counter"}
    while grown := {name for name, used in functions.items() if used & readers} - readers:
        readers |= grown
    return readers


def pytest_collection_modifyitems(config, items):
    """Mark `wall_clock` the tests that assert how long something took (they read
    time.perf_counter, themselves or through a helper of their module).

    `make test` runs the suite in parallel, a worker per core, then these on their own: on two
    cores a neighbouring worker doubles their time. A test may also be marked by hand.
    """
    readers = {}
    for item in items:
        function, module = getattr(item, "function", None), getattr(item, "module", None)
        if function is None or module is None:
            continue
        if module not in readers:
            readers[module] = _wall_clock_readers(module)
        if _names(function.__code__) & readers[module]:
            item.add_marker(pytest.mark.wall_clock)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """A cheap hasher for the whole suite: PBKDF2 costs about half a second per account made or
    logged in. Production settings keep Django's default; a manage.py run in a subprocess does
    not see this."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


# Background tasks run in the request, inside the saving transaction (the immediate backend),
# here and in the servers the suite starts; the worker path has tests of its own.
os.environ["TASK_BACKEND"] = "immediate"
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": settings.TASK_QUEUES,
    }
}


@pytest.fixture(scope="session", autouse=True)
def _immediate_tasks():
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded originals, and files waiting for their source, go to a temporary folder: tests
    never write into the project's media/."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
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
