"""Quote checks and their "use this passage" suggestions."""

import pytest

from sources.citations.syntax import parse_group
from tests.factories import SourceFactory
from wiki.markup.validation import quote_suggestions

pytestmark = pytest.mark.django_db

TEXT = 'The envoy said "we will not sign" and left the valley at dawn.'


def test_a_suggested_passage_with_double_quotes_is_valid_markup():
    SourceFactory(key="src", text=TEXT)
    [check] = quote_suggestions('A sentence. [@src "The envoy said we will not sign and left"]')
    assert '\\"' in check.suggestion
    [ref] = parse_group(check.suggestion)
    assert ref.quote == check.closest and '"we will not sign"' in ref.quote
    # What the button replaces, and with what, are written as the body holds them.
    assert check.closest_markup in check.suggestion
    assert check.typed_quote == "The envoy said we will not sign and left"
