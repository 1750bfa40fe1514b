"""The concurrency benchmark's parts that need no server: its report, its refusals, its browser."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wiki.benchmarks.browser import Browser, messages_of
from wiki.benchmarks.concurrency import Report, Sizes, report_text
from wiki.benchmarks.people import Outcomes
from wiki.benchmarks.serving import database_url


def outcomes(name, **counts) -> Outcomes:
    found = Outcomes(name)
    for key, value in counts.items():
        setattr(found.tally, key, value)
    found.save_ms = [100.0, 200.0, 300.0]
    return found


def test_the_report_counts_each_scenario_and_all_together():
    report = Report(
        {"python": "3.11", "django": "5.2", "database": "postgresql 16", "debug": True,
         "platform": "Linux", "cpus": 2, "load": 0.5},
        Sizes(),
        [
            outcomes("page", attempted=24, acknowledged=20, merged=15, refused_locked=4),
            outcomes("source", attempted=24, acknowledged=23, merged=20, conflicts=1),
        ],
    )  # fmt: skip
    text = report_text(report)
    assert "  page                 24           20           15            0            4" in text
    assert "  all                  48           43           35            1            4" in text
    assert "Lost acknowledged saves: 0 (PASS)" in text
    assert report.as_dict()["verdict"] == "PASS"


def test_a_lost_save_fails_the_report_naming_it():
    lost = outcomes("page", attempted=2, acknowledged=2, lost=1)
    lost.tally.problems = ["slot 0, round 1: in no revision"]
    report = Report({"python": "", "django": "", "database": "", "debug": False,
                     "platform": "", "cpus": 1, "load": None}, Sizes(), [lost])  # fmt: skip
    assert "FAIL: page: slot 0, round 1: in no revision" in report_text(report)


@pytest.mark.parametrize(
    ("settings_dict", "url"),
    [
        ({"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/x.sqlite3"}, "sqlite:////tmp/x.sqlite3"),
        (
            {"ENGINE": "django.db.backends.postgresql", "NAME": "test_a", "USER": "u",
             "PASSWORD": "p@ss", "HOST": "127.0.0.1", "PORT": 5432},
            "postgres://u:p%40ss@127.0.0.1:5432/test_a",
        ),
    ],
)  # fmt: skip
def test_the_server_is_told_the_database_it_is_given(settings_dict, url):
    assert database_url(settings_dict) == url


def test_the_browser_talks_to_this_machine_only():
    with pytest.raises(ValueError, match="only talks to a server on this machine"):
        Browser("http://example.org:8000")


def test_messages_are_read_from_the_page():
    html = '<ul class="messages"><li class="message message--warning">Merged <b>in</b>.</li></ul>'
    assert messages_of(html) == ["Merged in ."]


@pytest.mark.django_db
def test_the_command_refuses_sqlite(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the refusal is SQLite's")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("benchmark_concurrency", "--rounds", "1")
