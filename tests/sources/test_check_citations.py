"""`manage.py check_citations` fails while a citing text quotes other words than its passage."""

import pytest

from sources.citations.reanchoring import citations_reanchor
from sources.services import source_save
from tests.factories import (
    SAMPLE_TEXT,
    ActorFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
)
from tests.sources.citations.test_reanchoring import check_citations
from wiki.services import page_save, relation_save

pytestmark = pytest.mark.django_db

TYPO, FIXED = "head of the Jamiat-e Islamy Party", "head of the Jamiat-e Islami Party"


def typo_source(key="ric-1999"):
    return SourceFactory(key=key, text=SAMPLE_TEXT.replace(FIXED, TYPO))


def retext_behind_the_pages(source, text=SAMPLE_TEXT):
    """Change the text and re-anchor, but without source_save: the citing texts do not follow."""
    source.text = text
    source.save()
    return citations_reanchor(source=source)


def test_a_page_quoting_the_old_words_of_a_requoted_passage_fails_the_check():
    source = typo_source()
    page = page_save(
        page=ActorFactory(title="Massoud"), body=f'Led it. [@ric-1999 "{TYPO}"]', user=None
    )
    citation = retext_behind_the_pages(source).requotes[0]
    status, out, err = check_citations()
    assert status == 1
    assert (
        f"QUOTE DIFFERS ric-1999 #{citation.citation_id} “{FIXED}”: {page} (actor) quotes “{TYPO}”"
        in out.splitlines()
    )
    assert "1 quote in pages or relations that differs from the passage cited" in err


def test_relation_evidence_is_checked_too():
    source = typo_source()
    membership = MembershipFactory.build(
        actor=ActorFactory(), faction=FactionFactory(), evidence=f'[@ric-1999 "{TYPO}"]'
    )
    relation_save(relation=membership, user=None)
    retext_behind_the_pages(source)
    status, out, _ = check_citations("--quiet")
    assert status == 1
    assert out.startswith("QUOTE DIFFERS ric-1999") and f"{membership} (membership)" in out


def test_the_check_passes_once_source_save_has_carried_the_correction_through():
    source = typo_source()
    page_save(page=ActorFactory(), body=f'Led it. [@ric-1999 "{TYPO}"]', user=None)
    source.text = SAMPLE_TEXT
    source_save(source=source, user=None)
    status, out, err = check_citations()
    assert (status, err) == (0, "")
    assert "QUOTE DIFFERS" not in out


def test_quotes_typed_otherwise_but_reading_the_same_pass():
    source = SourceFactory(key="ric-1999")
    body = 'Led it. [@ric-1999, p. 2 "AHMAD  SHAH MAS\'UD, head of the Jamiat—e Islami Party"]'
    page_save(page=ActorFactory(), body=body, user=None)
    assert check_citations("--quiet") == (0, "", "")
    source.text = "Preface. " + source.text
    source.save()
    assert check_citations("--quiet") == (0, "", "")


def test_the_check_of_one_source_looks_at_its_quotes_only():
    source = typo_source()
    page_save(page=ActorFactory(), body=f'Led it. [@ric-1999 "{TYPO}"]', user=None)
    retext_behind_the_pages(source)
    SourceFactory(key="other")
    assert check_citations("--source", "other", "--quiet")[0] == 0
    assert check_citations("--source", "ric-1999", "--quiet")[0] == 1


def test_a_text_changed_behind_the_service_no_longer_quotes_its_citation():
    SourceFactory(key="ric-1999")
    page = page_save(
        page=ActorFactory(title="Massoud"), body=f'Led it. [@ric-1999 "{FIXED}"]', user=None
    )
    type(page).objects.filter(pk=page.pk).update(body="Led it.")
    status, out, _ = check_citations("--quiet")
    assert status == 1
    assert out.endswith(f"“{FIXED}”: Massoud (actor) no longer quotes it\n")
