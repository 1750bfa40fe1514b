"""Every URL of the site against anonymous visitors, editors and curators.

The role rules live in sources/permissions.py; this matrix pins what each role gets from each
route, and a guard fails when a route is added without a row here.
"""

import pytest
from django.urls import get_resolver, reverse

from sources.models import Source
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

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the login form


@pytest.fixture
def world():
    source = SourceFactory(key="ric")
    actor = page_save(
        page=ActorFactory(slug="a", title="A"), body='X. [@ric "Najibullah"]', user=None, tags=["t"]
    )
    membership = relation_save(
        relation=MembershipFactory.build(
            actor=actor, faction=FactionFactory(slug="f"), evidence='[@ric "Najibullah"]'
        ),
        user=None,
    )
    return {
        "rev": actor.history.first().history_id,
        "srev": source.history.first().history_id,
        "m": membership.pk,
        "writer": UserFactory(username="writer").username,
    }


# (route name, args from the world) -> GET status for anonymous, editor, curator
GET_MATRIX = {
    ("wiki:home", ()): (200, 200, 200),
    ("wiki:page-new", ()): (LOGIN, 200, 200),
    ("wiki:search-suggest", ()): (200, 200, 200),
    ("wiki:search", ()): (200, 200, 200),
    ("wiki:tag-detail", ("t",)): (200, 200, 200),
    ("wiki:changes", ()): (404, 200, 200),
    ("wiki:user-contributions", ("writer",)): (404, 200, 200),
    ("wiki:relation-create", ("membership",)): (LOGIN, 200, 200),
    ("wiki:relation-edit", ("membership", "m")): (LOGIN, 200, 200),
    ("wiki:relation-delete", ("membership", "m")): (LOGIN, 403, 200),
    ("wiki:entry-list", ("actors",)): (200, 200, 200),
    ("wiki:entry-create", ("actors",)): (LOGIN, 200, 200),
    ("wiki:entry-detail", ("actors", "a")): (200, 200, 200),
    ("wiki:entry-edit", ("actors", "a")): (LOGIN, 200, 200),
    ("wiki:entry-lock", ("actors", "a")): (405, 405, 405),
    ("wiki:entry-publish", ("actors", "a")): (405, 405, 405),
    ("wiki:entry-delete", ("actors", "a")): (LOGIN, 403, 200),
    ("wiki:entry-history", ("actors", "a")): (404, 200, 200),
    ("wiki:entry-revision", ("actors", "a", "rev")): (404, 200, 200),
    ("wiki:entry-revert", ("actors", "a", "rev")): (405, 405, 405),
    ("sources:source-list", ()): (200, 200, 200),
    ("sources:source-create", ()): (LOGIN, 200, 200),
    ("sources:source-cite-bib", ("ric",)): (200, 200, 200),
    ("sources:source-cite-ris", ("ric",)): (200, 200, 200),
    ("sources:source-cite-json", ("ric",)): (200, 200, 200),
    ("sources:source-detail", ("ric",)): (200, 200, 200),
    ("sources:source-edit", ("ric",)): (LOGIN, 200, 200),
    ("sources:source-cite-on", ("ric",)): (LOGIN, 200, 200),
    ("sources:source-publish", ("ric",)): (405, 405, 405),
    ("sources:source-history", ("ric",)): (404, 200, 200),
    ("sources:source-revision", ("ric", "srev")): (404, 200, 200),
    ("sources:source-revert", ("ric", "srev")): (405, 405, 405),
}

# POST-only state changes: what anonymous visitors and editors get (curators are allowed).
POST_MATRIX = {
    ("wiki:entry-lock", ("actors", "a")): (LOGIN, 403),
    ("wiki:entry-publish", ("actors", "a")): (LOGIN, 403),
    ("wiki:entry-delete", ("actors", "a")): (LOGIN, 403),
    ("wiki:relation-delete", ("membership", "m")): (LOGIN, 403),
    ("sources:source-publish", ("ric",)): (LOGIN, 403),
    ("wiki:entry-revert", ("actors", "a", "rev")): (LOGIN, None),
    ("sources:source-revert", ("ric", "srev")): (LOGIN, None),
}

ROLES = {"anonymous": lambda: None, "editor": editor, "curator": curator}


def url_for(world, name, args):
    return reverse(name, args=[world.get(arg, arg) for arg in args])


def as_role(client, role):
    user = ROLES[role]()
    if user is not None:
        client.force_login(user)


def assert_status(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected


def snapshot():
    """What a refused request must leave exactly as it was."""
    return (
        Actor.objects.values_list("is_public", "is_locked").first(),
        Actor.history.count(),
        Source.history.count(),
        Membership.objects.count(),
    )


@pytest.mark.parametrize("route", GET_MATRIX, ids=lambda route: route[0])
@pytest.mark.parametrize("role", ["anonymous", "editor", "curator"])
def test_get_matrix(client, world, route, role):
    as_role(client, role)
    expected = GET_MATRIX[route][list(ROLES).index(role)]
    assert_status(client.get(url_for(world, *route)), expected)


REFUSALS = [
    pytest.param(route, role, expected, id=f"{role}-{route[0]}")
    for route, outcomes in POST_MATRIX.items()
    for role, expected in zip(("anonymous", "editor"), outcomes, strict=True)
    if expected is not None
]


@pytest.mark.parametrize(("route", "role", "expected"), REFUSALS)
def test_refused_posts_change_nothing(client, world, route, role, expected):
    as_role(client, role)
    before = snapshot()
    data = {"action": "lock", "lock_reason": "x", "change_reason": "x", "publish": "0"}
    assert_status(client.post(url_for(world, *route), data), expected)
    assert snapshot() == before


def test_every_route_is_in_the_matrix():
    resolver = get_resolver()
    named = {
        f"{namespace}:{name}"
        for namespace in ("wiki", "sources")
        for name in resolver.namespace_dict[namespace][1].reverse_dict
        if isinstance(name, str)
    }
    assert named == {name for name, _ in GET_MATRIX}
