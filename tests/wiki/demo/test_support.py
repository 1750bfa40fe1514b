"""The demo holds itself to the rules it shows: each sentence backed by its own citation, each
quote a passage, no number, date or linked name that its sentence's quotes do not carry, and no
fact whose value says more than its passages."""

import re
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
CLAIMS = {
    f"{item['slug']}:{claim['field']}={claim['value']}": claim
    for kind in ("actor", "faction", "event")
    for item in DEMO[kind]
    for claim in item.get("claims", [])
}
# A relative date counts back from a year its passages give: "two years ago" in an article
# datelined 21.07.2015. Number words: "thousands" of dead is at least 2,000.
YEARS_BACK = {"two years ago": 2, "last month": 0}
NUMBER_WORDS = {"three": "3", "thousands": "2,000"}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_every_demo_sentence_has_its_own_citation_and_every_quote_is_a_passage(body):
    parsed = parse(body)  # refuses a quote shorter than a passage
    assert parsed.coverage.is_complete, parsed.coverage


def test_every_demo_relation_and_fact_quotes_passages():
    for evidence in EVIDENCE + [claim["evidence"] for claim in CLAIMS.values()]:
        assert not [ref.quote for ref in parse_evidence(evidence) if short_quote(ref.quote)]


@pytest.mark.parametrize("claim", CLAIMS.values(), ids=CLAIMS.keys())
def test_no_demo_fact_says_more_than_its_passages(claim):
    quoted = " ".join(ref.quote for ref in parse_evidence(claim["evidence"])).lower()
    if claim["field"] == "place":
        assert claim["value"].lower() in quoted
        return
    if claim["field"] == "fatalities":
        for word, number in NUMBER_WORDS.items():
            quoted = quoted.replace(word, number)
        assert set(re.findall(r"\d[\d,]*", claim["value"])) <= set(re.findall(r"\d[\d,]*", quoted))
        return
    years = {int(year) for year in re.findall(r"\d{4}", quoted)}
    back = {n for phrase, n in YEARS_BACK.items() if phrase in quoted}
    years |= {year - n for year in years for n in back}
    assert {int(year) for year in re.findall(r"\d{4}", claim["value"])} <= years


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
