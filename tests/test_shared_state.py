"""Shared state for several web machines: the cache (public pages, rate-limit counts, sessions)
in Redis, and the originals in an S3-compatible bucket, chosen by the environment.

The Redis tests use database 15 under a key prefix of their own and remove only their own keys.
Locally they are skipped when no Redis answers on 127.0.0.1:6379; in CI (CI=true), which starts
one, they fail instead, so that a missing Redis can never pass for a green suite.
The S3 tests run against moto in server mode: a real S3 API over HTTP on the loopback.
"""

import os
import runpy
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from sources.common import accounts, public_cache
from sources.importing import originals
from sources.models import Source
from sources.publishing import source_publish
from sources.services import source_save
from tests.factories import SourceFactory, UserFactory
from tests.s3_server import ACCESS_KEY, REGION, SECRET_KEY, s3_bucket, s3_endpoint  # noqa: F401
from tests.sources.views.test_originals import confirm, read_step

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "config" / "settings.py"
REDIS = "django.core.cache.backends.redis.RedisCache"
REDIS_URL = "redis://127.0.0.1:6379/15"
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
SHARED_STATE_VARIABLES = (
    "CACHE_BACKEND",
    "CACHE_LOCATION",
    "STORAGE_BUCKET",
    "STORAGE_ENDPOINT_URL",
    "STORAGE_ACCESS_KEY",
    "STORAGE_SECRET_KEY",
    "STORAGE_REGION",
)


def settings_from(**env) -> dict:
    """The settings module as it reads with these environment variables (and DEBUG on)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in SHARED_STATE_VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("DEBUG", "1")
        for name, value in env.items():
            patch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))


# ---------------------------------------------------------------------------------------------
# The settings


def test_locally_the_cache_is_per_process_and_sessions_stay_in_the_database():
    read = settings_from()
    assert read["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert read["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert read["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_redis_cache_holds_the_sessions_too_and_never_waits_forever():
    read = settings_from(CACHE_BACKEND=REDIS, CACHE_LOCATION="redis://cache.internal:6379/0")
    assert read["CACHES"]["default"]["BACKEND"] == REDIS
    assert read["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert read["CACHES"]["default"]["OPTIONS"]["socket_timeout"] > 0
    assert read["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_a_bucket_holds_the_originals_privately():
    read = settings_from(
        STORAGE_BUCKET="attest-originals",
        STORAGE_ENDPOINT_URL="https://s3.example.org",
        STORAGE_ACCESS_KEY="key",
        STORAGE_SECRET_KEY="secret",
        STORAGE_REGION="eu-central-1",
    )
    storage = read["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    expected = {
        "bucket_name": "attest-originals",
        "endpoint_url": "https://s3.example.org",
        "access_key": "key",
        "secret_key": "secret",
        "region_name": "eu-central-1",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    assert expected.items() <= storage["OPTIONS"].items()


def test_without_keys_the_bucket_takes_the_machines_own_credentials():
    options = settings_from(STORAGE_BUCKET="attest-originals")["STORAGES"]["default"]["OPTIONS"]
    assert not {"access_key", "secret_key", "endpoint_url"} & options.keys()


# ---------------------------------------------------------------------------------------------
# Redis


def _redis_or_skip() -> redis.Redis:
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        server.ping()
    except redis.RedisError as error:
        message = f"no Redis answers at {REDIS_URL} ({error})"
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(f"{message}: CI starts one (.ci/run), so this is a failure, not a skip")
        pytest.skip(message)
    return server


@pytest.fixture
def shared_cache(settings):
    """The settings' Redis cache under a key prefix of this test's own, and a second alias
    for the same cache (another machine's connection): the raw Redis client and the prefix.
    Only the prefix's keys are removed afterwards."""
    server = _redis_or_skip()
    prefix = f"attest-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    read = settings_from(CACHE_BACKEND=REDIS, CACHE_LOCATION=REDIS_URL)
    default = read["CACHES"]["default"] | {"KEY_PREFIX": prefix}
    settings.CACHES = {"default": default, "other-machine": dict(default)}
    settings.SESSION_ENGINE = read["SESSION_ENGINE"]
    yield server, prefix
    for alias in ("default", "other-machine"):
        caches[alias].close()
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)
    server.close()


@dataclass
class Machine:
    """One web machine: its own connection to the shared cache, and its own reading of the
    content clock (a process trusts the one it read for public_cache.CLOCK_SECONDS)."""

    cache: BaseCache
    clock: dict = field(default_factory=dict)

    @contextmanager
    def running(self):
        with mock.patch.multiple(public_cache, page_cache=self.cache, _last_read=self.clock):
            yield

    def get(self, url):
        with self.running():
            return Client().get(url)

    def a_second_later(self):
        self.clock.clear()


@pytest.fixture
def machines(shared_cache):
    first, second = (Machine(caches.create_connection("default")) for _ in range(2))
    assert first.cache._cache is not second.cache._cache  # two clients, two connection pools
    yield first, second
    first.cache.close()
    second.cache.close()


def _keys(server, prefix, name) -> list[bytes]:
    return list(server.scan_iter(match=f"{prefix}:*{name}*"))


def test_a_public_page_rendered_on_one_machine_is_served_from_redis_on_the_other(
    shared_cache, machines
):
    server, prefix = shared_cache
    first, second = machines
    source = SourceFactory(key="northern", title="Northern Provinces")
    url = source.get_absolute_url()

    rendered = first.get(url)
    assert rendered.status_code == 200
    assert "Northern Provinces" in rendered.content.decode()
    assert _keys(server, prefix, public_cache.KEY_PREFIX)

    # A write that bypasses history does not move the content clock: the other machine, which
    # never rendered the page, still shows the stored one, so it came from Redis.
    Source.objects.filter(pk=source.pk).update(title="Changed without a revision")
    served = second.get(url)
    assert served.content == rendered.content
    assert served["ETag"] == rendered["ETag"]


def test_after_a_change_no_machine_serves_the_stale_page(shared_cache, machines, team_user):
    first, second = machines
    source = SourceFactory(key="northern", title="Northern Provinces")
    url = source.get_absolute_url()
    assert "Northern Provinces" in first.get(url).content.decode()
    assert "Northern Provinces" in second.get(url).content.decode()

    with first.running():
        source.title = "Northern Provinces, revised"
        source_save(source=source, user=team_user, fields=["title"])
    # The machine that saved reads its own write at once; the other within its second.
    assert "Northern Provinces, revised" in first.get(url).content.decode()
    second.a_second_later()
    assert "Northern Provinces, revised" in second.get(url).content.decode()


def test_an_unpublished_page_is_gone_from_every_machine(shared_cache, machines, team_user):
    first, second = machines
    source = SourceFactory(key="northern")
    url = source.get_absolute_url()
    assert first.get(url).status_code == 200
    assert second.get(url).status_code == 200

    with first.running():
        source_publish(source=source, user=team_user, publish=False)
    assert first.get(url).status_code == 404
    second.a_second_later()
    assert second.get(url).status_code == 404

    with second.running():
        source_publish(source=source, user=team_user, publish=True)
    assert second.get(url).status_code == 200
    first.a_second_later()
    assert first.get(url).status_code == 200


def test_a_session_lives_in_redis_and_a_logout_anywhere_ends_it(shared_cache, settings, team_user):
    server, prefix = shared_cache
    first = Client()
    response = first.post(reverse("login"), {"username": "ed", "password": PASSWORD})
    assert response.status_code == 302
    session_key = first.cookies[settings.SESSION_COOKIE_NAME].value
    assert _keys(server, prefix, session_key)
    team_page = reverse("sources:source-create")
    assert first.get(team_page).status_code == 200

    # The same browser reaching another machine: that machine's own connection finds it.
    settings.SESSION_CACHE_ALIAS = "other-machine"
    second = Client()
    second.cookies[settings.SESSION_COOKIE_NAME] = session_key
    assert second.get(team_page).status_code == 200
    second.post(reverse("logout"))
    assert not _keys(server, prefix, session_key)

    settings.SESSION_CACHE_ALIAS = "default"
    assert first.get(team_page).status_code == 302  # sent to log in


def test_rate_limits_count_in_redis(shared_cache, client):
    server, prefix = shared_cache
    key = f"password-reset:test:{uuid.uuid4().hex}"
    assert [accounts._counted(key) for _ in range(3)] == [1, 2, 3]

    assert client.get("/api/events/").status_code == 200
    assert _keys(server, prefix, "throttle_anon_")


# ---------------------------------------------------------------------------------------------
# S3-compatible storage


@pytest.fixture
def bucket(settings, s3_endpoint, s3_bucket):  # noqa: F811 - pytest fixtures by name
    """The settings' S3 storage, pointed at a fresh bucket: its name and a boto3 client."""
    name, client = s3_bucket
    read = settings_from(
        STORAGE_BUCKET=name,
        STORAGE_ENDPOINT_URL=s3_endpoint,
        STORAGE_ACCESS_KEY=ACCESS_KEY,
        STORAGE_SECRET_KEY=SECRET_KEY,
        STORAGE_REGION=REGION,
    )
    settings.STORAGES = read["STORAGES"] | {"staticfiles": settings.STORAGES["staticfiles"]}
    return name, client


def _objects(name, client) -> dict[str, bytes]:
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])]
    return {key: client.get_object(Bucket=name, Key=key)["Body"].read() for key in keys}


def test_an_uploaded_document_is_kept_in_the_bucket_and_downloaded_by_the_team(team, bucket):
    name, client = bucket
    response = read_step(team)
    waiting = _objects(name, client)
    assert sorted(key.rsplit(".", 1)[-1] for key in waiting) == ["bin", "json"]
    assert all(key.startswith("pending/") for key in waiting)

    assert confirm(team, response, key="northern").status_code == 302
    stored = _objects(name, client)
    assert list(stored) == ["sources/report.pdf"]  # nothing left waiting
    assert stored["sources/report.pdf"].startswith(b"%PDF")
    assert Source.objects.get(key="northern").original.name == "sources/report.pdf"

    download = team.get(reverse("sources:source-original", args=["northern"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == stored["sources/report.pdf"]
    assert download["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert download["Content-Type"] == "application/octet-stream"
    assert "no-store" in download["Cache-Control"]


def test_objects_are_private_and_a_second_file_of_the_same_name_replaces_nothing(bucket):
    name, client = bucket
    first, second = SourceFactory(key="first"), SourceFactory(key="second")
    first.original.save("report.pdf", ContentFile(b"%PDF first"))
    second.original.save("report.pdf", ContentFile(b"%PDF second"))
    assert first.original.name != second.original.name
    stored = _objects(name, client)
    assert stored[first.original.name] == b"%PDF first"
    assert stored[second.original.name] == b"%PDF second"
    for key in stored:
        grants = client.get_object_acl(Bucket=name, Key=key)["Grants"]
        assert not [grant for grant in grants if "URI" in grant["Grantee"]]  # no group, no public


@pytest.fixture
def original_in_bucket(bucket):
    source = SourceFactory(key="northern", is_public=True)
    source.original.save("report.pdf", ContentFile(b"%PDF-1.4 the original"))
    return source


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_outside_the_team_an_original_in_the_bucket_does_not_exist(original_in_bucket, who):
    browser = Client()
    if who == "outsider":
        browser.force_login(UserFactory())
    response = browser.get(reverse("sources:source-original", args=["northern"]))
    assert response.status_code == 404


def test_an_original_missing_from_the_bucket_is_not_found(team, bucket, original_in_bucket):
    name, client = bucket
    client.delete_object(Bucket=name, Key=original_in_bucket.original.name)
    assert team.get(reverse("sources:source-original", args=["northern"])).status_code == 404


def test_pending_uploads_wait_in_the_bucket_until_claimed_and_discarded(bucket):
    name, client = bucket

    @dataclass
    class Document:
        filename: str = "notes.txt"
        text: str = "Some words to cite."
        page_starts: tuple = (0,)

    token = originals.stash(Document(), b"the bytes")
    pending = originals.claim(token)
    assert (pending.filename, pending.data, pending.text, pending.page_starts) == (
        "notes.txt",
        b"the bytes",
        "Some words to cite.",
        (0,),
    )
    assert len(_objects(name, client)) == 2
    pending.discard()
    assert _objects(name, client) == {}
    assert originals.claim(token) is None
