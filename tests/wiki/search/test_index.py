"""The search index follows every save, publish, unpublish and delete, and can be rebuilt."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from sources.publishing import source_publish
from sources.services import source_save
from tests.factories import SourceFactory, curator, editor
from tests.wiki.search.helpers import page, source, titles
from wiki.models import SearchDocument
from wiki.search.index import search_index_fill_missing
from wiki.services import page_delete, page_publish, page_save

pytestmark = pytest.mark.django_db


def cited_page(title, **fields):
    """A page that may be published: every statement cited from a public source."""
    SourceFactory(key="ric")
    return page(
        title, body=f'{title} led the defence. [@ric "led by President Najibullah"]', **fields
    )


def test_saving_a_page_indexes_its_new_title_and_forgets_the_old():
    entry = page("Kabul notes")
    entry.title = "Herat notes"
    page_save(page=entry, user=None)
    assert titles("Herat") == ["Herat notes"]
    assert titles("Kabul") == []
    assert SearchDocument.objects.count() == 1


def test_saving_a_page_indexes_its_body_aliases_and_tags():
    entry = page("A")
    page_save(page=entry, body="Balkh province.", user=None, tags=["north"])
    entry.aliases = "The Lion"
    page_save(page=entry, user=None)
    assert titles("Balkh") == ["A"]
    assert titles("lion") == ["A"]
    assert [tag.slug for tag in SearchDocument.objects.get().tags.all()] == ["north"]


def test_unpublishing_hides_a_page_from_visitors_and_publishing_shows_it():
    entry = cited_page("Massoud", public=False)
    assert titles("Massoud") == []
    page_publish(page=entry, user=curator())
    assert titles("Massoud") == ["Massoud"]
    page_publish(page=entry, user=curator(), publish=False)
    assert titles("Massoud") == []
    assert titles("Massoud", user=editor()) == ["Massoud"]


def test_deleting_a_page_removes_it_from_the_index():
    entry = page("Kabul notes")
    page_delete(page=entry, user=curator())
    assert titles("Kabul") == []
    assert not SearchDocument.objects.exists()


def test_a_refused_save_leaves_the_index_as_it_was():
    entry = page("Kabul notes")
    entry.title = "Herat notes"
    with pytest.raises(ValidationError):
        page_save(page=entry, body='Herat. [@missing "no such source"]', user=None)
    assert titles("Kabul") == ["Kabul notes"]
    assert titles("Herat") == []


def test_saving_a_source_indexes_its_new_text():
    report = source("ric", title="Report", text="Malik revolted.")
    report.text = "Dostum returned."
    source_save(source=report, user=None)
    assert titles("Dostum") == ["Report"]
    assert titles("Malik") == []


def test_publishing_a_source_shows_it_to_visitors():
    report = source("ric", title="Report", text="Malik revolted.", public=False)
    assert titles("Malik") == []
    source_publish(source=report, user=curator())
    assert titles("Malik") == ["Report"]


def test_deleting_a_source_outside_the_services_removes_it_from_the_index():
    report = source("ric", title="Report", text="Malik revolted.")
    report.delete()  # as the admin's delete does
    assert not SearchDocument.objects.exists()


def test_postgres_stores_the_search_vector(postgres_only):
    page("Kabul notes", body="Balkh.")
    vector = SearchDocument.objects.values_list("search_vector", flat=True).get()
    assert "'kabul':1A" in vector and "'balkh'" in vector


def test_rebuild_command_indexes_everything_again_and_drops_what_is_gone():
    page("Kabul notes")
    source("ric", title="Report", text="Malik.")
    SearchDocument.objects.all().delete()
    stale = page("Gone")
    type(stale).objects.filter(pk=stale.pk).delete()  # bypasses services and signals
    out = StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=StringIO())
    assert "Indexed 2 pages and sources." in out.getvalue()
    assert titles("Kabul") == ["Kabul notes"]
    assert titles("Malik") == ["Report"]
    assert titles("Gone") == []


def test_rebuild_shows_progress_on_a_terminal(monkeypatch):
    page("Kabul notes")
    err = StringIO()
    monkeypatch.setattr(err, "isatty", lambda: True, raising=False)
    call_command("rebuild_search_index", stdout=StringIO(), stderr=err)
    assert "Indexing [" in err.getvalue() and "1/1" in err.getvalue()


def test_fill_missing_indexes_only_what_has_no_document():
    page("Kabul notes")
    SourceFactory(key="raw", title="Raw report", text="Malik.")  # written without source_save
    assert search_index_fill_missing() == 1
    assert search_index_fill_missing() == 0
    assert titles("Malik") == ["Raw report"]
