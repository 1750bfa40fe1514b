"""A fact whose passage comes from a protected source: the public sees the dispute, the withheld
source and its grade, and nothing else of it; the team sees the source."""

import pytest

from tests.factories import FactionFactory, SourceFactory
from wiki.models import Claim
from wiki.services import claim_save

pytestmark = pytest.mark.django_db

OPEN = "In 1992, the Northern Alliance was established"
HIDDEN = "the alliance was really formed in 1996, said the informant"


@pytest.fixture
def disputed():
    SourceFactory(key="open", title="Open report", text=f"{OPEN} in opposition.")
    SourceFactory(
        key="informant",
        title="Confidential interview",
        text=f"Notes: {HIDDEN}.",
        is_public=False,
        is_protected=True,
        reliability="C",
    )
    faction = FactionFactory(slug="na", is_public=True)
    for value, evidence in (("1992", f'[@open "{OPEN}"]'), ("1996", f'[@informant "{HIDDEN}"]')):
        claim_save(
            claim=Claim(subject=faction, field="founded", value=value, evidence=evidence), user=None
        )
    return faction


def test_the_public_sees_the_dispute_with_the_protected_passage_withheld(client, disputed):
    html = client.get(disputed.get_absolute_url()).content.decode()
    facts = html[html.index('class="infobox"') : html.index("</aside>")]
    assert 'dd class="claim-values disputed"' in facts and "1996" in facts
    passages = facts[facts.index('class="claim__passages"') :]
    assert '<span class="withheld-source">Withheld source</span>' in passages
    assert ">C</abbr>" in passages
    for secret in ("informant", "Confidential interview", "really formed"):
        assert secret not in html


def test_the_team_sees_the_protected_source(editor_client, disputed):
    html = editor_client.get(disputed.get_absolute_url()).content.decode()
    assert "Confidential interview" in html and "really formed in 1996" in html
