"""The benchmark of the timeline, the network and the API: every face measured, each request a
cache miss that answers 200 with a fixed number of queries, and no rows left behind."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db

TINY = {"events": 12, "entries": 6, "relations": 18, "runs": 2}


def rows() -> dict:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_faces_benchmark_measures_each_face_and_leaves_nothing():
    before = rows()
    out = io.StringIO()
    call_command("benchmark_faces", "--json", *[f"--{k}={v}" for k, v in TINY.items()], stdout=out)
    figures = {figure["name"]: figure for figure in json.loads(out.getvalue())["figures"]}
    for face in ("timeline: /timeline/", "graph: /graph/", "api: /api/events/"):
        assert figures[face]["n"] == TINY["runs"] and figures[face]["note"] == "HTTP 200"
        assert figures[face]["target"] in (500.0, 50.0)
    for face in ("timeline", "graph", "api"):
        assert figures[f"{face}: queries"]["max"] > 0
    assert rows() == before
