"""The demo holds itself to the rules it shows: each sentence backed by its own citation, each
quote a passage, and no number, date or linked name that its sentence's quotes do not carry."""

import tomllib
from io import StringIO

import pytest
from django.core.management import call_command

from sources.citations.syntax import parse_evidence, short_quote
from tests.factories import editor
from wiki.demo.loader import DEMO_DIR
from wiki.markup.parse import parse
from wiki.markup.rendering import page_body
from wiki.models import Actor, Event, Faction

DEMO = tomllib.loads((DEMO_DIR / "demo.toml").read_text(encoding="utf-8"))
BODIES = {
    item["slug"]: item["body"] for kind in ("actor", "faction", "event") for item in DEMO[kind]
}
EVIDENCE = [
    item["evidence"]
    for kind in ("membership", "faction_relation", "participation")
    for item in DEMO[kind]
]


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_every_demo_sentence_has_its_own_citation_and_every_quote_is_a_passage(body):
    parsed = parse(body)  # refuses a quote shorter than a passage
    assert parsed.coverage.is_complete, parsed.coverage


def test_every_demo_relation_quotes_passages():
    for evidence in EVIDENCE:
        assert not [ref.quote for ref in parse_evidence(evidence) if short_quote(ref.quote)]


@pytest.mark.django_db
def test_no_demo_page_has_a_detail_its_quotes_do_not_carry():
    call_command("load_demo", no_accounts=True, stdout=StringIO())
    team = editor()
    pages = [page for model in (Actor, Faction, Event) for page in model.objects.all()]
    assert len(pages) == len(BODIES)
    unsupported = {
        page.slug: [detail.text for detail in body.unsupported]
        for page in pages
        if (body := page_body(page, team)).unsupported
    }
    assert unsupported == {}
