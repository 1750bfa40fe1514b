"""No state change without Django's CSRF token, and no GET changes anything.

Every URL pattern of the site, the admin's included, is in the table below: a POST without the
token is refused (403) before any view runs, and a GET as a curator leaves every table of the
database, history tables included, exactly as it was. A guard fails when a route is added
without a row here.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from simple_history.admin import SimpleHistoryAdmin

from tests.factories import (
    ActorFactory,
    EventFactory,
    FactionFactory,
    FactionRelationFactory,
    MembershipFactory,
    ParticipationFactory,
    SourceFactory,
    UserFactory,
    curator,
)
from wiki.models import Actor, Claim, Membership
from wiki.services import claim_save, page_save, relation_save
from wiki.tasks import mentions_of_sources

pytestmark = pytest.mark.django_db

CSRF_REFUSAL = b"CSRF verification failed"

# What a state change would send if it were let through: a lock, a publication, an edit.
CHANGES = {
    "action": "lock",
    "lock_reason": "x",
    "publish": "1",
    "title": "Changed",
    "body": "Changed.",
    "change_reason": "x",
    "username": "curator",
    "password": "correct horse battery staple",
}

# Routes of the site by name: the arguments that make their URL (looked up in the world).
SITE_ROUTES = {
    "login": (),
    "logout": (),
    "password_change": (),
    "password_change_done": (),
    "password_reset": (),
    "password_reset_done": (),
    "password_reset_confirm": ("MQ", "set-password"),
    "password_reset_complete": (),
    "wiki:home": (),
    "wiki:page-new": (),
    "wiki:search": (),
    "wiki:search-suggest": (),
    "wiki:tag-detail": ("t",),
    "wiki:changes": (),
    "wiki:user-contributions": ("writer",),
    "wiki:timeline": (),
    "wiki:graph": (),
    "wiki:export-gexf": (),
    "wiki:export-graphml": (),
    "wiki:entry-graph": ("actors", "a"),
    "wiki:exports": (),
    "wiki:export-csv": ("actors",),
    "wiki:export-jsonld": (),
    "wiki:changes-feed": (),
    "wiki:sitemap": (),
    **{f"wiki:entry-cite-{fmt}": ("actors", "a") for fmt in ("bib", "ris", "json")},
    "wiki:entry-changes-feed": ("actors", "a"),
    "wiki:disputes": (),
    "wiki:claim-rank": ("claim",),
    "wiki:relation-create": ("membership",),
    "wiki:relation-edit": ("membership", "membership_id"),
    "wiki:relation-delete": ("membership", "membership_id"),
    "wiki:entry-list": ("actors",),
    "wiki:entry-create": ("actors",),
    "wiki:entry-detail": ("actors", "a"),
    "wiki:entry-edit": ("actors", "a"),
    "wiki:entry-lock": ("actors", "a"),
    "wiki:entry-publish": ("actors", "a"),
    "wiki:entry-delete": ("actors", "a"),
    "wiki:entry-history": ("actors", "a"),
    "wiki:entry-revision": ("actors", "a", "revision"),
    "wiki:entry-revert": ("actors", "a", "revision"),
    "sources:source-list": (),
    "sources:source-create": (),
    "sources:source-fetch": ("no-such-ticket",),
    "sources:source-cite-bib": ("ric",),
    "sources:source-cite-ris": ("ric",),
    "sources:source-cite-json": ("ric",),
    "sources:source-detail": ("ric",),
    "sources:source-edit": ("ric",),
    "sources:source-cite-on": ("ric",),
    "sources:source-publish": ("ric",),
    "sources:source-delete": ("ric",),
    "sources:source-original": ("ric",),
    "sources:source-history": ("ric",),
    "sources:source-revision": ("ric", "source_revision"),
    "sources:source-revert": ("ric", "source_revision"),
    "sources:passage-grade": ("ric", "citation"),
    # The read-only JSON API: DRF exempts its views from the CSRF check; ours are not.
    "api:api-root": (),
    "api:schema": (),
    "api:docs": (),
    **{f"api:{kind}-list": () for kind in ("actor", "faction", "event", "source", "claim")},
    **{f"api:{kind}-list": () for kind in ("membership", "factionrelation", "participation")},
    "api:citation-list": (),
    "api:actor-detail": ("a",),
    "api:faction-detail": ("f",),
    "api:event-detail": ("e",),
    "api:source-detail": ("ric",),
    "api:claim-detail": ("claim",),
    "api:membership-detail": ("membership_id",),
    "api:factionrelation-detail": (0,),
    "api:participation-detail": (0,),
    "api:citation-detail": ("citation",),
    # The admin site's own pages.
    "admin:index": (),
    "admin:login": (),
    "admin:logout": (),
    "admin:password_change": (),
    "admin:password_change_done": (),
    "admin:autocomplete": (),
    "admin:jsi18n": (),
    "admin:view_on_site": ("actor_type", "actor"),
    "admin:app_list": ("wiki",),
    "admin:auth_user_password_change": ("user",),
    "admin:taggit_tag_merge_tags": (),
}

# The views the admin makes for every registered model, and the arguments of their URLs.
ADMIN_MODEL_VIEWS = {
    "changelist": lambda obj: (),
    "add": lambda obj: (),
    "change": lambda obj: (obj.pk,),
    "delete": lambda obj: (obj.pk,),
    "history": lambda obj: (obj.pk,),
    # django-simple-history's view of one revision (POST reverts to it).
    "simple_history": lambda obj: (obj.pk, obj.history.first().history_id),
}

# Routes without a name: the admin's catch-all (and, below, its redirect from /<object id>/
# to an object's change form).
UNNAMED_ROUTES = {"admin/(?P<url>.*)$": "/admin/nowhere/"}
# Uploaded files, served by Django only while DEBUG is on (never in tests or production).
DEBUG_ONLY_ROUTES = {"^media/(?P<path>.*)$"}


def walk(patterns, prefix="", namespace=""):
    """(name or pattern, pattern) of every URL pattern under these, admin and includes too."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            pattern = prefix + str(entry.pattern)
            if entry.name is None:
                yield pattern, pattern
            else:
                yield ":".join(filter(None, [namespace, entry.name])), pattern


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Each test makes three users; the real hasher would spend most of the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    """One of everything a URL can name, each with a history row where it keeps one."""
    source = SourceFactory(key="ric")
    actor = page_save(
        page=ActorFactory(slug="a", title="A"),
        body='X. [@ric "led by President Najibullah"]',
        user=None,
        tags=["t"],
    )
    faction, other, event = FactionFactory(slug="f"), FactionFactory(), EventFactory()
    for relation in (
        MembershipFactory.build(actor=actor, faction=faction),
        FactionRelationFactory.build(faction=faction, other=other),
        ParticipationFactory.build(event=event, actor=actor),
    ):
        relation_save(relation=relation, user=None)
    for born in ("1950", "1953"):  # sources that disagree: a disputed fact
        evidence = '[@ric "the Northern Alliance was established"]'
        claim = claim_save(
            claim=Claim(subject=actor, field="born", value=born, evidence=evidence), user=None
        )
    Token.objects.create(user=UserFactory(username="api-client"))  # the admin's API tokens
    database = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    with override_settings(TASKS={"default": database}):
        mentions_of_sources.enqueue([source.pk])  # the admin's background tasks
    axes = apps.get_app_config("axes")
    for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
        fields = {"failures_since_start": 1} if name == "AccessAttempt" else {}
        axes.get_model(name).objects.create(username="someone", ip_address="10.0.0.9", **fields)
    return {
        "revision": actor.history.first().history_id,
        "source_revision": source.history.first().history_id,
        "citation": source.citations.filter(quote__startswith="led by").get().pk,
        "claim": claim.pk,
        "membership_id": Membership.objects.get().pk,
        "writer": UserFactory(username="writer").username,
        "user": UserFactory(username="member").pk,
        "actor": actor.pk,
        "actor_type": ContentType.objects.get_for_model(Actor).pk,
    }


def admin_routes() -> dict:
    """name -> function of the world giving the URL, for every model the admin manages."""
    routes = {}
    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}_{model._meta.model_name}"
        for view, args in ADMIN_MODEL_VIEWS.items():
            if view != "simple_history" or isinstance(model_admin, SimpleHistoryAdmin):
                routes[f"admin:{label}_{view}"] = _admin_url(model, view, args)
        pattern = f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"
        routes[pattern] = _admin_object_redirect(model)
    return routes


def _first(model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the world holds no {model._meta.label}: add one"
    return obj


def _admin_url(model, view, args):
    label = f"{model._meta.app_label}_{model._meta.model_name}"
    return lambda world: reverse(f"admin:{label}_{view}", args=args(_first(model)))


def _admin_object_redirect(model):
    meta = model._meta
    return lambda world: f"/admin/{meta.app_label}/{meta.model_name}/{_first(model).pk}/"


def _site_url(name, args):
    return lambda world: reverse(name, args=[world.get(arg, arg) for arg in args])


def _fixed_url(url):
    return lambda world: url


ROUTES = {
    **{name: _site_url(name, args) for name, args in SITE_ROUTES.items()},
    **admin_routes(),
    **{pattern: _fixed_url(url) for pattern, url in UNNAMED_ROUTES.items()},
}


def database_rows() -> dict:
    """Every row of every table, history and join tables included, by model."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
    }


def test_every_route_is_classified():
    routes = {key for key, _ in walk(get_resolver().url_patterns)} - DEBUG_ONLY_ROUTES
    assert routes - set(ROUTES) == set(), "a new route: add it to SITE_ROUTES"
    assert set(ROUTES) - routes == set(), "a route that no longer exists: remove its row"


@pytest.fixture
def curator_client():
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator())
    return client


@pytest.mark.parametrize("route", ROUTES)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(curator_client, world, route):
    url = ROUTES[route](world)
    before = database_rows()
    response = curator_client.post(url, CHANGES)
    assert response.status_code == 403, url
    assert CSRF_REFUSAL in response.content
    assert database_rows() == before


@pytest.mark.parametrize("route", ROUTES)
def test_a_get_changes_nothing(curator_client, world, route):
    url = ROUTES[route](world)
    before = database_rows()
    response = curator_client.get(url)
    assert response.status_code < 500, url
    assert database_rows() == before


def test_with_the_token_the_same_post_goes_through(curator_client, world):
    """The refusals above come from the missing token: with it, the curator locks the page."""
    url = reverse("wiki:entry-lock", args=["actors", "a"])
    curator_client.get(reverse("wiki:entry-detail", args=["actors", "a"]))
    token = curator_client.cookies["csrftoken"].value
    response = curator_client.post(url, {**CHANGES, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Actor.objects.get(slug="a").is_locked


def test_logging_out_without_the_token_keeps_the_session(curator_client, world):
    assert curator_client.post(reverse("logout")).status_code == 403
    assert curator_client.get(reverse("wiki:changes")).status_code == 200  # still the curator


@pytest.mark.parametrize("login", ["login", "admin:login"])
def test_logging_in_without_the_token_is_refused(world, login):
    curator()
    client = Client(enforce_csrf_checks=True)
    before = database_rows()
    response = client.post(reverse(login), {"username": "curator", "password": CHANGES["password"]})
    assert response.status_code == 403
    assert CSRF_REFUSAL in response.content
    assert database_rows() == before  # no session, not even a failed attempt recorded
    assert settings.SESSION_COOKIE_NAME not in client.cookies
