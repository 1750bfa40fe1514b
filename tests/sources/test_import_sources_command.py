"""`manage.py import_sources`: what it says, its exit status, a progress bar only in a terminal,
and running it twice."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from sources.models import Source
from tests.sources.importing.bulk_files import folder_of_documents, write, zotero_exports

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def import_sources(*args, tty=False):
    """Run the command: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), (_Terminal() if tty else io.StringIO())
    try:
        call_command("import_sources", *[str(arg) for arg in args], stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def test_a_folder_imported_whole_exits_0_and_says_what_became_of_each_file(tmp_path):
    folder_of_documents(tmp_path / "docs")
    status, out, err = import_sources(tmp_path / "docs")
    assert status == 0
    lines = out.splitlines()
    assert "skipped photo.jpg: not a file Attest reads (.jpg)" in lines
    key = Source.objects.get(title="Herat in winter").key
    assert f"imported herat.docx as {key}" in lines
    assert lines[-1] == "6 imported, 1 skipped, 0 failed."
    assert err == ""  # no terminal: no progress bar, nothing else


def test_anything_that_fails_exits_1_and_is_named_with_its_reason(tmp_path):
    zotero_exports(tmp_path)
    status, out, err = import_sources(tmp_path / "bibtex", tmp_path / "csl")
    assert status == 1
    assert "failed Exported Items.bib › nofile2001: no attached file" in out.splitlines()
    assert "failed Exported Items.json › ZZZZ9999: no attached file" in out.splitlines()
    assert out.splitlines()[-1] == "3 imported, 0 skipped, 3 failed."
    assert "3 documents could not be imported" in err


def test_running_it_twice_changes_nothing_and_says_everything_is_there(tmp_path):
    folder_of_documents(tmp_path / "docs")
    assert import_sources(tmp_path / "docs")[0] == 0
    counts = (Source.objects.count(), Source.history.count())
    status, out, _ = import_sources(tmp_path / "docs")
    assert status == 0
    assert (Source.objects.count(), Source.history.count()) == counts
    key = Source.objects.get(title="Herat in winter").key
    assert f"skipped herat.docx: same text as {key}" in out.splitlines()
    assert out.splitlines()[-1] == "0 imported, 7 skipped, 0 failed."


def test_in_a_terminal_a_progress_bar_follows_the_documents(tmp_path):
    letters = {"a.txt": "The first letter, from Kunduz.", "b.txt": "The second, from Herat."}
    write(tmp_path / "docs", letters)
    status, out, err = import_sources(tmp_path / "docs", tty=True)
    assert status == 0
    assert "Importing [" in err and err.rstrip().endswith("2/2 documents")
    assert out.splitlines()[-1] == "2 imported, 0 skipped, 0 failed."


def test_quiet_it_prints_only_what_failed(tmp_path):
    write(tmp_path / "docs", {"a.txt": "The first letter, from Kunduz.", "empty.md": "\n"})
    status, out, _ = import_sources(tmp_path / "docs", "-v", "0")
    assert status == 1
    assert out.splitlines() == ["failed empty.md: “empty.md” holds no text."]


def test_a_url_on_a_private_address_fails_unless_allowed(settings):
    settings.ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS = False
    status, out, _ = import_sources("--url", "http://127.0.0.1:9/report.txt")
    assert status == 1
    assert out.startswith("failed http://127.0.0.1:9/report.txt: ")


def test_nothing_to_import_is_an_error():
    status, _, err = import_sources()
    assert status == 1 and "Name the files, folders or Zotero exports" in err


# The worker closes its database connections as it stops: the test's transaction would go too.
@pytest.mark.django_db(transaction=True)
def test_in_the_background_a_task_worker_imports_and_its_result_says_what_became_of_each(
    tmp_path,
):
    folder_of_documents(tmp_path / "docs")
    database = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    with override_settings(TASKS={"default": database}):
        status, out, err = import_sources(tmp_path / "docs", "--background")
        assert status == 0 and out.startswith("Queued as task ")
        assert not Source.objects.exists()  # the command did not import: a worker will
        call_command("db_worker", queue_name="*", batch=True, no_startup_delay=True, reload=False)
    # The import's own task; each source it saved enqueued its mention rematch beside it.
    result = DBTaskResult.objects.get(task_path="sources.importing.bulk.bulk_import")
    assert result.status == "SUCCESSFUL"
    assert result.return_value["summary"] == "6 imported, 1 skipped, 0 failed."
    key = Source.objects.get(title="Herat in winter").key
    assert f"imported herat.docx as {key}" in result.return_value["lines"]


def test_in_the_background_on_a_backend_that_runs_tasks_at_once_the_outcome_is_said_here(
    tmp_path,
):
    folder_of_documents(tmp_path / "docs")
    status, out, err = import_sources(tmp_path / "docs", "--background")  # the immediate backend
    assert status == 0
    lines = out.splitlines()
    assert "skipped photo.jpg: not a file Attest reads (.jpg)" in lines
    assert lines[-1] == "6 imported, 1 skipped, 0 failed."
