"""A document given by its address is fetched by a worker, never in the editor's request: the
request answers at once, a page asks after the fetch and then proposes the form, or says why
the document was not fetched (the database backend and its db_worker)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from sources.models import Source
from tests.factories import editor
from tests.sources.local_web import PAGE

# The worker closes its database connections as it stops: the test's own transaction would
# go with them.
pytestmark = pytest.mark.django_db(transaction=True)

NEW = reverse("sources:source-create")
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
}


@pytest.fixture(autouse=True)
def database_tasks():
    with override_settings(TASKS=DATABASE_TASKS):
        yield


def run_worker():
    call_command(
        "db_worker", queue_name="*", batch=True, no_startup_delay=True, reload=False, verbosity=0
    )


def ask_for(client, address) -> str:
    """Step 1 with an address: the page that waits for the fetch."""
    response = client.post(NEW, {"read": "1", "url": address})
    assert response.status_code == 302
    return response.url


def test_the_request_answers_before_the_fetch_and_the_page_proposes_the_form_once_fetched(
    editor_client, server, settings
):
    settings.ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS = True
    waiting_page = ask_for(editor_client, f"{server}/page")
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY" and queued.queue_name == "imports"  # not fetched yet

    waiting = editor_client.get(waiting_page)
    assert waiting.status_code == 200
    content = waiting.content.decode()
    assert "Fetching the document" in content and f"{server}/page" in content
    assert '<meta http-equiv="refresh" content="2">' in content  # asks again without a script

    run_worker()
    step_two = editor_client.get(waiting_page)
    form = step_two.context["form"]
    assert "held by several armed groups" in form.initial["text"]
    assert form.initial["url"] == f"{server}/page"
    assert form.initial["publisher"] == "IRIN"

    data = {
        "key": "sirte",
        "title": "Sirte",
        "kind": "news",
        "language": "en",
        "text": form.initial["text"],
        "url": form.initial["url"],
        "change_reason": form.initial["change_reason"],
        "original_token": form.initial["original_token"],
    }
    assert editor_client.post(NEW, data).status_code == 302
    with Source.objects.get(key="sirte").original.open("rb") as original:
        assert original.read() == PAGE  # what the worker fetched is the source's original


def test_a_refusal_comes_back_beside_the_address(editor_client, server, settings):
    settings.ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS = False
    waiting_page = ask_for(editor_client, f"{server}/page")
    run_worker()
    response = editor_client.get(waiting_page)
    form = response.context["form"]
    assert form["url"].value() == f"{server}/page"
    assert "loopback, private or reserved address" in form.errors["url"][0]
    assert "loopback, private or reserved address" in response.content.decode()
    assert not Source.objects.exists()


def test_a_fetch_is_shown_only_to_the_editor_who_asked(editor_client, server, settings):
    settings.ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS = True
    waiting_page = ask_for(editor_client, f"{server}/notes.txt")
    run_worker()
    other = Client()
    other.force_login(editor("another-editor"))
    assert other.get(waiting_page).status_code == 404
    forged = waiting_page.rstrip("/").rsplit("/", 1)[0] + "/eyJ0YXNrIjoiMSJ9/"
    assert editor_client.get(forged).status_code == 404
    assert editor_client.get(waiting_page).status_code == 200
