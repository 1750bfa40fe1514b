"""The public-page benchmark: reading wrk, its refusals, the reference view kept out of reach."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import Resolver404, resolve

from wiki.benchmarks import public as public_benchmark
from wiki.benchmarks.public import Measure, Report, Settings, WrkResult, parse_wrk
from wiki.benchmarks.urls import BARE_PATH

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:40123/actors/ahmad-shah-massoud/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.18ms   12.32ms   1.02s    89.97%
    Req/Sec   825.75    611.22     1.93k    75.00%
  Latency Distribution
     50%  890.00us
     75%    5.66ms
     90%   18.51ms
     99%    1.50s
  8263 requests in 10.06s, 424.49MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:    821.77
Transfer/sec:     42.18MB
"""


def test_parse_wrk_reads_rate_latencies_and_errors():
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests_per_second == 821.77
    assert result.requests == 8263
    assert result.latency_ms == pytest.approx(
        {"avg": 6.18, "p50": 0.89, "p90": 18.51, "p99": 1500.0}
    )
    assert result.errors == 2 + 3 + 4


def test_parse_wrk_without_errors_counts_none():
    clean = "\n".join(
        line for line in WRK_OUTPUT.splitlines() if "errors" not in line and "Non-2xx" not in line
    )
    assert parse_wrk(clean).errors == 0


def test_parse_wrk_refuses_what_is_not_wrk_output():
    with pytest.raises(ValueError, match="Not wrk output"):
        parse_wrk("unable to connect to 127.0.0.1:40123 Connection refused")


def _run(rate: float) -> WrkResult:
    return WrkResult(rate, int(rate * 10), {"avg": 1.0, "p50": 1.0, "p99": 2.0}, 0)


def test_the_ratio_is_the_median_of_the_rounds():
    page = Measure("http://x/page/", 100, [_run(200), _run(300), _run(700)])
    bare = Measure("http://x/bare/", 100, [_run(800), _run(500), _run(900)])
    report = Report("sqlite", Settings(rounds=3), page, bare)
    assert report.ratio == pytest.approx(0.6)  # rounds: 25 %, 60 %, 78 %; not 300 / 800
    assert report.as_dict()["verdict"] == "PASS"


def test_the_bare_view_is_not_routable_in_normal_running(client):
    with pytest.raises(Resolver404):
        resolve(f"/{BARE_PATH}100/")
    assert client.get(f"/{BARE_PATH}100/").status_code == 404


def test_the_benchmark_urlconf_answers_as_many_bytes_as_asked(client, settings):
    settings.ROOT_URLCONF = "wiki.benchmarks.urls"
    response = client.get(f"/{BARE_PATH}1234/")
    assert response.status_code == 200
    assert len(response.content) == 1234


def test_the_command_says_how_to_install_wrk_when_it_is_missing(monkeypatch):
    monkeypatch.setattr(public_benchmark.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="apt-get install -y wrk"):
        call_command("benchmark_public")


@pytest.mark.django_db
def test_the_command_asks_for_the_demo_when_nothing_is_published(monkeypatch):
    monkeypatch.setattr(public_benchmark.shutil, "which", lambda name: "/usr/bin/wrk")
    with pytest.raises(CommandError, match="load_demo"):
        call_command("benchmark_public")
