"""The data migration that turned each page's bare facts into unsourced claims (wiki 0009).

The pages are made as they stood before claims existed (wiki 0007, through the historical
models), then the migrations run forward as `migrate` runs them on an old database."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from wiki.claims import values
from wiki.models import Actor, Claim, Event, Faction

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_CLAIMS = [("wiki", "0007_recount_statements")]
REASON = "A fact from before facts were cited"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # what the last run applied
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    """The models as they stood before claims; the database is migrated back to the latest
    state afterwards, whatever the test did."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        yield migrate(BEFORE_CLAIMS)
    finally:
        migrate(leaves)


def _page(apps, name, **fields):
    model = apps.get_model("wiki", name)
    now = timezone.now()
    page = model.objects.create(created_at=now, updated_at=now, **fields)
    # A revision, as every page saved through the site has: the migration must add none.
    history = apps.get_model("wiki", f"Historical{name}")
    row = {field.attname: getattr(page, field.attname) for field in model._meta.concrete_fields}
    history.objects.create(
        **row, history_date=now, history_type="+", history_change_reason="Created"
    )
    return page.pk


def test_bare_facts_become_unsourced_claims_with_history_and_counts(old_apps):
    massoud = _page(
        old_apps,
        "Actor",
        title="Massoud",
        slug="massoud",
        born="1953-09-02",
        died="2001-09-09",
        body="He led. He fought.",
        sentence_count=2,
        sourced_count=1,
        coverage=0.5,
    )
    nobody = _page(old_apps, "Actor", title="Nobody", slug="nobody", born="", died="")
    alliance = _page(
        old_apps, "Faction", title="Alliance", slug="alliance", founded="1992", dissolved="2001~"
    )
    battle = _page(
        old_apps,
        "Event",
        title="Battle",
        slug="battle",
        kind="battle",
        start="1996-09-27",
        end="",
        place="  Kabul ",
        fatalities="dozens, as reported",  # free text before fatalities were checked
    )
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(leaves)

    expected = {
        Actor.objects.get(pk=massoud): {"born": "1953-09-02", "died": "2001-09-09"},
        Actor.objects.get(pk=nobody): {},
        Faction.objects.get(pk=alliance): {"founded": "1992", "dissolved": "2001~"},
        Event.objects.get(pk=battle): {
            "start": "1996-09-27",
            "place": "Kabul",
            "fatalities": ("dozens, as reported"),
        },
    }
    for page, facts in expected.items():
        claims = list(Claim.objects.of(page))
        assert {claim.field: claim.value for claim in claims} == facts
        for claim in claims:
            assert (claim.evidence, claim.rank, claim.rank_reason) == ("", "normal", "")
            [record] = claim.history.all()
            assert (record.history_type, record.history_change_reason) == ("+", REASON)
            assert (record.value, record.evidence) == (claim.value, "")
            # The page reads as before: its field is what its claims derive.
            assert values.derived(claim.field, [claim]) == getattr(page, claim.field).strip()
        assert (page.fact_count, page.fact_sourced_count) == (len(facts), 0)
        assert page.history.count() == 1  # no revision written
        assert page.history.get().history_change_reason == "Created"

    massoud, nobody, alliance, battle = expected
    assert massoud.claim_list == "Born: 1953-09-02 [no source]\nDied: 2001-09-09 [no source]"
    assert massoud.coverage == pytest.approx(1 / 4)  # 1 sourced sentence of 2, 0 facts of 2
    assert massoud.statement_coverage.percent == 25
    assert (nobody.claim_list, nobody.coverage) == ("", 1.0)
    assert alliance.coverage == 0.0 and alliance.coverage_percent == 0
    assert battle.claim_list == (
        "Start: 1996-09-27 [no source]\nPlace: Kabul [no source]\n"
        "Fatalities: dozens, as reported [no source]"
    )
