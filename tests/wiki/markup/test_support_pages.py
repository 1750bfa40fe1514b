"""The support check and the passage rule on real pages: marks for every reader, the list of
unsupported details for the team, a warning beside the publish button for curators, and quotes
too short to be passages refused wherever citations are saved."""

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sources.citations.syntax import PASSAGE_RULE, parse_evidence
from tests.factories import ActorFactory, FactionFactory, SourceFactory, curator, editor
from wiki.markup.rendering import page_body
from wiki.markup.validation import body_errors, citation_errors
from wiki.models import Membership
from wiki.services import page_save, relation_save

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"  # in tests.factories.SAMPLE_TEXT
BODY = (
    f'The alliance was founded in [[Abuja]] in May 2006. [@ric "{QUOTE}"] '
    'It opposed Najibullah. [@ric "led by President Najibullah"]'
)


@pytest.fixture
def page():
    SourceFactory(key="ric")
    return page_save(page=ActorFactory(is_public=False), body=BODY, user=None)


def get(browser, page) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(browser.get(page.get_absolute_url()).content)


def logged_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_page_marks_each_unsupported_detail_and_counts_them(page):
    body = page_body(page, editor())
    assert [(d.kind, d.text) for d in body.unsupported] == [("name", "Abuja"), ("date", "May 2006")]
    html = lxml.html.fromstring(str(body.html))
    marks = html.xpath("//span[@class='unsupported-detail']")
    assert [mark.text_content() for mark in marks] == ["Abuja", "May 2006"]
    assert all("passage" in mark.get("title") for mark in marks)
    assert [mark.get("id") for mark in marks] == ["detail-1", "detail-2"]


def test_the_team_gets_the_list_of_details_not_found_in_their_quotes(page):
    html = get(logged_in(editor()), page)
    [box] = html.xpath("//*[@id='unsupported']")
    text = " ".join(box.text_content().split())
    assert text.startswith("2 details not found in their quotes: Abuja, May 2006.")
    assert "do not block publishing" in text
    assert box.xpath(".//a/@href") == ["#detail-1", "#detail-2"]
    assert not html.xpath("//*[contains(@class, 'publish-warning')]")  # no publish control


def test_curators_see_the_warnings_beside_the_publish_button(page):
    html = get(logged_in(curator()), page)
    [warning] = html.xpath("//*[contains(@class, 'publish-warning')]")
    assert " ".join(warning.text_content().split()) == "2 details not found in their quotes"
    assert warning.get("href") == "#unsupported"
    [item] = warning.xpath("ancestor::li[1]")
    assert item.xpath(".//button")[0].text_content() == "Publish"


def test_the_warnings_do_not_block_publishing(page):
    browser = logged_in(curator())
    url = reverse("wiki:entry-publish", args=[page.url_segment, page.slug])
    response = browser.post(url, {"action": "publish"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.is_public


def test_the_public_sees_the_marks_but_never_the_list(page, client):
    page.is_public = True
    page_save(page=page, user=None)
    html = get(client, page)
    assert len(html.xpath("//span[@class='unsupported-detail']")) == 2
    assert not html.xpath("//*[@id='unsupported']")
    assert "not found in their quotes" not in html.text_content()


def test_a_page_without_unsupported_details_has_no_warnings(client):
    SourceFactory(key="ric")
    entry = page_save(
        page=ActorFactory(), body=f'Founded in 1992. [@ric "In 1992, {QUOTE}"]', user=None
    )
    html = get(logged_in(curator()), entry)
    assert not html.xpath("//*[@id='unsupported']")
    assert not html.xpath("//*[contains(@class, 'publish-warning')]")
    assert not html.xpath("//span[@class='unsupported-detail']")


def test_a_link_is_carried_by_any_name_of_its_page():
    SourceFactory(key="ric")
    page_save(page=FactionFactory(title="United Front", aliases="Northern Alliance"), user=None)
    entry = page_save(
        page=ActorFactory(), body=f'He joined the [[United Front]]. [@ric "{QUOTE}"]', user=None
    )
    assert page_body(entry, editor()).unsupported == ()
    assert page_body(entry, None).unsupported == ()


# The passage rule, wherever a citation is saved ---------------------------------------------------


def test_page_save_refuses_a_quote_shorter_than_a_passage():
    SourceFactory(key="ric")
    entry = ActorFactory()
    with pytest.raises(ValidationError) as refused:
        page_save(page=entry, body='He ruled. [@ric "Najibullah"]', user=None)
    assert PASSAGE_RULE in str(refused.value)
    entry.refresh_from_db()
    assert entry.body == ""


def test_relation_save_refuses_evidence_shorter_than_a_passage():
    SourceFactory(key="ric")
    relation = Membership(
        actor=ActorFactory(),
        faction=FactionFactory(),
        role="member",
        evidence='[@ric "President Najibullah"]',
    )
    with pytest.raises(ValidationError) as refused:
        relation_save(relation=relation, user=None)
    assert PASSAGE_RULE in str(refused.value)
    assert not Membership.objects.exists()


def test_forms_name_the_rule_for_bodies_and_evidence_alike():
    SourceFactory(key="ric")
    [body_error] = body_errors('He ruled. [@ric "Najibullah"]')
    assert body_error.startswith('Line 1: A quote of 1 word in citation starting "[@ric')
    assert body_error.endswith(PASSAGE_RULE)
    [evidence_error] = citation_errors('[@ric "President Najibullah"]', parse=parse_evidence)
    assert evidence_error.startswith("A quote of 2 words")
    assert evidence_error.endswith(PASSAGE_RULE)


def test_a_body_saved_before_the_rule_still_renders(client):
    SourceFactory(key="ric")
    entry = ActorFactory(body='He ruled. [@ric "Najibullah"]')  # written before the rule
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200
    assert response.context["body"].coverage.is_complete


def test_the_forms_help_states_the_rules():
    from wiki.forms.pages import BODY_HELP
    from wiki.models import EVIDENCE_HELP, Membership

    for help_text in (BODY_HELP, EVIDENCE_HELP, Membership._meta.get_field("evidence").help_text):
        assert "at least 3 words and 12 characters" in help_text
    assert "not the sentences before it" in BODY_HELP
    assert "unsupported details" in BODY_HELP
