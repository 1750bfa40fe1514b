"""Grading: a source's reliability (the source form), a passage's credibility (the viewer's
forms, through citation_grade), the filters, and the grades beside what cites the passage."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sources.common.history.merging import ConflictingEdit, latest_history_id
from sources.models import Citation
from sources.services import citation_grade, source_save
from tests.factories import (
    ActorFactory,
    CitationFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
    curator,
    editor,
)
from wiki.markup.rendering import page_body
from wiki.selectors import entry_relations
from wiki.services import page_save, relation_save

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"


def grade_url(citation):
    return reverse("sources:passage-grade", args=[citation.source.key, citation.pk])


def cited(**source):
    """A graded source and a passage of it, cited by a published page."""
    SourceFactory(key="ric", reliability="B", **source)
    page = page_save(page=ActorFactory(slug="massoud"), body=f'A. [@ric "{QUOTE}"]', user=None)
    return page, Citation.objects.get(source__key="ric")


# ---------------------------------------------------------------------------------------------
# The service


def test_grading_a_passage_records_one_revision_with_who_and_why():
    citation = CitationFactory()
    grader = editor()
    citation_grade(citation=citation, credibility=2, user=grader, change_reason="Two witnesses")
    citation.refresh_from_db()
    record = citation.history.first()
    assert citation.credibility == 2 and citation.history.count() == 2
    assert (record.history_user, record.history_change_reason) == (grader, "Two witnesses")


def test_the_default_reason_says_the_grade_in_words():
    citation = CitationFactory()
    citation_grade(citation=citation, credibility=4, user=editor())
    assert citation.history.first().history_change_reason == "Credibility 4: doubtful"
    citation_grade(citation=citation, credibility=None, user=editor())
    assert citation.history.first().history_change_reason == "Credibility not graded"


def test_grading_a_passage_as_it_stands_writes_no_revision():
    citation = CitationFactory(credibility=3)
    citation_grade(citation=citation, credibility=3, user=editor())
    assert citation.history.count() == 1


def test_a_grade_that_crossed_another_grading_is_refused_and_changes_nothing():
    citation = CitationFactory()
    base = latest_history_id(citation)
    citation_grade(citation=citation, credibility=1, user=editor("first"), base_revision=base)
    with pytest.raises(ConflictingEdit) as crossed:
        citation_grade(citation=citation, credibility=5, user=editor("second"), base_revision=base)
    assert crossed.value.fields == ["credibility"]
    citation.refresh_from_db()
    assert citation.credibility == 1 and citation.history.count() == 2


def test_a_grade_that_crossed_a_re_anchoring_is_applied():
    source = SourceFactory(key="ric")
    citation = CitationFactory(source=source)
    base = latest_history_id(citation)
    source.text = "A new opening sentence. " + source.text
    source_save(source=source, user=None)  # moves the passage: a revision of the citation
    citation_grade(citation=citation, credibility=2, user=editor(), base_revision=base)
    citation.refresh_from_db()
    assert citation.credibility == 2 and citation.start > 0


@pytest.mark.parametrize("credibility", [0, 7, "2", "B"])
def test_only_grades_of_the_scale_are_taken(credibility):
    with pytest.raises(ValidationError):
        citation_grade(citation=CitationFactory(), credibility=credibility, user=editor())


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_only_the_team_grades(who):
    user = AnonymousUser() if who == "anonymous" else UserFactory(username="outsider")
    citation = CitationFactory()
    with pytest.raises(PermissionDenied):
        citation_grade(citation=citation, credibility=2, user=user)
    assert citation.history.count() == 1


@pytest.mark.parametrize("make", [editor, curator])
def test_editors_and_curators_grade(make):
    citation = CitationFactory()
    assert citation_grade(citation=citation, credibility=6, user=make()).credibility == 6


# ---------------------------------------------------------------------------------------------
# The viewer's forms


def test_the_team_grades_a_passage_from_the_viewer(client):
    _, citation = cited()
    client.force_login(editor())
    page = client.get(citation.source.get_absolute_url()).content.decode()
    assert f'action="{grade_url(citation)}"' in page and 'name="base_revision"' in page
    data = {"credibility": "2", "change_reason": "Seen", "base_revision": citation.history.get().pk}
    response = client.post(grade_url(citation), data)
    assert response.url == f"/sources/ric/#c{citation.pk}"
    citation.refresh_from_db()
    assert citation.credibility == 2
    assert citation.history.first().history_change_reason == "Seen"
    viewer = client.get(citation.source.get_absolute_url()).content.decode()
    assert '<abbr class="grade" title="B: usually reliable; 2: probably true">B2</abbr>' in viewer


def test_a_stale_grading_form_is_refused_with_a_message(client):
    _, citation = cited()
    base = citation.history.get().pk
    citation_grade(citation=citation, credibility=1, user=None)
    client.force_login(editor())
    response = client.post(grade_url(citation), {"credibility": "5", "base_revision": base})
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert "Nothing was saved: someone graded this passage" in message
    assert "B: usually reliable; 1: confirmed by other sources" in message
    citation.refresh_from_db()
    assert citation.credibility == 1


def test_a_passage_is_graded_through_its_own_source_only(client):
    _, citation = cited()
    SourceFactory(key="other")
    client.force_login(editor())
    url = reverse("sources:passage-grade", args=["other", citation.pk])
    assert client.post(url, {"credibility": "2"}).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("outsider", 403), ("editor", 302), ("curator", 302)]
)
def test_who_may_post_a_grade(client, who, status):
    _, citation = cited()
    users = {"outsider": lambda: UserFactory(username="outsider"), "editor": editor}
    if who != "anonymous":
        client.force_login(users.get(who, curator)())
    response = client.post(grade_url(citation), {"credibility": "3"})
    assert response.status_code == status
    citation.refresh_from_db()
    assert citation.credibility == (3 if who in ("editor", "curator") else None)
    if who == "anonymous":
        assert response.url.startswith("/accounts/login/")


def test_the_public_sees_the_grades_and_the_legend_but_no_grading_form(client):
    _, citation = cited()
    citation_grade(citation=citation, credibility=2, user=None)
    page = client.get("/sources/ric/").content.decode()
    assert "B2</abbr>" in page and "usually reliable" in page and "grade-legend" in page
    assert "passage-grading" not in page and "csrfmiddlewaretoken" not in page


# ---------------------------------------------------------------------------------------------
# The source form and the filters


def test_the_source_form_sets_the_reliability_and_why_as_one_revision(client):
    source = SourceFactory(key="ric")
    client.force_login(editor())
    form = client.get("/sources/ric/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"reliability": "C", "reliability_reason": "One reporter, no second source"}
    data |= {"tags": "", "base_revision": form.fields["base_revision"].initial}
    assert client.post("/sources/ric/edit/", data).status_code == 302
    source.refresh_from_db()
    assert (source.reliability, source.reliability_reason) == ("C", data["reliability_reason"])
    assert source.history.first().reliability == "C"
    assert "One reporter, no second source" in client.get("/sources/ric/").content.decode()


@pytest.mark.parametrize(
    ("query", "shown"),
    [("", {"a", "b", "none"}), ("?reliability=A", {"a"}), ("?reliability=a&reliability=B",
     {"a", "b"}), ("?reliability=Q", {"a", "b", "none"})],
)  # fmt: skip
def test_the_source_list_filters_by_reliability(client, query, shown):
    for key, grade in (("a", "A"), ("b", "B"), ("none", "")):
        SourceFactory(key=key, reliability=grade)
    rows = client.get(f"/sources/{query}").context["rows"]
    assert {row.source.key for row in rows} == shown


def test_the_search_filters_sources_by_reliability_and_keeps_pages(client):
    for key, grade in (("graded-a", "A"), ("graded-b", "B")):
        source = SourceFactory.build(key=key, title=f"Report {key}", reliability=grade)
        source_save(source=source, user=None)
    page_save(page=ActorFactory(title="Report reader"), body="A report.", user=None)
    found = client.get("/search/", {"q": "report", "reliability": "A"}).context["found"]
    assert {result.title for result in found.results} == {"Report graded-a", "Report reader"}
    every = client.get("/search/", {"q": "report", "go": "0"}).context["found"]
    assert "Report graded-b" in {result.title for result in every.results}


# ---------------------------------------------------------------------------------------------
# Beside what cites the passage


@pytest.mark.parametrize("team", [False, True])
def test_the_grades_of_footnotes_and_relations_cost_no_query(django_assert_num_queries, team):
    page, citation = cited()
    citation_grade(citation=citation, credibility=2, user=None)
    relation_save(
        relation=MembershipFactory.build(
            actor=page, faction=FactionFactory(), evidence=f'[@ric "{QUOTE}"]'
        ),
        user=None,
    )
    reader = editor() if team else AnonymousUser()
    references, sections = page_body(page, reader).references, entry_relations(page, reader)
    passages = [c for section in sections for row in section.rows for c in row.citations]
    with django_assert_num_queries(0):
        grades = {item.grade.label for item in [*references, *passages]}
    assert grades == {"B2"} and len(passages) == 1


def test_a_relation_table_shows_each_passage_with_its_grade(client):
    page, citation = cited()
    citation_grade(citation=citation, credibility=5, user=None)
    relation_save(
        relation=MembershipFactory.build(
            actor=page, faction=FactionFactory(), evidence=f'[@ric "{QUOTE}"]'
        ),
        user=None,
    )
    html = client.get("/actors/massoud/").content.decode()
    table = html.split('class="relation-cites"', 1)[1].split("</ul>", 1)[0]
    assert '<abbr class="grade" title="B: usually reliable; 5: improbable">B5</abbr>' in table
    references = html.split('class="references"', 1)[1]
    assert "B5</abbr>" in references and 'class="grade-legend"' in references
