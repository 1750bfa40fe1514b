"""The OpenAPI schema at /api/schema/ holds for the API itself: schemathesis generates requests
from it (a bounded number per operation) against the WSGI app and checks that no response is a
server error and that every documented response has the shape the schema gives it."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from wiki.api.views import PublicThrottle

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def api_schema(world, monkeypatch):
    """The schema as the API serves it, over the wiki of conftest.world; unthrottled."""
    monkeypatch.setattr(PublicThrottle, "THROTTLE_RATES", {"anon": "100000/minute"})
    # As Django's test client does: the test's transaction holds the connection, which the end
    # of a request would otherwise close.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def run(api_schema, headers=None) -> None:
    """A bounded number of generated requests per operation, each response checked."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 18  # a list and a record of each of the nine resources
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers(case):
            case.validate_response(case.call(headers=headers), checks=CHECKS)

        answers()


def test_the_api_answers_the_public_as_its_schema_says(api_schema):
    run(api_schema)


def test_the_api_answers_the_team_as_its_schema_says(api_schema, token):
    run(api_schema, headers={"Authorization": f"Token {token}"})
