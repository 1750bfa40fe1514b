"""No acknowledged edit is ever lost: real browsers against gunicorn, editing at once.

Editors save edits of different paragraphs of one page (and of one source's text, and different
fields of one relation) from the forms they opened, while curators publish, unpublish, lock and
unlock from the site and the admin and save admin change forms they opened a while ago. Each
save answered "Saved" must be found in the history and never undone later. PostgreSQL only:
SQLite lets one writer at a time, which is no test of the row locks.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from wiki.benchmarks import concurrency, serving
from wiki.benchmarks.browser import Browser, form_with
from wiki.benchmarks.concurrency import Sizes, lost_saves

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = Sizes(editors=4, curators=2, rounds=3, workers=3)


@pytest.fixture
def server(postgres_only):
    env = serving.server_environment(serving.database_url(connection.settings_dict))
    with serving.gunicorn(env, workers=SIZES.workers) as base:
        yield base


def session_login(browser: Browser, username: str) -> None:
    """A real session, made here and stored in the database the server reads."""
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    browser.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[
        settings.SESSION_COOKIE_NAME
    ].value


def test_lost_saves_counts_what_no_revision_shows_and_what_a_later_one_undid():
    revisions = [{0: 0, 1: 0}, {0: 1, 1: 0}, {0: 1, 1: 1}, {0: 0, 1: 1}, {0: 2, 1: 1}]
    acks = [(0, 1), (1, 1), (0, 2), (1, 2)]
    assert lost_saves(acks, revisions) == [
        "slot 0, round 1: undone 1 revision(s) later",
        "slot 1, round 2: in no revision",
    ]


def test_no_acknowledged_save_is_lost_while_curators_publish_and_lock(server):
    world = concurrency.world_create(SIZES)
    tallies = [o.tally for o in concurrency.scenarios_run(server, world, SIZES, session_login)]
    for tally in tallies:
        print(tally.as_dict())  # shown with -s, and with the failure
    for tally in tallies:
        assert tally.acknowledged > 0, tally
        assert tally.errors == 0, tally.problems
        assert tally.lost == 0, tally.problems
        assert tally.text_not_kept == 0, tally
        assert tally.flags_by_editors == 0, tally
        assert tally.refused_other == 0, tally.problems


def test_the_browser_reads_a_form_as_it_would_post_it():
    html = """
      <form id="x"><input type="hidden" name="csrfmiddlewaretoken" value="t">
        <input name="title" value="A &amp; B"><input type="checkbox" name="is_public">
        <input type="checkbox" name="is_locked" checked><textarea name="body">
line one
line two</textarea>
        <select name="kind"><option value="a">A</option><option value="b" selected>B</option>
        </select><input type="submit" name="_save" value="Save">
      </form>"""
    form = form_with(html, "body")
    assert form.fields == [
        ("csrfmiddlewaretoken", "t"),
        ("title", "A & B"),
        ("is_locked", "on"),
        ("body", "line one\nline two"),
        ("kind", "b"),
    ]
    assert form.data(title="C", is_locked=None, extra="1") == [
        ("csrfmiddlewaretoken", "t"),
        ("title", "C"),
        ("body", "line one\nline two"),
        ("kind", "b"),
        ("extra", "1"),
    ]
