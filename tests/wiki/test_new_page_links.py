"""Creating a page is a link away for the team: on each list, in the header and on the home page.

The public, and anyone logged in outside the team, never see one (no edit control for them).
"""

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KINDS = [("actors", "New actor"), ("factions", "New faction"), ("events", "New event")]


def links(client, url: str, name: str) -> list[str]:
    """The hrefs of the links named `name` on the page at url."""
    page = lxml.html.fromstring(client.get(url).content)
    return [a.get("href") for a in page.xpath("//a") if a.text_content().strip() == name]


@pytest.fixture
def outsider():
    """Logged in, but in neither group: reads what the public reads."""
    browser = Client()
    browser.force_login(UserFactory(username="outsider"))
    return browser


def assert_opens_the_create_form(client, href: str, segment: str):
    response = client.get(href)
    assert response.status_code == 200
    assert "wiki/entry_form.html" in [template.name for template in response.templates]
    assert response.request["PATH_INFO"] == reverse("wiki:entry-create", args=[segment])


@pytest.mark.parametrize(("segment", "name"), KINDS)
def test_each_list_offers_the_team_a_new_page_of_its_kind(team, segment, name):
    [href] = links(team, reverse("wiki:entry-list", args=[segment]), name)
    assert href == reverse("wiki:entry-create", args=[segment])
    assert_opens_the_create_form(team, href, segment)
    others = [other for _, other in KINDS if other != name]
    assert not any(links(team, reverse("wiki:entry-list", args=[segment]), o) for o in others)


@pytest.mark.parametrize(("segment", "name"), KINDS)
def test_the_home_page_offers_the_team_each_kind_of_new_page(team, segment, name):
    [href] = links(team, reverse("wiki:home"), name)
    assert_opens_the_create_form(team, href, segment)


@pytest.mark.parametrize("url", [reverse("wiki:home"), reverse("wiki:entry-list", args=["events"])])
def test_the_header_offers_the_team_a_new_page_that_asks_its_kind(team, url):
    [href] = links(team, url, "New page")
    assert href == reverse("wiki:page-new")
    chooser = lxml.html.fromstring(team.get(href).content)
    choices = chooser.xpath("//ul[@class='choice-list']//a/@href")
    assert choices == [reverse("wiki:entry-create", args=[segment]) for segment, _ in KINDS]
    for choice, (segment, _) in zip(choices, KINDS, strict=True):
        assert_opens_the_create_form(team, choice, segment)


@pytest.mark.parametrize("who", ["client", "outsider"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("wiki:home"),
        reverse("wiki:entry-list", args=["actors"]),
        reverse("wiki:entry-list", args=["factions"]),
        reverse("wiki:entry-list", args=["events"]),
    ],
)
def test_no_one_outside_the_team_is_offered_a_new_page(request, who, url):
    browser = request.getfixturevalue(who)
    html = browser.get(url).content.decode()
    for _, name in [*KINDS, (None, "New page")]:
        assert not links(browser, url, name)
    assert "/new/" not in html
