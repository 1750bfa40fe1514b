"""Who may edit what: every edit URL for anonymous visitors, outsiders, editors and curators.

Anonymous visitors are sent to log in (404 for an unpublished page, which does not exist for
them); logged-in users without the right role get 403; POST-only URLs answer GET with 405. A
request that is refused changes nothing.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
    curator,
    editor,
)
from wiki.models import Actor, Membership
from wiki.services import page_save, relation_save
from wiki.views.controls import entry_controls

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"
EVIDENCE = f'[@src "{QUOTE}"]'
ROLES = ("anonymous", "outsider", "editor", "curator")
LOGIN = "login"  # a redirect to /accounts/login/?next=…


@dataclass
class World:
    public: Actor
    draft: Actor
    membership: Membership

    def state(self):
        """Everything a refused request must leave as it was."""
        return (
            sorted(Actor.objects.values_list("slug", "is_public", "is_locked", "body")),
            sorted(Membership.objects.values_list("pk", "role")),
            Actor.history.count(),
            Membership.history.count(),
        )


@pytest.fixture
def world():
    SourceFactory(key="src")
    public = page_save(page=ActorFactory(slug="public"), body=f"Text. {EVIDENCE}", user=None)
    draft = page_save(
        page=ActorFactory(slug="draft", is_public=False), body=f"Draft. {EVIDENCE}", user=None
    )
    membership = relation_save(
        relation=MembershipFactory.build(
            actor=public, faction=FactionFactory(slug="party"), evidence=EVIDENCE
        ),
        user=None,
    )
    return World(public, draft, membership)


def browser(role):
    client = Client()
    users = {
        "outsider": lambda: UserFactory(username="outsider"),
        "editor": editor,
        "curator": curator,
    }
    if role in users:
        client.force_login(users[role]())
    return client


def entry_url(name, slug):
    return reverse(f"wiki:{name}", args=["actors", slug])


def relation_url(name, world=None):
    if name == "relation-create":
        return reverse("wiki:relation-create", args=["membership"]) + "?actor=public"
    return reverse(f"wiki:{name}", args=["membership", world.membership.pk])


def entry_data(slug="new-person", **changes):
    return {"title": "New person", "slug": slug, "body": "Some text.", **changes}


def membership_data(world):
    return {"actor": "public", "faction": "party", "role": "leader", "evidence": EVIDENCE}


# (label, method, url(world), data(world), expected status per role: anonymous, outsider,
# editor, curator)
MATRIX = [
    ("new page chooser", "get", lambda w: reverse("wiki:page-new") + "?title=X", None,
     (LOGIN, 403, 200, 200)),
    ("create form", "get", lambda w: reverse("wiki:entry-create", args=["actors"]), None,
     (LOGIN, 403, 200, 200)),
    ("create", "post", lambda w: reverse("wiki:entry-create", args=["actors"]),
     lambda w: entry_data(), (LOGIN, 403, 302, 302)),
    ("edit form", "get", lambda w: entry_url("entry-edit", "public"), None,
     (LOGIN, 403, 200, 200)),
    ("edit form of a draft", "get", lambda w: entry_url("entry-edit", "draft"), None,
     (404, 404, 200, 200)),
    ("edit", "post", lambda w: entry_url("entry-edit", "public"),
     lambda w: entry_data("public", body="Changed."), (LOGIN, 403, 302, 302)),
    ("edit of a draft", "post", lambda w: entry_url("entry-edit", "draft"),
     lambda w: entry_data("draft", body="Changed."), (404, 404, 302, 302)),
    ("lock by GET", "get", lambda w: entry_url("entry-lock", "public"), None,
     (405, 405, 405, 405)),
    ("lock", "post", lambda w: entry_url("entry-lock", "public"),
     lambda w: {"action": "lock", "lock_reason": "Edit war"}, (LOGIN, 403, 403, 302)),
    ("lock a draft", "post", lambda w: entry_url("entry-lock", "draft"),
     lambda w: {"action": "lock", "lock_reason": "Edit war"}, (404, 404, 403, 302)),
    ("publish by GET", "get", lambda w: entry_url("entry-publish", "public"), None,
     (405, 405, 405, 405)),
    ("unpublish", "post", lambda w: entry_url("entry-publish", "public"),
     lambda w: {"action": "unpublish"}, (LOGIN, 403, 403, 302)),
    ("publish a draft", "post", lambda w: entry_url("entry-publish", "draft"),
     lambda w: {"action": "publish"}, (404, 404, 403, 302)),
    ("delete confirmation", "get", lambda w: entry_url("entry-delete", "public"), None,
     (LOGIN, 403, 403, 200)),
    ("delete", "post", lambda w: entry_url("entry-delete", "public"), lambda w: {},
     (LOGIN, 403, 403, 302)),
    ("delete a draft", "post", lambda w: entry_url("entry-delete", "draft"), lambda w: {},
     (404, 404, 403, 302)),
    ("relation form", "get", lambda w: relation_url("relation-create"), None,
     (LOGIN, 403, 200, 200)),
    ("relation create", "post", lambda w: relation_url("relation-create"), membership_data,
     (LOGIN, 403, 302, 302)),
    ("relation edit form", "get", lambda w: relation_url("relation-edit", w), None,
     (LOGIN, 403, 200, 200)),
    ("relation edit", "post", lambda w: relation_url("relation-edit", w), membership_data,
     (LOGIN, 403, 302, 302)),
    ("relation delete confirmation", "get", lambda w: relation_url("relation-delete", w), None,
     (LOGIN, 403, 403, 200)),
    ("relation delete", "post", lambda w: relation_url("relation-delete", w), lambda w: {},
     (LOGIN, 403, 403, 302)),
]  # fmt: skip

CASES = [
    pytest.param(method, url, data, role, expected[i], id=f"{label}-{role}")
    for label, method, url, data, expected in MATRIX
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("method", "url", "data", "role", "expected"), CASES)
def test_permission_matrix(world, method, url, data, role, expected):
    before = world.state()
    target = url(world)
    if method == "get":
        response = browser(role).get(target)
    else:
        response = browser(role).post(target, data(world))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected
    if method == "get" or response.status_code != 302 or expected == LOGIN:
        assert world.state() == before  # nothing changes on GET or when refused
    else:
        assert world.state() != before


def test_after_logging_in_a_refused_post_returns_to_the_page_not_the_post_only_url(world):
    response = browser("anonymous").post(entry_url("entry-lock", "public"), {"action": "lock"})
    assert response.url == "/accounts/login/?next=/actors/public/"


def test_a_logged_in_outsider_cannot_read_a_draft_through_its_edit_url(world):
    assert browser("outsider").get(entry_url("entry-edit", "draft")).status_code == 404


def test_an_editor_may_not_edit_a_relation_of_a_locked_page(world):
    world.public.is_locked = True
    page_save(page=world.public, user=None)
    before = world.state()
    response = browser("editor").post(relation_url("relation-edit", world), membership_data(world))
    assert response.status_code == 403 and world.state() == before
    assert browser("curator").get(relation_url("relation-edit", world)).status_code == 200


# ---------------------------------------------------------------------------------------------
# The controls on an entry's page (includes/entry_actions.html)


def render_controls(user, entry):
    request = RequestFactory().get(entry.get_absolute_url())
    request.user = user
    return render_to_string(
        "includes/entry_actions.html", {"controls": entry_controls(user, entry)}, request=request
    )


def test_anonymous_visitors_see_no_edit_control(world):
    assert entry_controls(AnonymousUser(), world.public) is None
    assert render_controls(AnonymousUser(), world.public).strip() == ""


def test_outsiders_see_no_edit_control(world):
    assert render_controls(UserFactory(username="outsider"), world.public).strip() == ""


def test_editors_see_edit_history_and_add_links_but_no_curator_tools(world):
    html = render_controls(editor(), world.public)
    assert 'href="/actors/public/edit/"' in html and 'href="/actors/public/history/"' in html
    assert "Add membership" in html and "/relations/membership/new/?actor=public" in html
    assert "/lock/" not in html and "/publish/" not in html and "/delete/" not in html


def test_curators_see_lock_publish_and_delete_as_post_forms(world):
    html = render_controls(curator(), world.public)
    assert 'action="/actors/public/lock/"' in html and 'name="lock_reason"' in html
    assert 'action="/actors/public/publish/"' in html and "Unpublish" in html
    assert 'href="/actors/public/delete/"' in html and "csrfmiddlewaretoken" in html


def test_editors_see_the_lock_banner_with_the_reason_and_no_edit_button(world):
    world.public.is_locked, world.public.lock_reason = True, "Under legal review"
    page_save(page=world.public, user=None)
    html = render_controls(editor(), world.public)
    assert "Locked by the curators" in html and "Under legal review" in html
    assert "View text" in html and "Add membership" not in html
    assert "Unlock" in render_controls(curator(), world.public)


def test_entry_controls_cost_no_query(world, django_assert_num_queries):
    user = editor()
    entry_controls(user, world.public)  # the groups are read once per request
    with django_assert_num_queries(0):
        entry_controls(user, world.public)
