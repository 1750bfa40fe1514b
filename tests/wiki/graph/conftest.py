"""A small cited world for the network, the chart and the exports: a leader with an approximate
start, a rivalry stated only by a protected source, a draft member, an event dated by itself,
an undated alliance the team judged wrong."""

from types import SimpleNamespace

import pytest

from tests.factories import ActorFactory, EventFactory, FactionFactory, SourceFactory
from wiki.models import FactionRelation, Membership, Participation, Rank
from wiki.services import relation_save

PASSAGES = {
    "leader": "Massoud led the Jamiat forces in the north",
    "member": "The hidden man joined the Jamiat in secret",
    "battle": "The Taliban took Kabul after a short battle",
    "alliance": "Jamiat and Hezb were allied for a while",
    "founder": "Rabbani founded the Jamiat as a student group",
}
SHIELD_QUOTE = "The shieldword feud between Jamiat and the Taliban"
SECRET_QUOTE = "The unpublished notes say he joined early"


def save(relation, evidence):
    relation.evidence = evidence
    return relation_save(relation=relation, user=None)


@pytest.fixture
def world():
    SourceFactory(key="corpus", text=" ".join(PASSAGES.values()), reliability="A")
    SourceFactory(
        key="shield",
        title="Shieldword interview",
        text=f"{SHIELD_QUOTE} was old.",
        is_public=False,
        is_protected=True,
        reliability="B",
    )
    SourceFactory(key="secret", text=f"{SECRET_QUOTE}.", is_public=False)
    massoud = ActorFactory(title="Ahmad Shah Massoud", slug="massoud", tags=["north"])
    rabbani = ActorFactory(title="Burhanuddin Rabbani", slug="rabbani")
    hidden = ActorFactory(title="Hidden Man", slug="hidden-man", is_public=False)
    jamiat = FactionFactory(title="Jamiat-e Islami", slug="jamiat", founded="1972")
    taliban = FactionFactory(title="Taliban", slug="taliban")
    hezb = FactionFactory(title="Hezb-e Islami", slug="hezb")
    battle = EventFactory(title="Battle of Kabul", slug="battle-of-kabul", start="1996-09-27")

    def cite(name):
        return f'[@corpus "{PASSAGES[name]}"]'

    leader = save(
        Membership(actor=massoud, faction=jamiat, role="leader", start="1978~", end="2001-09-09"),
        cite("leader"),
    )
    founder = save(
        Membership(actor=rabbani, faction=jamiat, role="founder", start="1972"), cite("founder")
    )
    member = save(
        Membership(actor=hidden, faction=jamiat, role="member", start="1990"),
        f'[@secret "{SECRET_QUOTE}"]',
    )
    rivalry = save(
        FactionRelation(faction=jamiat, other=taliban, kind="rivalry", start="1994"),
        f'[@shield "{SHIELD_QUOTE}"]',
    )
    alliance = save(FactionRelation(faction=jamiat, other=hezb, kind="alliance"), cite("alliance"))
    FactionRelation.objects.filter(pk=alliance.pk).update(
        rank=Rank.DEPRECATED, rank_reason="A later report denies it"
    )
    battle_part = save(
        Participation(event=battle, faction=taliban, role="perpetrator"), cite("battle")
    )
    return SimpleNamespace(**locals())
