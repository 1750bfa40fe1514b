"""The rules of who may see and do what, as a table, and the one view guard that asks them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from sources.common.permissions import (
    can_curate,
    can_edit,
    can_read,
    for_team,
    guard,
    is_curator,
    is_team,
    refuse_if_locked,
    refuse_unless,
)
from tests.factories import ActorFactory, UserFactory, curator, editor

pytestmark = pytest.mark.django_db


def people():
    return {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(username="outsider"),
        # is_staff opens the admin's door only: rights come from the groups.
        "staff in no group": UserFactory(username="staff", is_staff=True),
        "inactive editor": UserFactory(username="gone", groups=["Editors"], is_active=False),
        "editor": editor(),
        "curator": curator(),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }


PUBLISHED, DRAFT, LOCKED = "published", "draft", "locked"
# who: (is_team, is_curator, can_read draft, can_edit published, can_edit locked, can_curate)
TABLE = {
    "anonymous": (False, False, False, False, False, False),
    "outsider": (False, False, False, False, False, False),
    "staff in no group": (False, False, False, False, False, False),
    "inactive editor": (False, False, False, False, False, False),
    "editor": (True, False, True, True, False, False),
    "curator": (True, True, True, True, True, True),
    "superuser": (True, True, True, True, True, True),
}


@pytest.mark.parametrize("who", list(TABLE))
def test_rules_table(who):
    user = people()[who]
    pages = {
        PUBLISHED: ActorFactory(is_public=True),
        DRAFT: ActorFactory(is_public=False),
        LOCKED: ActorFactory(is_public=True, is_locked=True),
    }
    got = (
        is_team(user),
        is_curator(user),
        can_read(user, pages[DRAFT]),
        can_edit(user, pages[PUBLISHED]),
        can_edit(user, pages[LOCKED]),
        can_curate(user, pages[PUBLISHED]),
    )
    assert got == TABLE[who]
    assert can_read(user, pages[PUBLISHED]), "published pages are for everyone"


def test_staff_without_a_group_gets_no_editor_rights_on_the_site(client):
    draft = ActorFactory(is_public=False)
    published = ActorFactory(is_public=True)
    client.force_login(UserFactory(username="staff", is_staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(published.get_absolute_url() + "edit/").status_code == 403
    assert client.get(published.get_absolute_url() + "history/").status_code == 404
    assert client.get("/actors/new/").status_code == 403


def test_services_refuse_what_a_view_might_forget():
    page = ActorFactory(is_public=True, is_locked=True, lock_reason="Under review")
    with pytest.raises(PermissionDenied, match="Under review"):
        refuse_if_locked(editor(), page)
    refuse_if_locked(curator("c2"), page)
    refuse_if_locked(None, page)  # the system itself
    with pytest.raises(PermissionDenied):
        refuse_unless(can_curate, editor("e2"), page)
    refuse_unless(can_curate, None, page)


def _view(request, *args, **kwargs):
    return HttpResponse(f"{args} {sorted(kwargs)}")


def _request(user, method="get"):
    request = getattr(RequestFactory(), method)("/somewhere/")
    request.user = user
    return request


def test_guard_sends_anonymous_visitors_to_log_in_and_refuses_outsiders():
    view = guard(can_edit)(_view)
    response = view(_request(AnonymousUser()))
    assert response.status_code == 302 and "/accounts/login/?next=/somewhere/" in response.url
    with pytest.raises(PermissionDenied):
        view(_request(UserFactory()))
    assert view(_request(editor())).status_code == 200


def test_guard_loads_the_thing_and_passes_the_rest_of_the_arguments():
    page = ActorFactory(is_public=True)

    def load(request, slug):
        return ActorFactory._meta.model.objects.get(slug=slug)

    view = guard(can_edit, load=load)(lambda request, thing, rev: HttpResponse(f"{thing} {rev}"))
    response = view(_request(editor()), slug=page.slug, rev=7)
    assert response.content.decode() == f"{page} 7"


def test_hidden_guard_is_a_404_outside_the_team_but_a_lapsed_post_goes_to_log_in():
    view = guard(for_team, hidden=True)(_view)
    with pytest.raises(Http404):
        view(_request(AnonymousUser()))
    with pytest.raises(Http404):
        view(_request(UserFactory()))
    assert view(_request(AnonymousUser(), "post")).status_code == 302
    assert view(_request(editor())).status_code == 200


def test_curators_manage_the_accounts_of_others_within_the_team_only():
    from django.contrib.auth.models import Group, Permission

    from sources.common.permissions import can_manage_account

    boss = curator("boss")
    assert can_manage_account(boss, editor("e3"))
    assert can_manage_account(boss, curator("c3"))
    assert not can_manage_account(boss, boss)
    assert not can_manage_account(boss, UserFactory(username="root", is_superuser=True))
    odd = UserFactory(username="odd")
    odd.groups.add(Group.objects.create(name="Auditors"))
    assert not can_manage_account(boss, odd)
    granted = UserFactory(username="granted")
    granted.user_permissions.add(Permission.objects.get(codename="delete_user"))
    assert not can_manage_account(boss, granted)
    assert not can_manage_account(editor("e4"), editor("e5"))
    assert can_manage_account(UserFactory(username="su", is_superuser=True), boss)
