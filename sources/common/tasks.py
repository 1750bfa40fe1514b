"""Background work through Django's tasks API (the django-tasks backport of `django.tasks`).

Work whose cost grows with the archive (rematching mentions, indexing texts) leaves the request:
a save enqueues it, and a worker runs it. Three rules hold for every task here:

- **enqueued on commit**: `after_commit` hands the task to the backend only once the saving
  transaction commits, so a refused or rolled-back save never leaves work behind, and the
  worker never sees rows that do not exist yet;
- **idempotent**: a task recomputes what it derives from the rows as they are when it runs, so
  running it twice, or after a later save, gives the same result;
- **retried**: `background` re-enqueues a task that raised, up to RETRIES attempts, each later
  than the last (where the backend can defer), then lets it fail, logged; `rebuild_*`
  commands still repair everything.

`backlog` tells the team how far behind the workers are ("indexes are catching up").

Moving to Django 6 changes the import of `task` and `task_backends` to django.tasks.
"""

import datetime
import functools
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

logger = logging.getLogger(__name__)

RETRIES = 3
BACKOFF = datetime.timedelta(seconds=10)  # the wait before attempt n+1 is n times this
INDEXING = "default"  # the queue of the indexing tasks: `db_worker` and `rqworker` read it
# Fetches an editor waits for (sources.importing.fetching): a queue of their own, so that they
# never wait behind a backlog of indexing; `rqworker imports default` takes them first.
IMPORTS = "imports"


def background(func):
    """Make `func` a task that is retried: an exception re-enqueues it (attempt n+1 waits
    n × BACKOFF where the backend can defer) until RETRIES attempts have failed."""

    @functools.wraps(func)
    def attempt(*args, attempt_number: int = 1, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception:
            if attempt_number >= RETRIES:
                logger.exception("%s failed %d times; giving up", func.__name__, attempt_number)
                raise
            logger.warning("%s failed (attempt %d); retrying", func.__name__, attempt_number)
            retry = runnable
            if retry.get_backend().supports_defer:
                retry = retry.using(run_after=timezone.now() + BACKOFF * attempt_number)
            retry.enqueue(*args, attempt_number=attempt_number + 1, **kwargs)
            raise

    runnable = task(queue_name=INDEXING)(attempt)
    return runnable


def after_commit(runnable, *args, **kwargs) -> None:
    """Enqueue a task once the current transaction commits (at once outside of one); never
    for a transaction that rolls back.

    The immediate backend (TASK_BACKEND=immediate, the tests) has no worker: the task runs now,
    inside the saving transaction, so that its writes roll back with a refused save too. A
    backend that cannot take the task after the commit (Redis down) must not undo a save the
    editor was told succeeded: the failure is logged, and `rebuild_*` repairs the index."""
    if isinstance(runnable.get_backend(), ImmediateBackend):
        runnable.enqueue(*args, **kwargs)
        return
    transaction.on_commit(functools.partial(runnable.enqueue, *args, **kwargs), robust=True)


@dataclass(frozen=True)
class Backlog:
    """Tasks waiting or running, and since when the oldest has waited."""

    count: int
    oldest: datetime.datetime | None

    @property
    def lag(self) -> datetime.timedelta:
        return timezone.now() - self.oldest if self.oldest else datetime.timedelta(0)


NOTHING = Backlog(0, None)


def backlog() -> Backlog:
    """How much background work is waiting, from the backend in use: one query on the
    database backend, one round trip to Redis on RQ, nothing when tasks run immediately."""
    backend = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__module__
    if backend.startswith("django_tasks_db"):
        return _database_backlog()
    if backend.startswith("django_tasks_rq"):
        return _redis_backlog()
    return NOTHING


def _database_backlog() -> Backlog:
    from django.db.models import Count, Min
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING], queue_name=INDEXING
    ).aggregate(count=Count("id"), oldest=Min("enqueued_at"))
    return Backlog(waiting["count"], waiting["oldest"])


def _redis_backlog() -> Backlog:
    import django_rq

    queue = django_rq.get_queue(INDEXING)
    count = queue.count + queue.started_job_registry.count + queue.scheduled_job_registry.count
    if not count:
        return NOTHING
    first = queue.get_jobs(0, 0)
    oldest = first[0].enqueued_at if first else None
    if oldest is not None and timezone.is_naive(oldest):
        oldest = timezone.make_aware(oldest, datetime.UTC)
    return Backlog(count, oldest or timezone.now())
