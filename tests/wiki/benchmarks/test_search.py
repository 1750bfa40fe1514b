"""The search benchmark: it reports every figure the issue asks for and leaves no rows behind."""

import argparse
import io
import json
import random

import pytest
from django.core.management import call_command

from sources.models import Source
from tests.wiki.benchmarks.test_citations import row_counts
from wiki.benchmarks.search import synthetic_entries, synthetic_text
from wiki.management.commands.benchmark_search import source_counts
from wiki.mentions.matcher import Matcher, name_key

TINY = {
    "sources": 12,
    "source_kb": 2,
    "entries": 20,
    "mentions": 6,
    "queries": 6,
    "repeat": 1,
    "alias_changes": 1,
    "saves": 2,
}
FIGURES = [
    "writing 20 entries and their names",
    "writing 12 sources",
    "search index, whole corpus",
    "mention index, whole corpus",
    "mention task after an alias is added",
    "page_save, every other one adding an alias",
    "search(), anonymous",
    "search(), team",
    "rolling back what the run wrote",
    "vacuum: the rolled-back rows' space given back",
    "the whole size, written, measured, rolled back",
    "sources: 12",
]


def benchmark(**options) -> str:
    out = io.StringIO()
    call_command("benchmark_search", **(TINY | options), stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_run_leaves_no_rows_behind():
    Source.objects.create(key="kept", title="Kept", text="Dostum")  # a rollback too far shows
    before = row_counts()
    benchmark()
    assert row_counts() == before


@pytest.mark.django_db
def test_json_holds_every_figure_with_the_search_target():
    report = json.loads(benchmark(as_json=True))
    figures = {figure["name"]: figure for figure in report["figures"]}
    assert list(figures) == FIGURES
    assert all(figure["n"] > 0 for figure in figures.values())
    assert figures["search(), anonymous"]["n"] == 6
    assert "target p95 < 100 ms" in figures["search(), team"]["note"]
    assert report["sizes"]["sources"] == [12]
    assert "target p95 < 200 ms" in figures["page_save, every other one adding an alias"]["note"]


@pytest.mark.django_db
def test_several_sizes_are_measured_in_one_run():
    report = json.loads(benchmark(as_json=True, sources="5,8"))
    sections = {figure["section"].split(":")[0] for figure in report["figures"]}
    assert sections == {"5 sources", "8 sources", "The whole run"}
    assert report["figures"][-1]["name"] == "sources: 5, 8"


@pytest.mark.parametrize(
    ("value", "counts"), [("12", (12,)), ("10000,100000", (10_000, 100_000)), ("1_000,", (1000,))]
)
def test_source_counts_reads_one_size_or_several(value, counts):
    assert source_counts(value) == counts


@pytest.mark.parametrize("value", ["", "ten", "0", "5,-1"])
def test_source_counts_refuses_what_is_no_size(value):
    with pytest.raises(argparse.ArgumentTypeError):
        source_counts(value)


def test_synthetic_texts_name_the_synthetic_entries():
    entries = synthetic_entries(30, seed=1)
    text = synthetic_text(["Some plain words here."] * 5, entries, 4000, 40, random.Random(2))
    keys = {name_key(name) for entry in entries for name in [entry.title, *entry.aliases]}
    assert len(Matcher(keys).find(text)) >= 20  # most of the 40 names, the rest hidden ones
