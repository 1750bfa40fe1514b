"""Source history in the browser: revisions, old metadata and text, diffs of the text, revert."""

import pytest
from django.urls import reverse

from sources.models import Citation, Source
from sources.services import source_save
from tests.factories import SAMPLE_TEXT, ActorFactory, SourceFactory
from wiki.services import page_save

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"


def history_url(source, **params):
    url = reverse("sources:source-history", args=[source.key])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def revision_url(source, rev):
    return reverse("sources:source-revision", args=[source.key, rev])


def revert_url(source, rev):
    return reverse("sources:source-revert", args=[source.key, rev])


def ids(source):
    return list(
        source.history.order_by("history_date", "history_id").values_list("history_id", flat=True)
    )


def edited(source, *, user=None, reason="", tags=None, **fields):
    for name, value in fields.items():
        setattr(source, name, value)
    return source_save(source=source, user=user, change_reason=reason, tags=tags)


def test_history_lists_user_summary_and_text_size_change(team, team_user):
    source = SourceFactory(text="Short text.")
    edited(source, user=team_user, reason="Full text pasted", text="A much longer text here.")
    response = team.get(history_url(source))
    assert response.status_code == 200
    rows = response.context["page_obj"].object_list
    assert [row.size_change for row in rows] == [13, 11]
    page = response.content.decode()
    assert "Full text pasted" in page and ">ed</a>" in page and "system" in page and "+13" in page


def test_old_revision_shows_the_metadata_text_and_tags_as_they_were(team):
    source = SourceFactory(title="Old title", publisher="RIC", text="The old text.")
    edited(source, tags=["uscis"])
    old = ids(source)[-1]
    edited(source, title="New title", publisher="USCIS", text="The new text.", tags=["ric"])
    response = team.get(revision_url(source, old))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Old title" in page and "RIC" in page and "The old text." in page
    assert "The new text." not in page and "USCIS" not in page
    assert "uscis" in page
    assert "This is an old revision" in page and source.get_absolute_url() in page


def test_diff_marks_words_of_the_text_and_changed_fields(team):
    source = SourceFactory(title="Report", text="Massoud led the Jamiat forces.")
    first = ids(source)[-1]
    edited(source, title="Report (corrected)", text="Massoud commanded the Jamiat forces.")
    second = ids(source)[-1]
    response = team.get(history_url(source, diff=f"{first}..{second}"))
    page = response.content.decode()
    assert "<del> led</del>" in page and "<ins> commanded</ins>" in page
    assert [(c.label, c.old, c.new) for c in response.context["diff"].fields] == [
        ("Title", "Report", "Report (corrected)")
    ]


def test_diff_escapes_html_in_source_text(team):
    source = SourceFactory(text="Clean.")
    edited(source, text="Clean. <img src=x onerror=alert(1)>")
    first, second = ids(source)
    page = team.get(history_url(source, diff=f"{first}..{second}")).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_diff_with_a_revision_of_another_source_is_404(team):
    source, other = SourceFactory(), SourceFactory()
    response = team.get(history_url(source, diff=f"{ids(source)[0]}..{ids(other)[0]}"))
    assert response.status_code == 404


def test_revert_restores_text_and_metadata_as_a_new_revision(team, team_user):
    source = SourceFactory(title="First", text=SAMPLE_TEXT, is_public=False)
    edited(source, tags=["ric"])
    old = ids(source)[-1]
    edited(source, title="Second", text="Replaced text.", tags=["other"], is_public=True)
    count = source.history.count()
    response = team.post(revert_url(source, old), {"change_reason": "Restore the full text"})
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.title, source.text, source.tag_list) == ("First", SAMPLE_TEXT, "ric")
    assert source.is_public  # publishing stays a curator's act
    assert source.history.count() == count + 1
    newest = source.history.order_by("-history_id").first()
    assert newest.history_change_reason == "Restore the full text"
    assert newest.history_user == team_user


def test_revert_re_anchors_citations_in_the_restored_text(team):
    source = SourceFactory(key="ric")
    page_save(page=ActorFactory(), body=f'Founded [@ric "{QUOTE}"].', user=None)
    old = ids(source)[-1]
    edited(source, text="Nothing of the passage remains.")
    assert Citation.objects.get().status == Citation.Status.ORPHANED
    team.post(revert_url(source, old))
    assert Citation.objects.get().status == Citation.Status.ANCHORED


def test_revert_by_get_is_not_allowed(team):
    source = SourceFactory()
    assert team.get(revert_url(source, ids(source)[0])).status_code == 405


def test_source_history_is_404_for_the_public(client):
    source = SourceFactory(is_public=True)
    edited(source, text="Edited.")
    first, second = ids(source)
    for url in (
        history_url(source),
        revision_url(source, first),
        history_url(source, diff=f"{first}..{second}"),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(revert_url(source, first))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert Source.objects.get().text == "Edited."


@pytest.mark.parametrize("size", [2, 200])
def test_source_history_query_count_is_fixed(team, django_assert_num_queries, size):
    source = SourceFactory(text="Start.")
    for n in range(size - 1):
        edited(source, text=f"Start. Revision {n}.")
    # session, user, groups; the source, count, revisions of the page
    with django_assert_num_queries(6):
        response = team.get(history_url(source))
    assert len(response.context["page_obj"].object_list) == min(size, 50)
    first, *_, last = ids(source)
    with django_assert_num_queries(5):  # session, user, groups; the source, both revisions
        team.get(history_url(source, diff=f"{first}..{last}"))
    middle = revision_url(source, ids(source)[size // 2])
    # session, user, groups; the source, the revision, older, newer, latest
    with django_assert_num_queries(8):
        team.get(middle)
