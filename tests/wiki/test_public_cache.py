"""Public pages from the cache: hits and misses, invalidation, conditional GET and headers."""

import time
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from sources.common import public_cache
from sources.common.public_cache import cache_public_page
from sources.publishing import source_publish
from sources.services import source_save
from tests.factories import (
    ActorFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
)
from wiki.services import page_publish, page_save, relation_save

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"


@pytest.fixture
def world():
    """A published page that cites a source, links to a faction, belongs to another faction,
    and is linked to by a third page."""
    source = SourceFactory(key="ric", title="Report on the Alliance")
    # Saved as editors save them, so that [[links]] find them by name.
    linked = page_save(page=FactionFactory(title="Jamiat", slug="jamiat"), user=None)
    related = page_save(page=FactionFactory(title="Islamic Union", slug="union"), user=None)
    page = page_save(
        page=ActorFactory(title="Massoud", slug="massoud"),
        body=f'He led [[Jamiat]]. [@ric "{QUOTE}"]',
        user=None,
    )
    relation_save(
        relation=MembershipFactory.build(actor=page, faction=related, evidence=f'[@ric "{QUOTE}"]'),
        user=None,
    )
    linking = page_save(
        page=ActorFactory(title="Dostum"), body="Allied with [[Massoud]].", user=None
    )
    return {
        "page": page,
        "source": source,
        "linked": linked,
        "related": related,
        "linking": linking,
    }


@pytest.fixture
def still_time(monkeypatch):
    """The content clock read stays fresh however slowly the machine renders."""
    now = time.monotonic()
    monkeypatch.setattr(public_cache, "time", SimpleNamespace(monotonic=lambda: now))


def rendered(response) -> bool:
    """Whether the view ran its templates (a cache hit renders none)."""
    return bool(response.templates)


def view_twice(client, url):
    """Fill the cache, then read again: the second answer must come from the cache."""
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert rendered(first) and not rendered(second)
    return second


# Hits and misses ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["page", "source"])
def test_a_hit_renders_nothing_and_asks_nothing_while_the_clock_is_fresh(
    client, django_assert_num_queries, world, which, still_time
):
    url = world[which].get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert not rendered(second)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_costs_one_query_once_the_clock_is_due(
    client, django_assert_num_queries, world, monkeypatch
):
    monkeypatch.setattr(public_cache, "CLOCK_SECONDS", 0)
    url = world["page"].get_absolute_url()
    client.get(url)
    with django_assert_num_queries(1):  # the content clock
        assert not rendered(client.get(url))


def test_a_miss_stores_the_page_for_every_anonymous_reader(client, world):
    url = world["page"].get_absolute_url()
    assert rendered(client.get(url))
    assert not rendered(client.__class__().get(url))  # another anonymous browser


def test_a_url_with_a_query_string_is_rendered_every_time(client, world):
    url = world["page"].get_absolute_url() + "?utm=x"
    client.get(url)
    response = client.get(url)
    assert rendered(response)
    assert "private" in response["Cache-Control"]


def test_an_unpublished_page_is_not_found_and_never_stored(client, world):
    page = page_save(page=ActorFactory(title="Draft", is_public=False), user=None)
    assert client.get(page.get_absolute_url()).status_code == 404
    page_publish(page=page, user=None)
    assert rendered(client.get(page.get_absolute_url()))


# Invalidation ---------------------------------------------------------------------------------


def _edit_page(world):
    page_save(page=world["page"], body=f'He led [[Jamiat]] for years. [@ric "{QUOTE}"]', user=None)
    return "for years"


def _rename_linked_page(world):
    linked = world["linked"]
    linked.slug = "jamiat-e-islami"
    page_save(page=linked, user=None)
    return "/factions/jamiat-e-islami/"


def _rename_related_page(world):
    related = world["related"]
    related.title = "United Front"
    page_save(page=related, user=None)
    return "United Front"


def _retitle_cited_source(world):
    source = world["source"]
    source.title = "Corrected report"
    source_save(source=source, user=None)
    return "Corrected report"


def _add_page_linking_here(world):
    page_save(page=ActorFactory(title="Rabbani"), body="Met [[Massoud]].", user=None)
    return "Rabbani"


def _add_relation(world):
    relation_save(
        relation=MembershipFactory.build(
            actor=world["page"],
            faction=FactionFactory(title="Shura-e Nazar"),
            evidence=f'[@ric "{QUOTE}"]',
        ),
        user=None,
    )
    return "Shura-e Nazar"


@pytest.mark.parametrize(
    "change",
    [
        _edit_page,
        _rename_linked_page,
        _rename_related_page,
        _retitle_cited_source,
        _add_page_linking_here,
        _add_relation,
    ],
)
def test_a_change_the_page_shows_is_served_at_once(client, world, change):
    url = world["page"].get_absolute_url()
    view_twice(client, url)
    shown = change(world)
    response = client.get(url)
    assert rendered(response)
    assert shown in response.content.decode()


def test_a_change_made_by_another_process_is_served_once_the_clock_is_due(
    client, world, monkeypatch, still_time
):
    url = world["page"].get_absolute_url()
    view_twice(client, url)
    last_read = dict(public_cache._last_read)
    shown = _edit_page(world)
    public_cache._last_read.update(last_read)  # another process never heard of the save
    assert shown not in client.get(url).content.decode()
    later = public_cache.time.monotonic() + public_cache.CLOCK_SECONDS
    monkeypatch.setattr(public_cache, "time", SimpleNamespace(monotonic=lambda: later))
    assert shown in client.get(url).content.decode()


def test_unpublishing_a_linked_page_unlinks_it(client, world):
    url = world["page"].get_absolute_url()
    assert 'href="/factions/jamiat/"' in view_twice(client, url).content.decode()
    page_publish(page=world["linked"], user=None, publish=False)
    assert 'href="/factions/jamiat/"' not in client.get(url).content.decode()


def test_unpublishing_a_related_page_hides_the_relation(client, world):
    url = world["page"].get_absolute_url()
    assert 'href="/factions/union/"' in view_twice(client, url).content.decode()
    page_publish(page=world["related"], user=None, publish=False)
    assert 'href="/factions/union/"' not in client.get(url).content.decode()


def test_unpublishing_the_page_makes_it_not_found(client, world):
    url = world["page"].get_absolute_url()
    view_twice(client, url)
    page_publish(page=world["page"], user=None, publish=False)
    assert client.get(url).status_code == 404


def test_any_source_change_renders_the_page_anew(client, world):
    """Entry pages list the sources that mention them: any source's text may change that."""
    url = world["page"].get_absolute_url()
    view_twice(client, url)
    source_save(source=SourceFactory.build(key="other", text="Massoud spoke."), user=None)
    assert rendered(client.get(url))


def test_the_source_viewer_follows_the_pages_that_cite_it(client, world):
    url = world["source"].get_absolute_url()
    assert "Massoud" in view_twice(client, url).content.decode()
    world["page"].title = "Ahmad Shah Massoud"
    page_save(page=world["page"], user=None)
    assert "Ahmad Shah Massoud" in client.get(url).content.decode()


def test_publishing_a_source_serves_its_viewer(client, world):
    draft = source_save(source=SourceFactory.build(key="draft", is_public=False), user=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    source_publish(source=draft, user=None)
    assert client.get(draft.get_absolute_url()).status_code == 200


# Conditional GET ------------------------------------------------------------------------------


def test_a_matching_etag_is_answered_with_304(client, django_assert_num_queries, world, still_time):
    url = world["page"].get_absolute_url()
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "public" in response["Cache-Control"]


def test_an_unmodified_page_is_answered_with_304(client, world):
    url = world["page"].get_absolute_url()
    last_modified = client.get(url)["Last-Modified"]
    response = client.get(url, headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304


def test_a_changed_page_is_sent_again_with_a_new_etag(client, world):
    url = world["page"].get_absolute_url()
    etag = client.get(url)["ETag"]
    _edit_page(world)
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_change_elsewhere_that_leaves_the_bytes_alone_keeps_the_etag(client, world):
    url = world["page"].get_absolute_url()
    etag = client.get(url)["ETag"]
    page_save(page=ActorFactory(title="Unrelated"), user=None)
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304


# Headers, and who never gets a cached page ----------------------------------------------------


def test_anonymous_readers_get_public_revalidated_pages(client, world):
    response = client.get(world["page"].get_absolute_url())
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", f"max-age={public_cache.MAX_AGE}", "must-revalidate"}
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "Cookie" in response["Vary"]
    assert not response.cookies


@pytest.mark.parametrize("which", ["page", "source"])
def test_the_team_gets_private_pages_never_from_the_cache(client, team, world, which):
    url = world[which].get_absolute_url()
    client.get(url)  # the public version is in the cache
    response = team.get(url)
    assert rendered(response)
    assert {"private", "no-cache"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    assert "public" not in response["Cache-Control"]
    assert not response.has_header("ETag")
    assert "Cookie" in response["Vary"]


def test_team_views_never_fill_the_cache(client, team, world):
    url = world["page"].get_absolute_url()
    assert "Edit</a>" in team.get(url).content.decode()
    response = client.get(url)
    assert rendered(response)
    assert "Edit</a>" not in response.content.decode()


def test_a_logged_in_reader_outside_the_team_is_not_served_from_the_cache(client, world):
    client.force_login(UserFactory(username="reader"))
    url = world["page"].get_absolute_url()
    client.get(url)
    response = client.get(url)
    assert rendered(response)
    assert "private" in response["Cache-Control"]


def test_a_waiting_message_is_shown_to_its_reader_only(client, world):
    url = world["page"].get_absolute_url()
    client.get(url)
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.INFO, "You have been logged out.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    with_message = client.get(url)
    assert "You have been logged out." in with_message.content.decode()
    assert "private" in with_message["Cache-Control"]
    del client.cookies[storage.cookie_name]
    assert "You have been logged out." not in client.get(url).content.decode()


def _anonymous_get():
    request = RequestFactory().get("/sample/")
    request.user = AnonymousUser()
    return request


def test_a_page_holding_a_csrf_token_is_never_stored(world):
    calls = []

    @cache_public_page
    def form_page(request):
        calls.append(request)
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    form_page(_anonymous_get())
    response = form_page(_anonymous_get())
    assert len(calls) == 2
    assert "private" in response["Cache-Control"]


def test_a_response_that_sets_a_cookie_is_never_stored(world):
    calls = []

    @cache_public_page
    def cookie_page(request):
        calls.append(request)
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    cookie_page(_anonymous_get())
    cookie_page(_anonymous_get())
    assert len(calls) == 2


# Commits, not history ids, decide what is current ----------------------------------------------


def test_a_draft_changing_moves_neither_etag_nor_last_modified(client, world):
    """Outsiders must not learn when the team works on unpublished pages."""
    url = world["page"].get_absolute_url()
    first = client.get(url)
    time.sleep(1.1)  # Last-Modified counts seconds: a moved date would show
    page_save(page=ActorFactory(title="Secret draft", is_public=False), user=None)
    again = client.get(url)
    assert rendered(again), "the content changed, so the page is rendered anew"
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]


def test_last_modified_moves_when_the_page_itself_changes(client, world):
    url = world["page"].get_absolute_url()
    first = client.get(url)
    time.sleep(1.1)
    _edit_page(world)
    again = client.get(url)
    assert again["ETag"] != first["ETag"]
    assert again["Last-Modified"] != first["Last-Modified"]


@pytest.mark.django_db(transaction=True)
def test_an_unpublish_that_commits_after_a_later_save_is_still_served(client, postgres_only):
    """Two transactions commit in the opposite order of their history ids: a page rendered
    between the two commits must not outlive the unpublish that committed last."""
    import threading

    from django.db import connection, transaction

    page = page_save(page=ActorFactory(title="Massoud", slug="massoud"), user=None)
    page_publish(page=page, user=None)
    url = page.get_absolute_url()
    assert client.get(url).status_code == 200
    unpublishing, release, done = threading.Event(), threading.Event(), threading.Event()

    def unpublish():
        try:
            with transaction.atomic():
                page_publish(page=type(page).objects.get(pk=page.pk), user=None, publish=False)
                unpublishing.set()
                release.wait(10)
        finally:
            connection.close()
            done.set()

    worker = threading.Thread(target=unpublish)
    worker.start()
    assert unpublishing.wait(10)
    # A later save commits first: its history id is the newest the clock can see.
    page_save(page=ActorFactory(title="Dostum"), user=None)
    public_cache.clock_forget()
    assert client.get(url).status_code == 200  # the unpublish is not committed yet
    release.set()
    assert done.wait(10)
    worker.join()
    public_cache._last_read.clear()  # as every process does within CLOCK_SECONDS
    assert client.get(url).status_code == 404
