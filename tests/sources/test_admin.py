"""The curators' admin for sources and citations: one revision per save; of a citation, only
its credibility is set here (tests/sources/test_grading_admin.py)."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sources.models import Source
from sources.services import source_save
from tests.factories import ActorFactory, CitationFactory, SourceFactory, UserFactory, curator
from wiki.benchmarks.browser import form_with
from wiki.services import page_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client):
    client.force_login(curator())
    return client


def admin_url(model_name, view, *args):
    return reverse(f"admin:sources_{model_name}_{view}", args=args)


def source_form(source, **changes):
    """The source change form as a curator posts it (the citations inline left untouched)."""
    data = {
        "key": source.key,
        "title": source.title,
        "kind": source.kind,
        "authors": source.authors,
        "publisher": source.publisher,
        "published": source.published,
        "url": source.url,
        "document_symbol": source.document_symbol,
        "accessed": "",
        "language": source.language,
        "text": source.text,
        "tags": ", ".join(sorted(source.tags.names())) if source.pk else "",
        "is_public": "on" if source.is_public else "",
        "notes": source.notes,
        "change_reason": "",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def test_curator_opens_source_change_list_add_change_and_history_pages(curator_client):
    source = CitationFactory().source
    for url in (
        admin_url("source", "changelist"),
        admin_url("source", "add"),
        admin_url("source", "change", source.pk),
        admin_url("source", "history", source.pk),
    ):
        assert curator_client.get(url).status_code == 200, url


def test_curator_opens_citation_change_list_view_and_history_pages(curator_client):
    citation = CitationFactory()
    for url in (
        admin_url("citation", "changelist"),
        admin_url("citation", "change", citation.pk),
        admin_url("citation", "history", citation.pk),
    ):
        assert curator_client.get(url).status_code == 200, url


def test_citations_are_not_added_by_hand_and_their_passages_not_edited(curator_client):
    citation = CitationFactory()
    assert curator_client.get(admin_url("citation", "add")).status_code == 403
    response = curator_client.post(
        admin_url("citation", "change", citation.pk), {"quote": "something else"}
    )
    assert response.status_code == 302  # only the credibility is the curator's to set
    citation.refresh_from_db()
    assert citation.quote == "the Northern Alliance was established"
    assert citation.history.count() == 1


def test_a_citation_a_page_uses_cannot_be_deleted(curator_client):
    SourceFactory(key="ric")
    page_save(page=ActorFactory(), body='X. [@ric "led by President Najibullah"]', user=None)
    used, unused = _citation_in("ric"), CitationFactory()
    assert curator_client.get(admin_url("citation", "delete", used.pk)).status_code == 403
    assert curator_client.get(admin_url("citation", "delete", unused.pk)).status_code == 200


def _citation_in(key):
    return Source.objects.get(key=key).citations.get()


def _build_sources(count):
    user = UserFactory()
    for i in range(count):
        source = SourceFactory(updated_by=user, published=f"{1950 + i * 3}")
        source.tags.add("common", f"tag-{i}")
        CitationFactory.create_batch(2, source=source)


def _change_list_queries(client, url, rows):
    client.get(url)  # warm the per-process caches (content types) out of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows
    return len(queries)


def test_source_change_list_query_count_does_not_grow_with_rows(curator_client):
    url = admin_url("source", "changelist")
    _build_sources(2)
    with_two = _change_list_queries(curator_client, url, 2)
    _build_sources(18)
    assert _change_list_queries(curator_client, url, 20) == with_two


def test_citation_change_list_query_count_does_not_grow_with_rows(curator_client):
    url = admin_url("citation", "changelist")
    CitationFactory.create_batch(2)
    with_two = _change_list_queries(curator_client, url, 2)
    CitationFactory.create_batch(18)
    assert _change_list_queries(curator_client, url, 20) == with_two


def test_source_change_list_counts_each_sources_citations(curator_client):
    cited = SourceFactory(key="cited")
    CitationFactory.create_batch(3, source=cited)
    SourceFactory(key="uncited")
    response = curator_client.get(admin_url("source", "changelist"))
    counts = {source.key: source.citation_count for source in response.context["cl"].result_list}
    assert counts == {"cited": 3, "uncited": 0}


def test_saving_a_source_with_new_tags_writes_one_history_row_holding_the_tags(curator_client):
    source = SourceFactory()
    before = source.history.count()
    data = source_form(source, title="Renamed", tags="UNHCR, afghanistan", change_reason="Tags")
    response = curator_client.post(admin_url("source", "change", source.pk), data)
    assert response.status_code == 302
    assert source.history.count() == before + 1
    latest = source.history.first()
    assert (latest.title, latest.tag_list) == ("Renamed", "afghanistan, unhcr")
    assert (latest.history_change_reason, latest.history_user.username) == ("Tags", "curator")


def test_adding_a_source_records_its_creator(curator_client):
    data = source_form(SourceFactory.build(key="new-report"), tags="uscis")
    assert curator_client.post(admin_url("source", "add"), data).status_code == 302
    source = Source.objects.get(key="new-report")
    assert source.created_by.username == "curator"
    assert [row.tag_list for row in source.history.all()] == ["uscis"]


def test_a_saved_sources_key_cannot_be_changed_in_the_admin(curator_client):
    source = SourceFactory(key="ric-1999")
    data = source_form(source, key="renamed")
    assert curator_client.post(admin_url("source", "change", source.pk), data).status_code == 302
    source.refresh_from_db()
    assert source.key == "ric-1999"


def test_publish_action_publishes_sources_with_a_history_row_and_reason(curator_client):
    draft = SourceFactory(is_public=False)
    before = draft.history.count()
    response = curator_client.post(
        admin_url("source", "changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "Published 1 source." in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_public
    assert draft.history.count() == before + 1
    latest = draft.history.first()
    assert (latest.history_change_reason, latest.history_user.username) == ("Published", "curator")
    assert latest.text == draft.text  # the list defers the text; the revision still has it


def test_unpublish_action_records_its_reason(curator_client):
    source = SourceFactory(is_public=True)
    curator_client.post(
        admin_url("source", "changelist"), {"action": "unpublish", "_selected_action": [source.pk]}
    )
    source.refresh_from_db()
    assert not source.is_public
    assert source.history.first().history_change_reason == "Unpublished"


def test_source_search_finds_words_of_the_stored_text(curator_client):
    SourceFactory(key="with-word", text="The Hezb-e Wahdat party.")
    SourceFactory(key="without-word", text="Something else.")
    response = curator_client.get(admin_url("source", "changelist") + "?q=wahdat")
    assert [source.key for source in response.context["cl"].result_list] == ["with-word"]


def _publicly_cited(key):
    source = SourceFactory(key=key)
    page = ActorFactory(title="Massoud", is_public=True)
    page_save(page=page, body=f'He led it. [@{key} "head of the Jamiat-e Islami Party"]', user=None)
    return source


def test_unpublish_action_refuses_sources_public_pages_cite_and_unpublishes_the_rest(
    curator_client,
):
    cited, uncited = _publicly_cited("cited"), SourceFactory(key="uncited")
    before = cited.history.count()
    data = {"action": "unpublish", "_selected_action": [cited.pk, uncited.pk]}
    response = curator_client.post(admin_url("source", "changelist"), data)
    said = [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]
    cited.refresh_from_db(), uncited.refresh_from_db()
    assert (cited.is_public, uncited.is_public) == (True, False)
    assert cited.history.count() == before
    assert ("info", "Unpublished 1 source.") in said
    (refusal,) = [text for level, text in said if level == "error"]
    assert refusal.startswith(f"Not unpublished “{cited}”: “cited” cannot be unpublished while")
    assert "Massoud" in refusal


def test_unticking_published_on_the_change_form_obeys_the_same_rule(curator_client):
    cited, uncited = _publicly_cited("cited"), SourceFactory(key="uncited")
    for source in (cited, uncited):
        data = source_form(source, is_public="", title="Retitled")
        response = curator_client.post(admin_url("source", "change", source.pk), data)
        assert response.status_code == 302
        source.refresh_from_db()
        assert source.title == "Retitled"  # the edit is saved either way
    said = [m.message for m in get_messages(response.wsgi_request)]
    assert any(message.startswith(f"Not unpublished “{cited}”: “cited”") for message in said)
    assert (cited.is_public, uncited.is_public) == (True, False)
    assert uncited.history.first().history_change_reason == "Unpublished"


# ---------------------------------------------------------------------------------------------
# A change form opened a while ago: merged with what was saved since, never applied over it

PARAGRAPHS = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


def opened(client, url, **changes) -> dict:
    """The change form as the curator's browser holds it once opened, as it would post it."""
    form = form_with(client.get(url).content.decode(), "change_reason")
    data = {}
    for name, value in form.data(**changes, _save="Save"):
        data.setdefault(name, []).append(value)
    return data


def test_a_stale_source_change_form_merges_its_text_with_the_edits_saved_since(curator_client):
    source = source_save(source=SourceFactory.build(key="ric", text=PARAGRAPHS), user=None)
    url = admin_url("source", "change", source.pk)
    mine = PARAGRAPHS.replace("First", "Curated first").replace("\n", "\r\n")
    data = opened(curator_client, url, text=mine)
    edited = Source.objects.get(pk=source.pk)
    edited.text, edited.is_public = PARAGRAPHS.replace("Third", "Edited third"), False
    source_save(source=edited, user=None)
    assert curator_client.post(url, data).status_code == 302
    saved = Source.objects.get(pk=source.pk)
    assert saved.text == "Curated first paragraph.\n\nSecond paragraph.\n\nEdited third paragraph."
    assert not saved.is_public  # the box was left as it was shown: the change since stands


def test_a_source_change_form_both_changed_is_refused(curator_client):
    source = source_save(source=SourceFactory.build(key="ric", text=PARAGRAPHS), user=None)
    url = admin_url("source", "change", source.pk)
    data = opened(curator_client, url, text=PARAGRAPHS.replace("Second", "Curated second"))
    edited = Source.objects.get(pk=source.pk)
    edited.text = PARAGRAPHS.replace("Second", "Edited second")
    source_save(source=edited, user=None)
    response = curator_client.post(url, data)
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.non_field_errors()
    assert "the same lines of the text" in error
    assert Source.objects.get(pk=source.pk).text == edited.text


def test_the_admin_links_an_original_through_the_team_only_download(curator_client):
    from django.core.files.base import ContentFile

    source = SourceFactory(key="with-file")
    source.original.save("report.pdf", ContentFile(b"%PDF-1.4 bytes"), save=True)
    html = curator_client.get(admin_url("source", "change", source.pk)).content.decode()
    assert 'href="/sources/with-file/original/"' in html
    assert "/media/" not in html
