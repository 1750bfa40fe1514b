"""The citation benchmark: it reports every figure the issue asks for and leaves no rows behind."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command

from sources.citations import anchoring
from tests.factories import ActorFactory, SourceFactory
from wiki.benchmarks.citations import quotes_pick, retype, source_text, typo
from wiki.services import page_save

TINY = {
    "repeat": 2,
    "quotes": 6,
    "source_kb": 16,
    "save_kb": 8,
    "save_citations": 4,
    "render_citations": 6,
    "render_links": 3,
}
FIGURES = [
    "exact quote",
    "retyped quote (normalised)",
    "retyped, new text object, caches empty",
    "typo, refused with closest passage",
    "first save (creates 4 citations)",
    "second save, one sentence changed",
    "queries, first save",
    "queries, second save",
    "GET through the view",
    "page_body alone",
    "queries per GET",
    "queries in page_body",
    "GET of the source viewer",
    "queries per source viewer GET",
]


def benchmark(**options) -> str:
    out = io.StringIO()
    call_command("benchmark_citations", **TINY, **options, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every model of both apps, history tables included."""
    models = [
        model for label in ("sources", "wiki") for model in apps.get_app_config(label).get_models()
    ]
    return {model.__name__: model._default_manager.count() for model in models}


@pytest.mark.django_db(transaction=True)
def test_a_run_leaves_no_rows_behind():
    # Committed rows beforehand, so that a rollback which went too far would show as well.
    SourceFactory(key="ric")
    page_save(page=ActorFactory(), body='Cited. [@ric "led by President Najibullah"]', user=None)
    before = row_counts()
    benchmark()
    assert row_counts() == before


@pytest.mark.django_db
def test_the_table_names_every_figure_with_its_target_and_the_machine():
    output = benchmark()
    for name in FIGURES:
        assert name in output
    assert "< 20 ms" in output and "< 200 ms" in output
    assert "3/3 anchored at their passage" in output
    assert "sqlite" in output or "postgresql" in output
    assert "CPUs" in output


@pytest.mark.django_db
def test_json_holds_every_figure_with_its_verdict():
    report = json.loads(benchmark(as_json=True))
    figures = {figure["name"]: figure for figure in report["figures"]}
    assert list(figures) == FIGURES
    assert figures["first save (creates 4 citations)"]["target"] == 200.0
    assert figures["exact quote"]["verdict"] in {"PASS", "over"}
    assert all(figure["n"] > 0 for figure in figures.values())
    assert report["machine"]["cpus"] and report["sizes"]["quotes"] == 6


def test_source_text_is_the_same_for_the_same_seed():
    assert source_text(4000, seed=3) == source_text(4000, seed=3)
    assert source_text(4000, seed=3) != source_text(4000, seed=4)
    assert 3900 <= len(source_text(4000, seed=3)) <= 4000


@pytest.mark.parametrize(
    ("passage", "typed"),
    [
        ("Ahmad Shah Mas’ud,  head", "ahmad Shah Mas'ud, head"),
        ("the “Northern\nAlliance”", 'The "Northern Alliance"'),
        ("1992 was", "1992 WAS"),  # nothing to change at the start: another case throughout
    ],
)
def test_retype_types_a_passage_as_a_person_would(passage, typed):
    assert retype(passage) == typed


def test_typo_swaps_two_letters_in_the_middle():
    assert typo("the Northern Alliance") == "the Northenr Alliance"


def test_picked_quotes_anchor_at_their_passage_exactly_or_normalised():
    text = source_text(64 * 1024, seed=1)
    for quote in quotes_pick(text, 40, seed=2):
        anchor = anchoring.find_quote(text, quote.typed)
        method = "normalised" if quote.retyped else "exact"
        assert (anchor.start, anchor.method) == (quote.start, method)
