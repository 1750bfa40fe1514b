"""Who may do what: every URL of the site for anonymous visitors, outsiders, editors and curators.

The role rules live in sources/common/permissions.py; this matrix pins what each role gets from
each route, and a guard fails when a route is added without a row here. Anonymous visitors are
sent to log in (404 for an unpublished page, which does not exist for them, and for the team's
own pages); logged-in users without the right role get 403; POST-only URLs answer GET with 405.
A request that is refused changes nothing; an allowed POST (a redirect) changes something.

The world is planted once for the module; each test runs in a transaction rolled back to it, so
an allowed POST leaves nothing behind for the next row.
"""

from typing import NamedTuple

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse

from sources.models import Citation, Source
from tests.factories import (
    ActorFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
    curator,
    editor,
)
from wiki.models import Actor, Claim, Membership
from wiki.services import claim_save, page_save, relation_save
from wiki.views.controls import entry_controls

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"
EVIDENCE = f'[@ric "{QUOTE}"]'
ROLES = ("anonymous", "outsider", "editor", "curator")
LOGIN = "login"  # a redirect to /accounts/login/?next=…
URL_IDS = {"m", "rev", "srev", "writer", "cid", "claim", "crev"}  # taken from the planted world
ANY = None  # not pinned by this row (the leak matrix pins what outsiders get on every route)


# ---------------------------------------------------------------------------------------------
# The world


class World(NamedTuple):
    public: Actor
    draft: Actor
    membership: Membership
    source: Source
    ids: dict  # what URLs are built from: "m", "rev", "srev", "writer", "cid"; "pk" of things

    def arg(self, name):
        return self.ids[name] if name in URL_IDS else name

    def user(self, role):
        return User.objects.get(username=role) if role != "anonymous" else None


def state():
    """Everything a refused request must leave as it was."""
    return (
        sorted(Actor.objects.values_list("slug", "is_public", "is_locked", "body")),
        sorted(Membership.objects.values_list("pk", "role")),
        sorted(Source.objects.values_list("key", "is_public", "text")),
        sorted(Citation.objects.values_list("pk", "credibility")),
        Actor.history.count(),
        Membership.history.count(),
        Source.history.count(),
        Citation.history.count(),
        sorted(Claim.objects.values_list("pk", "rank", "rank_reason")),
        Claim.history.count(),
    )


def plant() -> dict:
    source = SourceFactory(key="ric")
    SourceFactory(key="spare")  # cited by nothing: a curator may delete it
    public = page_save(
        page=ActorFactory(slug="public", title="A"), body=f"Text. {EVIDENCE}", user=None, tags=["t"]
    )
    draft = page_save(
        page=ActorFactory(slug="draft", is_public=False), body=f"Draft. {EVIDENCE}", user=None
    )
    membership = relation_save(
        relation=MembershipFactory.build(
            actor=public, faction=FactionFactory(slug="party"), evidence=EVIDENCE
        ),
        user=None,
    )
    for value in ("1992", "1996"):  # the sources disagree: a disputed fact
        claim = claim_save(
            claim=Claim(subject=draft, field="born", value=value, evidence=EVIDENCE), user=None
        )
    UserFactory(username="outsider")
    editor("editor")
    curator("curator")
    return {
        "pk": {"public": public.pk, "draft": draft.pk, "source": source.pk},
        "m": membership.pk,
        "rev": public.history.first().history_id,
        "srev": source.history.first().history_id,
        "cid": source.citations.get().pk,
        "claim": claim.pk,
        "crev": claim.history.first().history_id,
        "writer": UserFactory(username="writer").username,
    }


@pytest.fixture(scope="module")
def planted(django_db_setup, django_db_blocker):
    """Planted once for the module: each test's writes roll back to here."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield plant()
        transaction.set_rollback(True)


@pytest.fixture
def world(planted, db):
    """The planted things, fetched afresh: a test may change them in memory."""
    return World(
        public=Actor.objects.get(pk=planted["pk"]["public"]),
        draft=Actor.objects.get(pk=planted["pk"]["draft"]),
        membership=Membership.objects.get(pk=planted["m"]),
        source=Source.objects.get(pk=planted["pk"]["source"]),
        ids=planted,
    )


def browser(world, role):
    client = Client()
    if user := world.user(role):
        client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------------
# The matrix


class Row(NamedTuple):
    method: str
    route: str
    args: tuple
    expected: tuple  # per role: anonymous, outsider, editor, curator
    query: str = ""
    data: dict | None = None
    label: str = ""

    def url(self, world):
        path = reverse(self.route, args=[world.arg(arg) for arg in self.args])
        return f"{path}?{self.query}" if self.query else path

    def form(self, world):
        """The POST data, with ids from the planted world (the revision a form started from)."""
        return {key: world.arg(value) for key, value in (self.data or {}).items()}


def get(route, args, expected, query="", label=""):
    return Row("get", route, args, expected, query, None, label)


def post(route, args, data, expected, query="", label=""):
    return Row("post", route, args, expected, query, data, label)


A, PUBLIC, DRAFT, M = "actors", ("actors", "public"), ("actors", "draft"), ("membership", "m")
ENTRY = {"title": "New person", "slug": "new-person", "body": "Some text."}
EDIT_PUBLIC = {**ENTRY, "slug": "public", "body": "Changed."}
EDIT_DRAFT = {**ENTRY, "slug": "draft", "body": "Changed."}
LOCK = {"action": "lock", "lock_reason": "Edit war"}
MEMBERSHIP = {"actor": "public", "faction": "party", "role": "leader", "evidence": EVIDENCE}
RANK = {"rank": "preferred", "rank_reason": "The later report", "base_revision": "crev"}
# One body for every POST-only state change that must be refused.
CHANGE = {"action": "lock", "lock_reason": "x", "change_reason": "x", "publish": "0"}

MATRIX = [
    # Reading, listing and searching.
    get("wiki:home", (), (200, ANY, 200, 200)),
    get("wiki:search", (), (200, ANY, 200, 200)),
    get("wiki:search-suggest", (), (200, ANY, 200, 200)),
    get("wiki:tag-detail", ("t",), (200, ANY, 200, 200)),
    get("wiki:entry-list", (A,), (200, ANY, 200, 200)),
    get("wiki:entry-detail", PUBLIC, (200, ANY, 200, 200)),
    get("wiki:timeline", (), (200, ANY, 200, 200)),
    get("wiki:timeline", (), (404, 404, 200, 200), "actor=draft", "timeline of a draft"),
    get("wiki:graph", (), (200, ANY, 200, 200)),
    get("wiki:entry-graph", PUBLIC, (200, ANY, 200, 200)),
    get("wiki:entry-graph", DRAFT, (404, 404, 200, 200), "", "network of a draft"),
    get("wiki:export-gexf", (), (200, ANY, 200, 200)),
    get("wiki:export-graphml", (), (200, ANY, 200, 200)),
    get("sources:source-list", (), (200, ANY, 200, 200)),
    get("sources:source-detail", ("ric",), (200, ANY, 200, 200)),
    get("sources:source-cite-bib", ("ric",), (200, ANY, 200, 200)),
    get("sources:source-cite-ris", ("ric",), (200, ANY, 200, 200)),
    get("sources:source-cite-json", ("ric",), (200, ANY, 200, 200)),
    # Exports and feeds (wiki.exports): for everyone, holding what the reader may see.
    get("wiki:exports", (), (200, ANY, 200, 200)),
    get("wiki:export-csv", (A,), (200, ANY, 200, 200)),
    get("wiki:export-csv", ("nothing",), (404, 404, 404, 404), label="export of no table"),
    get("wiki:export-jsonld", (), (200, ANY, 200, 200)),
    get("wiki:changes-feed", (), (200, ANY, 200, 200)),
    get("wiki:sitemap", (), (200, ANY, 200, 200)),
    *[get(f"wiki:entry-cite-{fmt}", PUBLIC, (200, ANY, 200, 200)) for fmt in ("bib", "ris")],
    get("wiki:entry-cite-json", PUBLIC, (200, ANY, 200, 200)),
    get("wiki:entry-cite-bib", DRAFT, (404, 404, 200, 200), label="bibliography of a draft"),
    get("wiki:entry-changes-feed", PUBLIC, (200, ANY, 200, 200)),
    get("wiki:entry-changes-feed", DRAFT, (404, 404, 404, 404), label="feed of a draft"),
    # The team's own pages: history names editors.
    get("wiki:changes", (), (404, ANY, 200, 200)),
    get("wiki:user-contributions", ("writer",), (404, ANY, 200, 200)),
    get("wiki:disputes", (), (404, 404, 200, 200)),
    get("wiki:entry-history", PUBLIC, (404, ANY, 200, 200)),
    get("wiki:entry-revision", (*PUBLIC, "rev"), (404, ANY, 200, 200)),
    get("sources:source-history", ("ric",), (404, ANY, 200, 200)),
    get("sources:source-revision", ("ric", "srev"), (404, ANY, 200, 200)),
    # The original file is the team's; "ric" has none (tests/sources/views/test_originals.py).
    get("sources:source-original", ("ric",), (404, 404, 404, 404)),
    # Forms.
    get("wiki:page-new", (), (LOGIN, ANY, 200, 200)),
    get("wiki:page-new", (), (LOGIN, 403, 200, 200), "title=X", "new page chooser"),
    get("wiki:entry-create", (A,), (LOGIN, 403, 200, 200), label="create form"),
    get("wiki:entry-edit", PUBLIC, (LOGIN, 403, 200, 200), label="edit form"),
    get("wiki:entry-edit", DRAFT, (404, 404, 200, 200), label="edit form of a draft"),
    get("wiki:entry-delete", PUBLIC, (LOGIN, 403, 403, 200), label="delete confirmation"),
    get("wiki:relation-create", ("membership",), (LOGIN, ANY, 200, 200)),
    get("wiki:relation-create", ("membership",), (LOGIN, 403, 200, 200), "actor=public",
        "relation form"),
    get("wiki:relation-edit", M, (LOGIN, 403, 200, 200), label="relation edit form"),
    get("wiki:relation-delete", M, (LOGIN, 403, 403, 200), label="relation delete confirmation"),
    get("sources:source-create", (), (LOGIN, ANY, 200, 200)),
    get("sources:source-fetch", ("not-a-ticket",), (LOGIN, ANY, 404, 404), label="no such fetch"),
    get("sources:source-edit", ("ric",), (LOGIN, ANY, 200, 200)),
    get("sources:source-cite-on", ("ric",), (LOGIN, ANY, 200, 200)),
    get("sources:source-delete", ("ric",), (LOGIN, 403, 403, 200), label="source delete form"),
    # POST-only URLs answer GET with 405.
    get("wiki:entry-lock", PUBLIC, (405, 405, 405, 405), label="lock by GET"),
    get("wiki:entry-publish", PUBLIC, (405, 405, 405, 405), label="publish by GET"),
    get("wiki:entry-revert", (*PUBLIC, "rev"), (405, ANY, 405, 405)),
    get("sources:source-publish", ("ric",), (405, ANY, 405, 405)),
    get("sources:source-revert", ("ric", "srev"), (405, ANY, 405, 405)),
    get("sources:passage-grade", ("ric", "cid"), (405, ANY, 405, 405)),
    get("wiki:claim-rank", ("claim",), (405, 405, 405, 405), label="rank by GET"),
    # Changes: allowed ones redirect and change something; refused ones change nothing.
    post("wiki:entry-create", (A,), ENTRY, (LOGIN, 403, 302, 302), label="create"),
    post("wiki:entry-edit", PUBLIC, EDIT_PUBLIC, (LOGIN, 403, 302, 302), label="edit"),
    post("wiki:entry-edit", DRAFT, EDIT_DRAFT, (404, 404, 302, 302), label="edit of a draft"),
    post("wiki:entry-lock", PUBLIC, LOCK, (LOGIN, 403, 403, 302), label="lock"),
    post("wiki:entry-lock", DRAFT, LOCK, (404, 404, 403, 302), label="lock a draft"),
    post("wiki:entry-publish", PUBLIC, {"action": "unpublish"}, (LOGIN, 403, 403, 302),
         label="unpublish"),
    post("wiki:entry-publish", DRAFT, {"action": "publish"}, (404, 404, 403, 302),
         label="publish a draft"),
    post("wiki:entry-delete", PUBLIC, {}, (LOGIN, 403, 403, 302), label="delete"),
    post("wiki:entry-delete", DRAFT, {}, (404, 404, 403, 302), label="delete a draft"),
    post("wiki:relation-create", ("membership",), MEMBERSHIP, (LOGIN, 403, 302, 302),
         "actor=public", "relation create"),
    post("wiki:relation-edit", M, MEMBERSHIP, (LOGIN, 403, 302, 302), label="relation edit"),
    post("wiki:relation-delete", M, {}, (LOGIN, 403, 403, 302), label="relation delete"),
    post("wiki:entry-lock", PUBLIC, CHANGE, (LOGIN, ANY, 403, ANY)),
    post("wiki:entry-publish", PUBLIC, CHANGE, (LOGIN, ANY, 403, ANY)),
    post("wiki:entry-delete", PUBLIC, CHANGE, (LOGIN, ANY, 403, ANY)),
    post("wiki:relation-delete", M, CHANGE, (LOGIN, ANY, 403, ANY)),
    post("wiki:entry-revert", (*PUBLIC, "rev"), CHANGE, (LOGIN, ANY, ANY, ANY)),
    post("sources:source-publish", ("ric",), CHANGE, (LOGIN, ANY, 403, ANY)),
    post("sources:source-delete", ("spare",), {}, (LOGIN, 403, 403, 302), label="source delete"),
    post("sources:source-delete", ("ric",), CHANGE, (LOGIN, 403, 403, 200),
         label="delete a cited source"),
    post("sources:source-revert", ("ric", "srev"), CHANGE, (LOGIN, ANY, ANY, ANY)),
    post("sources:passage-grade", ("ric", "cid"), {"credibility": "2"}, (LOGIN, 403, 302, 302),
         label="grade a passage"),
    post("wiki:claim-rank", ("claim",), RANK, (LOGIN, 403, 403, 302), label="rank a value"),
    post("wiki:claim-rank", ("claim",), CHANGE, (LOGIN, ANY, 403, ANY)),
    # The read-only JSON API: outsiders read what the public reads; nothing is written.
    get("api:api-root", (), (200, 200, 200, 200)),
    get("api:schema", (), (200, 200, 200, 200)),
    get("api:docs", (), (200, 200, 200, 200)),
    *[get(f"api:{kind}-list", (), (200, 200, 200, 200))
      for kind in ("actor", "faction", "event", "source", "claim", "membership",
                   "factionrelation", "participation", "citation")],
    get("api:actor-detail", ("public",), (200, 200, 200, 200)),
    get("api:actor-detail", ("draft",), (404, 404, 200, 200), label="api draft"),
    get("api:faction-detail", ("party",), (200, 200, 200, 200)),
    get("api:event-detail", ("nothing",), (404, 404, 404, 404)),
    get("api:source-detail", ("ric",), (200, 200, 200, 200)),
    get("api:claim-detail", ("claim",), (404, 404, 200, 200), label="api claim of a draft"),
    get("api:membership-detail", ("m",), (200, 200, 200, 200)),
    get("api:factionrelation-detail", (0,), (404, 404, 404, 404)),
    get("api:participation-detail", (0,), (404, 404, 404, 404)),
    get("api:citation-detail", ("cid",), (200, 200, 200, 200)),
    post("api:actor-list", (), CHANGE, (405, 405, 405, 405), label="api write"),
    post("wiki:export-csv", (A,), CHANGE, (405, 405, 405, 405), label="export write"),
    post("api:actor-detail", PUBLIC[1:], CHANGE, (405, 405, 405, 405), label="api write one"),
]  # fmt: skip

CASES = [
    pytest.param(row, role, expected, id=f"{row.method}-{row.label or row.route}-{role}")
    for row in MATRIX
    for role, expected in zip(ROLES, row.expected, strict=True)
    if expected is not ANY
]


def assert_status(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("row", "role", "expected"), CASES)
def test_permission_matrix(world, row, role, expected):
    before = state()
    client = browser(world, role)
    if row.method == "get":
        response = client.get(row.url(world))
    else:
        response = client.post(row.url(world), row.form(world))
    assert_status(response, expected)
    if row.method == "get" or response.status_code != 302 or expected == LOGIN:
        assert state() == before  # nothing changes on GET or when refused
    else:
        assert state() != before


def test_every_route_is_in_the_matrix():
    resolver = get_resolver()
    named = {
        f"{namespace}:{name}"
        for namespace in ("wiki", "sources", "api")
        for name in resolver.namespace_dict[namespace][1].reverse_dict
        if isinstance(name, str)
    }
    assert named == {row.route for row in MATRIX if row.method == "get"}


def entry_url(name, slug):
    return reverse(f"wiki:{name}", args=["actors", slug])


def relation_edit_url(world):
    return reverse("wiki:relation-edit", args=["membership", world.membership.pk])


def test_after_logging_in_a_refused_post_returns_to_the_page_not_the_post_only_url(world):
    anonymous = browser(world, "anonymous")
    response = anonymous.post(entry_url("entry-lock", "public"), {"action": "lock"})
    assert response.url == "/accounts/login/?next=/actors/public/"


def test_a_logged_in_outsider_cannot_read_a_draft_through_its_edit_url(world):
    assert browser(world, "outsider").get(entry_url("entry-edit", "draft")).status_code == 404


def test_an_editor_may_not_edit_a_relation_of_a_locked_page(world):
    world.public.is_locked = True
    page_save(page=world.public, user=None)
    before = state()
    response = browser(world, "editor").post(relation_edit_url(world), MEMBERSHIP)
    assert response.status_code == 403 and state() == before
    assert browser(world, "curator").get(relation_edit_url(world)).status_code == 200


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
    assert render_controls(world.user("outsider"), world.public).strip() == ""


def test_editors_see_edit_history_and_add_links_but_no_curator_tools(world):
    html = render_controls(world.user("editor"), world.public)
    assert 'href="/actors/public/edit/"' in html and 'href="/actors/public/history/"' in html
    assert "Add membership" in html and "/relations/membership/new/?actor=public" in html
    assert "/lock/" not in html and "/publish/" not in html and "/delete/" not in html


def test_curators_see_lock_publish_and_delete_as_post_forms(world):
    html = render_controls(world.user("curator"), world.public)
    assert 'action="/actors/public/lock/"' in html and 'name="lock_reason"' in html
    assert 'action="/actors/public/publish/"' in html and "Unpublish" in html
    assert 'href="/actors/public/delete/"' in html and "csrfmiddlewaretoken" in html


def test_editors_see_the_lock_banner_with_the_reason_and_no_edit_button(world):
    world.public.is_locked, world.public.lock_reason = True, "Under legal review"
    page_save(page=world.public, user=None)
    html = render_controls(world.user("editor"), world.public)
    assert "Locked by the curators" in html and "Under legal review" in html
    assert "View text" in html and "Add membership" not in html
    assert "Unlock" in render_controls(world.user("curator"), world.public)


def test_entry_controls_cost_no_query(world, django_assert_num_queries):
    user = world.user("editor")
    entry_controls(user, world.public)  # the groups are read once per request
    with django_assert_num_queries(0):
        entry_controls(user, world.public)
