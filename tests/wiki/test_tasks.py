"""Background tasks through the worker path: enqueued on commit (never for a refused save), run
by the database backend's worker and by RQ workers on Redis, retried, and shown as a backlog.

The rest of the suite runs tasks with the immediate backend (tests/conftest.py); these tests
choose a real backend and commit their transactions, as a web request does.
"""

import os

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from sources.common import tasks
from sources.models import Mention, Source
from sources.services import source_save
from tests.factories import editor
from wiki.models import Actor
from wiki.services import page_save

pytestmark = pytest.mark.django_db(transaction=True)

QUEUES = settings.TASK_QUEUES
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": QUEUES}}
REDIS_TEST_URL = "redis://127.0.0.1:6379/14"  # a database of its own, emptied by these tests
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": QUEUES}}


def mentioned_sources(entry) -> set[str]:
    rows = Mention.objects.filter(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
    )
    return set(rows.values_list("source__key", flat=True))


@pytest.fixture
def archive():
    """Two texts and an actor whose alias appears in one of them; the index is current."""
    source_save(source=Source(key="ric", title="RIC", text="Later Mas’ud left."), user=None)
    source_save(source=Source(key="hrw", title="HRW", text="Dostum spoke."), user=None)
    actor = page_save(page=Actor(title="Ahmad Shah Massoud", slug="massoud"), user=None)
    return actor


def alias_add(actor, alias: str):
    actor.aliases = alias
    return page_save(page=actor, user=editor())


@override_settings(TASKS=DATABASE_TASKS)
def test_a_save_enqueues_the_rematch_on_commit_and_the_database_worker_runs_it(archive):
    alias_add(archive, "Mas'ud")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "wiki.tasks.mentions_after_rename"
    assert mentioned_sources(archive) == set()  # not yet: the worker has not run
    assert tasks.backlog().count == 1 and tasks.backlog().lag.total_seconds() >= 0

    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)

    assert mentioned_sources(archive) == {"ric"}
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert tasks.backlog() == tasks.NOTHING


@override_settings(TASKS=DATABASE_TASKS)
def test_a_refused_save_enqueues_nothing(archive):
    archive.aliases = "Mas'ud"
    with pytest.raises(ValidationError):
        page_save(page=archive, body="He fought [@nowhere, “no such passage”].", user=editor())
    assert not DBTaskResult.objects.exists()


@override_settings(TASKS=DATABASE_TASKS)
def test_a_changed_source_text_is_rematched_by_the_worker(archive):
    alias_add(archive, "Mas'ud")
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    hrw = Source.objects.get(key="hrw")
    hrw.text = "Dostum and Mas‘ud spoke."
    source_save(source=hrw, user=None)
    assert mentioned_sources(archive) == {"ric"}
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert mentioned_sources(archive) == {"ric", "hrw"}


@override_settings(TASKS=DATABASE_TASKS)
def test_a_task_that_fails_is_retried_and_then_succeeds(archive, monkeypatch):
    from wiki import tasks as wiki_tasks

    monkeypatch.setattr(tasks, "BACKOFF", tasks.BACKOFF * 0)
    real, calls = wiki_tasks.mentions_names_changed, []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise ConnectionError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(wiki_tasks, "mentions_names_changed", flaky)
    alias_add(archive, "Mas'ud")
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)

    assert len(calls) == 2
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["FAILED", "SUCCESSFUL"]
    assert mentioned_sources(archive) == {"ric"}


@override_settings(TASKS=DATABASE_TASKS)
def test_a_task_that_keeps_failing_gives_up_after_its_retries(archive, monkeypatch):
    from wiki import tasks as wiki_tasks

    monkeypatch.setattr(tasks, "BACKOFF", tasks.BACKOFF * 0)

    def broken(**kwargs):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(wiki_tasks, "mentions_names_changed", broken)
    alias_add(archive, "Mas'ud")
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"] * tasks.RETRIES


@override_settings(TASKS=DATABASE_TASKS)
def test_the_team_sees_that_indexes_are_catching_up(archive, client):
    alias_add(archive, "Mas'ud")
    client.force_login(editor("reader-on-the-team"))
    page = client.get("/").content.decode()
    assert "Indexes are catching up" in page and "1 task" in page
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert "Indexes are catching up" not in client.get("/").content.decode()


@override_settings(TASKS=DATABASE_TASKS)
def test_the_public_is_not_told_about_the_backlog(archive, client):
    alias_add(archive, "Mas'ud")
    assert "catching up" not in client.get("/").content.decode()


@pytest.fixture
def redis_queue():
    """RQ's default queue on a Redis database of its own; CI starts Redis, so it must answer."""
    import django_rq
    import redis

    connection = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis at 127.0.0.1:6379 (CI starts one)")
    connection.flushdb()
    queues = {"default": {"URL": REDIS_TEST_URL, "DEFAULT_TIMEOUT": 60}}
    with override_settings(TASKS=RQ_TASKS, RQ_QUEUES=queues):
        yield django_rq.get_queue("default")
    connection.flushdb()


def test_rq_workers_on_redis_run_the_rematch(archive, redis_queue):
    import django_rq

    alias_add(archive, "Mas'ud")
    assert redis_queue.count == 1
    assert tasks.backlog().count == 1
    assert mentioned_sources(archive) == set()

    # A worker that does not fork: the test's database connection stays its own.
    worker = django_rq.get_worker("default", worker_class="rq.SimpleWorker")
    worker.work(burst=True)

    assert mentioned_sources(archive) == {"ric"}
    assert tasks.backlog() == tasks.NOTHING
