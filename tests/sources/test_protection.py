"""Protected sources: never published, yet citable from published pages, where the public sees
"withheld source" and its grade, and nothing else of it (tests/test_leak_matrix.py plants one
everywhere)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sources.citations.syntax import CitationRef
from sources.models import Citation, Source
from sources.publishing import source_publish
from sources.services import citation_grade, source_revert, source_save
from tests.factories import ActorFactory, SourceFactory, curator, editor
from wiki.markup.rendering import WITHHELD, withheld_reference
from wiki.services import page_publish, page_save, publish_blockers

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"


def protected(key="inside", **fields):
    return SourceFactory(
        key=key, title="Interview with a commander", is_public=False, is_protected=True, **fields
    )


def draft_citing(key):
    page = ActorFactory(slug="massoud", title="Massoud", is_public=False)
    return page_save(page=page, body=f'He led it. [@{key}, p. 4 "{QUOTE}"]', user=None)


# ---------------------------------------------------------------------------------------------
# Never published


def test_the_database_refuses_a_protected_source_that_is_published():
    source = protected()
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(is_public=True)


def test_saving_a_published_source_as_protected_is_refused_with_a_reason():
    source = SourceFactory(key="ric")
    source.is_protected = True
    with pytest.raises(ValidationError) as refused:
        source_save(source=source, user=None)
    assert "a curator must unpublish it before it can be protected" in str(refused.value)
    assert not Source.objects.get(key="ric").is_protected


def test_publishing_a_protected_source_is_refused():
    source = protected()
    with pytest.raises(ValidationError) as refused:
        source_publish(source=source, user=curator(), publish=True)
    assert refused.value.code == "protected"
    assert "“inside” is protected" in refused.value.messages[0]
    assert not Source.objects.get(key="inside").is_public


def test_a_source_published_pages_cite_stays_protected():
    source = protected()
    page_publish(page=draft_citing("inside"), user=curator())
    source.is_protected = False
    with pytest.raises(ValidationError) as refused:
        source_save(source=source, user=None)
    assert "stays protected while published pages cite it" in str(refused.value)
    assert "Massoud (actor, /actors/massoud/)" in str(refused.value)


def test_a_revert_keeps_the_protection_as_it_is():
    source = protected()
    source_save(source=source, user=None)
    first = source.history.first()
    source.is_protected = False
    source_save(source=source, user=None)
    source_revert(source=source, revision=first, user=editor())
    assert not Source.objects.get(key="inside").is_protected


def test_an_editor_protects_an_unpublished_source_in_the_source_form(client):
    source = SourceFactory(key="inside", is_public=False)
    client.force_login(editor())
    form = client.get("/sources/inside/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"is_protected": "on", "tags": "", "base_revision": form.next_base_revision}
    assert client.post("/sources/inside/edit/", data).status_code == 302
    source.refresh_from_db()
    assert source.is_protected and source.history.first().is_protected


def test_the_source_form_refuses_to_protect_a_published_source(client):
    SourceFactory(key="ric")
    client.force_login(editor())
    form = client.get("/sources/ric/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"is_protected": "on", "tags": "", "base_revision": form.next_base_revision}
    response = client.post("/sources/ric/edit/", data)
    assert response.status_code == 200
    assert "a curator must unpublish it" in response.context["form"].errors["is_protected"][0]
    assert not Source.objects.get(key="ric").is_protected


# ---------------------------------------------------------------------------------------------
# Published pages may cite it


def test_a_page_citing_a_protected_source_can_be_published():
    protected()
    page = draft_citing("inside")
    assert publish_blockers(page) == []
    assert page_publish(page=page, user=curator()).is_public


def test_a_page_citing_a_plain_unpublished_source_still_cannot():
    SourceFactory(key="draft-report", is_public=False)
    page = draft_citing("draft-report")
    assert publish_blockers(page) == ["The cited source “draft-report” is not published."]
    with pytest.raises(ValidationError):
        page_publish(page=page, user=curator())


def test_the_public_sees_withheld_source_and_its_grade_and_the_team_everything(client):
    protected(reliability="B")
    page = page_publish(page=draft_citing("inside"), user=curator())
    citation_grade(citation=Citation.objects.get(), credibility=2, user=None)
    html = client.get(page.get_absolute_url()).content.decode()
    assert '<span class="withheld-source">Withheld source</span>' in html
    assert '<abbr class="grade" title="B: usually reliable; 2: probably true">B2</abbr>' in html
    assert 'title="Withheld source">[1]</a>' in html and 'class="footnote-ref withheld"' in html
    for secret in ("inside", "Interview", "p. 4", "Northern Alliance", "/sources/"):
        assert secret not in html.split('<div class="prose">', 1)[1].split("</article>")[0]
    client.force_login(editor())
    team = client.get(page.get_absolute_url()).content.decode()
    assert "Interview with a commander" in team and QUOTE in team and "withheld-source" not in team
    assert "B2</abbr>" in team


def test_a_withheld_reference_keeps_nothing_but_the_grade():
    source = protected(reliability="E")
    citation = Citation.objects.create(source=source, quote=QUOTE, locator="p. 4", credibility=5)
    reference = withheld_reference(citation)
    assert reference.ref == CitationRef("") and reference.status == WITHHELD
    assert (reference.source, reference.citation, reference.url) == (None, None, "")
    assert (reference.quote, reference.locator) == ("", "")
    assert reference.protected and reference.grade.label == "E5"
    assert reference.target.label == "Withheld source"


def test_the_public_never_reaches_a_protected_source(client):
    protected()
    assert client.get("/sources/inside/").status_code == 404
    assert client.get("/sources/inside/cite.bib").status_code == 404
    assert "inside" not in client.get("/sources/").content.decode()


def test_curators_are_offered_no_publish_button_for_a_protected_source(client):
    protected()
    client.force_login(curator())
    html = client.get("/sources/inside/").content.decode()
    assert "Protected: never published" in html and 'action="/sources/inside/publish/"' not in html
