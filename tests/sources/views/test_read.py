"""Source pages: the list and the viewer with its marked passages; visibility and query counts."""

import pytest
from django.test import Client
from django.urls import reverse

from sources.models import Citation, Source
from sources.selectors import Segment, date_display, text_segments
from tests.factories import (
    ActorFactory,
    CitationFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
    editor,
)
from wiki.models import Claim
from wiki.services import claim_save, page_save, relation_save

pytestmark = pytest.mark.django_db

PASSAGES = [f"Passage {n:02d} says who stood where." for n in range(1, 13)]


def corpus(key="corpus", **kwargs):
    return SourceFactory(key=key, text="\n\n".join(PASSAGES), **kwargs)


def evidence(n, key="corpus"):
    return f'[@{key} "{PASSAGES[n]}"]'


@pytest.fixture
def editor_client():
    """A second browser, logged in as an editor (the `client` fixture stays anonymous)."""
    browser = Client()
    browser.force_login(editor(username="team-member"))
    return browser


def list_url(**params):
    url = reverse("sources:source-list")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


# ---------------------------------------------------------------------------------------------
# Pages answer; drafts are 404 for the public


def test_the_source_list_answers(client):
    SourceFactory(title="Country report")
    response = client.get(list_url())
    assert response.status_code == 200
    assert "Country report" in response.content.decode()


def test_the_source_page_shows_its_metadata(client):
    source = SourceFactory(
        title="Country report",
        authors="A. Author",
        publisher="RIC",
        published="1999-12-14",
        document_symbol="AFG00001.REF",
        url="https://example.org/report",
        language="en",
    )
    source.tags.add("Afghanistan")
    html = client.get(source.get_absolute_url()).content.decode()
    for text in ["Country report", "A. Author", "RIC", "14 December 1999", "AFG00001.REF"]:
        assert text in html
    assert '<a href="https://example.org/report"' in html
    assert 'href="/tags/afghanistan/"' in html


def test_a_url_that_is_not_http_is_not_a_link(client):
    source = SourceFactory(url="javascript:alert(1)")
    html = client.get(source.get_absolute_url()).content.decode()
    assert 'href="javascript:' not in html


def test_an_unpublished_source_is_404_for_the_public(client):
    source = SourceFactory(is_public=False)
    assert client.get(source.get_absolute_url()).status_code == 404


def test_an_unpublished_source_is_shown_to_the_team(editor_client):
    source = SourceFactory(is_public=False)
    response = editor_client.get(source.get_absolute_url())
    assert response.status_code == 200
    assert "badge--draft" in response.content.decode()


def test_the_list_hides_drafts_from_the_public(client, editor_client):
    SourceFactory(title="Open report")
    SourceFactory(title="Draft report", is_public=False)
    html = client.get(list_url()).content.decode()
    assert "Open report" in html and "Draft report" not in html
    assert "Draft report" in editor_client.get(list_url()).content.decode()


def test_notes_are_for_the_team_only(client, editor_client):
    source = SourceFactory(notes="Ask the archive about page 4.")
    assert "Ask the archive" not in client.get(source.get_absolute_url()).content.decode()
    assert "Ask the archive" in editor_client.get(source.get_absolute_url()).content.decode()


def test_the_public_never_sees_who_edited_a_source(client):
    source = SourceFactory()
    source.updated_by = editor(username="ed-the-writer")
    source.save()
    assert "ed-the-writer" not in client.get(source.get_absolute_url()).content.decode()


# ---------------------------------------------------------------------------------------------
# The stored text with its passages marked


def test_a_cited_passage_is_wrapped_in_a_mark_with_the_citation_id(client):
    source = SourceFactory(key="ric")
    page_save(
        page=ActorFactory(),
        body='Founded. [@ric "the Northern Alliance was established"]',
        user=None,
    )
    citation = Citation.objects.get()
    html = client.get(source.get_absolute_url()).content.decode()
    assert f'<mark id="c{citation.pk}">the Northern Alliance was established</mark>' in html


def test_the_text_is_escaped_and_keeps_its_line_breaks(client):
    source = SourceFactory(text="First line <b>bold?</b>\n\nSecond paragraph & more.")
    html = client.get(source.get_absolute_url()).content.decode()
    assert "First line &lt;b&gt;bold?&lt;/b&gt;\n\nSecond paragraph &amp; more." in html


def test_overlapping_passages_are_never_nested(editor_client):
    source = SourceFactory()
    first = CitationFactory(source=source, quote="Northern Alliance was established")
    second = CitationFactory(source=source, quote="was established in opposition")
    inner = CitationFactory(source=source, quote="Alliance")
    html = editor_client.get(source.get_absolute_url()).content.decode()
    assert (
        f'<mark id="c{inner.pk}"></mark><mark id="c{second.pk}"></mark>'
        f'<mark id="c{first.pk}">Northern Alliance was established</mark>'
        f'<mark class="continued"> in opposition</mark>'
    ) in html


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], [Segment("abcdefghij")]),
        ([(1, 2, 4)], [Segment("ab"), Segment("cd", 1, True), Segment("efghij")]),
        (  # touching passages are two marks side by side
            [(1, 0, 2), (2, 2, 4)],
            [Segment("ab", 1, True), Segment("cd", 2, True), Segment("efghij")],
        ),
        (  # an overlap: the later passage anchors before the run, the run continues
            [(1, 0, 4), (2, 2, 6)],
            [Segment("abcd", 1, True, (2,)), Segment("ef", None, True), Segment("ghij")],
        ),
        (  # a passage inside another: only an anchor
            [(1, 0, 6), (2, 2, 4)],
            [Segment("abcdef", 1, True, (2,)), Segment("ghij")],
        ),
        (  # the same start: the longer passage gets the mark
            [(1, 0, 2), (2, 0, 4)],
            [Segment("abcd", 2, True, (1,)), Segment("efghij")],
        ),
    ],
)
def test_text_segments(spans, expected):
    text = "abcdefghij"
    citations = [
        Citation(pk=pk, start=start, end=end, quote=text[start:end], status="anchored")
        for pk, start, end in spans
    ]
    assert text_segments(text, citations) == expected


def test_a_citation_whose_offsets_no_longer_match_is_not_marked():
    citation = Citation(pk=1, start=0, end=3, quote="xyz", status="anchored")
    assert text_segments("abcdef", [citation]) == [Segment("abcdef")]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1999-12-14", "14 December 1999"),
        ("2021-08", "August 2021"),
        ("1997", "1997"),
        ("1997~", "c. 1997"),
        ("1990/1992", "1990 – 1992"),
        ("1997-21", "1997-21"),
        ("", ""),
    ],
)
def test_date_display(value, shown):
    assert date_display(value) == shown


# ---------------------------------------------------------------------------------------------
# Cited by


def test_cited_by_lists_pages_and_relations_the_public_may_see(client, editor_client):
    source = corpus()
    page_save(page=ActorFactory(title="Open page"), body=f"A. {evidence(0)}", user=None)
    page_save(
        page=ActorFactory(title="Draft page", is_public=False), body=f"B. {evidence(1)}", user=None
    )
    relation_save(
        relation=MembershipFactory.build(
            actor=ActorFactory(title="Member"),
            faction=FactionFactory(title="Party"),
            evidence=evidence(2),
        ),
        user=None,
    )
    relation_save(
        relation=MembershipFactory.build(
            actor=ActorFactory(title="Hidden member", is_public=False),
            faction=FactionFactory(title="Other party"),
            evidence=evidence(3),
        ),
        user=None,
    )
    rows = client.get(source.get_absolute_url()).context["reading"].cited_by
    assert sorted(row.label for row in rows) == ["Member — member of Party", "Open page"]
    team_rows = editor_client.get(source.get_absolute_url()).context["reading"].cited_by
    assert len(team_rows) == 4


def test_a_fact_cites_through_its_page_which_the_public_must_see(client, editor_client):
    source = corpus()
    for slug, is_public, n in (("open-page", True, 4), ("draft-page", False, 5)):
        page = page_save(page=ActorFactory(slug=slug, is_public=is_public), body="", user=None)
        claim = Claim(subject=page, field="born", value="1950", evidence=evidence(n))
        claim_save(claim=claim, user=None)
    rows = client.get(source.get_absolute_url()).context["reading"].cited_by
    assert [(row.label, row.url, row.is_public) for row in rows] == [
        ("Born: 1950", "/actors/open-page/", True)
    ]
    team_rows = editor_client.get(source.get_absolute_url()).context["reading"].cited_by
    assert sorted((row.url, row.is_public) for row in team_rows) == [
        ("/actors/draft-page/", False),
        ("/actors/open-page/", True),
    ]


def test_the_public_sees_only_passages_that_something_visible_cites(client):
    source = corpus()
    page_save(page=ActorFactory(), body=f"A. {evidence(0)}", user=None)
    page_save(page=ActorFactory(is_public=False), body=f"B. {evidence(1)}", user=None)
    html = client.get(source.get_absolute_url()).content.decode()
    shown, hidden = Citation.objects.order_by("start")
    assert f'<mark id="c{shown.pk}">' in html and f'id="c{hidden.pk}"' not in html


def test_a_whole_document_citation_gets_its_anchor_in_a_list(client):
    source = corpus()
    page_save(page=ActorFactory(), body="A. [@corpus]", user=None)
    citation = Citation.objects.get()
    html = client.get(source.get_absolute_url()).content.decode()
    assert f'<li id="c{citation.pk}">' in html


# ---------------------------------------------------------------------------------------------
# Lists: tags, kinds, pagination


def test_the_list_filters_by_tag_and_kind(client):
    SourceFactory(title="Tagged report").tags.add("north")
    SourceFactory(title="Tagged book", kind=Source.Kind.BOOK).tags.add("north")
    SourceFactory(title="Untagged report")
    html = client.get(list_url(tag="north")).content.decode()
    assert "Tagged report" in html and "Tagged book" in html and "Untagged report" not in html
    html = client.get(list_url(tag="north", kind="book")).content.decode()
    assert "Tagged book" in html and "Tagged report" not in html


def test_the_list_paginates_by_fifty(client):
    SourceFactory.create_batch(51)
    assert len(client.get(list_url()).context["rows"]) == 50
    assert len(client.get(list_url(page=2)).context["rows"]) == 1


# ---------------------------------------------------------------------------------------------
# Query counts: fixed whatever the size (anonymous visitor)


@pytest.mark.parametrize("rows", [1, 10])
def test_list_query_count_is_constant(client, django_assert_num_queries, rows):
    for source in SourceFactory.create_batch(rows):
        source.tags.add("north", "1999")
    with django_assert_num_queries(3):  # count, page of sources, their tags
        response = client.get(list_url())
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("size", [1, 10])
def test_detail_query_count_is_constant(client, django_assert_num_queries, size):
    source = corpus()
    source.tags.add("north", "1999")
    for n in range(size):
        page_save(page=ActorFactory(), body=f"A. {evidence(n)}", user=None)
        relation_save(
            relation=MembershipFactory.build(
                actor=ActorFactory(), faction=FactionFactory(), evidence=evidence(n)
            ),
            user=None,
        )
    # the content clock (public page cache), source, its tags, its citations, their uses,
    # then one per kind of citing thing (2 here), the mentions (none here)
    with django_assert_num_queries(8):
        response = client.get(source.get_absolute_url())
    assert len(response.context["reading"].cited_by) == 2 * size
