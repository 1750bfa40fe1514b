"""The team's accounts in the admin: curators add people, (de)activate them and move them between
Editors and Curators, and nothing more, whatever they post; superusers keep Django's user admin."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, curator, editor

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a quite different passphrase"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def curator_user():
    return curator()


@pytest.fixture
def curator_client(curator_user):
    browser = Client()
    browser.force_login(curator_user)
    return browser


@pytest.fixture
def superuser_client():
    browser = Client()
    browser.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return browser


@pytest.fixture
def alice():
    return editor(username="alice")


def admin_url(view, *args):
    return reverse(f"admin:auth_user_{view}", args=args)


def group(name):
    return Group.objects.get(name=name)


def other_group():
    return Group.objects.create(name="Auditors")


def any_permission():
    return Permission.objects.get(codename="delete_user")


def group_names(user):
    return sorted(user.groups.values_list("name", flat=True))


def snapshot(user):
    """Everything about an account that matters for what it may do."""
    user = User.objects.get(pk=user.pk)
    return {
        "username": user.username,
        "password": user.password,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": group_names(user),
        "permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
    }


def change_form(user, **changes):
    """The change form as a curator posts it: active or not, and the team groups."""
    data = {
        "is_active": "on" if user.is_active else "",
        "groups": [g.pk for g in user.groups.filter(name__in=["Editors", "Curators"])],
    }
    return {**data, **changes}


def add_form(username, **changes):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD, "groups": []}
    return {**data, **changes}


FORGED = {
    "is_superuser": "on",
    "is_staff": "on",
    "user_permissions": "PERMISSION",
    "password": "md5$forged$0123456789abcdef0123456789abcdef",
    "username": "renamed",
    "email": "someone@example.org",
    "last_login": "2000-01-01 00:00:00",
}


def forged(**changes):
    fields = {**FORGED, "user_permissions": [any_permission().pk]}
    return {**fields, **changes}


# ---------------------------------------------------------------------------------------------
# What curators may do


def test_curator_opens_the_account_list_add_and_change_pages(curator_client, alice):
    for url in (admin_url("changelist"), admin_url("add"), admin_url("change", alice.pk)):
        assert curator_client.get(url).status_code == 200, url


def test_the_change_form_offers_curators_activity_and_the_two_team_groups_only(
    curator_client, alice
):
    other_group()
    form = curator_client.get(admin_url("change", alice.pk)).context["adminform"].form
    assert set(form.fields) == {"is_active", "groups"}
    assert sorted(g.name for g in form.fields["groups"].queryset) == ["Curators", "Editors"]
    assert [g.name for g in form.initial["groups"]] == ["Editors"]


def test_the_add_form_offers_curators_username_password_and_team_groups_only(curator_client):
    form = curator_client.get(admin_url("add")).context["adminform"].form
    assert set(form.fields) == {"username", "password1", "password2", "groups"}


def test_curator_adds_an_editor_who_can_log_in(curator_client):
    data = add_form("bob", groups=[group("Editors").pk])
    assert curator_client.post(admin_url("add"), data).status_code == 302
    bob = User.objects.get(username="bob")
    assert bob.check_password(PASSWORD)
    assert (bob.is_active, bob.is_staff, bob.is_superuser) == (True, False, False)
    assert group_names(bob) == ["Editors"]
    login = Client().post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert login.status_code == 302


def test_a_curator_added_by_a_curator_is_staff_so_reaches_the_admin(curator_client):
    data = add_form("carol", groups=[group("Curators").pk])
    assert curator_client.post(admin_url("add"), data).status_code == 302
    carol = User.objects.get(username="carol")
    assert (carol.is_staff, carol.is_superuser, group_names(carol)) == (True, False, ["Curators"])


def test_a_weak_or_mismatched_password_is_refused_when_adding(curator_client):
    for passwords in (("12345678", "12345678"), (PASSWORD, NEW_PASSWORD)):
        data = add_form("dave", password1=passwords[0], password2=passwords[1])
        assert curator_client.post(admin_url("add"), data).status_code == 200
    assert not User.objects.filter(username="dave").exists()


def test_curator_deactivates_and_reactivates_an_account(curator_client, alice):
    url = admin_url("change", alice.pk)
    assert curator_client.post(url, change_form(alice, is_active="")).status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active
    assert curator_client.post(url, change_form(alice, is_active="on")).status_code == 302
    alice.refresh_from_db()
    assert alice.is_active
    assert group_names(alice) == ["Editors"]


def test_making_someone_a_curator_makes_them_staff_and_back(curator_client, alice):
    url = admin_url("change", alice.pk)
    data = change_form(alice, groups=[group("Editors").pk, group("Curators").pk])
    assert curator_client.post(url, data).status_code == 302
    alice.refresh_from_db()
    assert (alice.is_staff, group_names(alice)) == (True, ["Curators", "Editors"])
    data = change_form(alice, groups=[group("Editors").pk])
    assert curator_client.post(url, data).status_code == 302
    alice.refresh_from_db()
    assert (alice.is_staff, group_names(alice)) == (False, ["Editors"])


def test_curator_manages_another_curator(curator_client):
    other = curator(username="other-curator")
    data = change_form(other, groups=[group("Editors").pk], is_active="")
    assert curator_client.post(admin_url("change", other.pk), data).status_code == 302
    assert snapshot(other) | {"password": None} == {
        "username": "other-curator",
        "password": None,
        "is_active": False,
        "is_staff": False,
        "is_superuser": False,
        "groups": ["Editors"],
        "permissions": [],
    }


def test_staff_status_of_someone_who_stays_out_of_curators_is_left_alone(curator_client):
    staffer = UserFactory(username="staffer", is_staff=True, groups=["Editors"])
    data = change_form(staffer, is_active="")
    assert curator_client.post(admin_url("change", staffer.pk), data).status_code == 302
    staffer.refresh_from_db()
    assert (staffer.is_active, staffer.is_staff) == (False, True)


# ---------------------------------------------------------------------------------------------
# What curators may not do, even with forged POSTs


def test_forged_fields_on_the_add_form_are_ignored(curator_client):
    data = {**forged(), **add_form("mallory", groups=[group("Editors").pk])}
    assert curator_client.post(admin_url("add"), data).status_code == 302
    mallory = User.objects.get(username="mallory")
    assert snapshot(mallory) | {"password": None} == {
        "username": "mallory",
        "password": None,
        "is_active": True,
        "is_staff": False,
        "is_superuser": False,
        "groups": ["Editors"],
        "permissions": [],
    }
    assert mallory.check_password(PASSWORD)
    assert mallory.last_login is None and mallory.email == ""


def test_another_group_on_the_add_form_is_refused_and_nothing_is_added(curator_client):
    auditors = other_group()
    data = add_form("mallory", groups=[group("Editors").pk, auditors.pk])
    response = curator_client.post(admin_url("add"), data)
    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="mallory").exists()


def test_forged_fields_on_the_change_form_change_nothing_but_what_it_carries(curator_client, alice):
    before = snapshot(alice)
    data = change_form(alice, **forged())
    assert curator_client.post(admin_url("change", alice.pk), data).status_code == 302
    assert snapshot(alice) == before
    alice.refresh_from_db()
    assert alice.email == "alice@example.org" and alice.last_login is None


def test_another_group_on_the_change_form_is_refused_and_nothing_changes(curator_client, alice):
    auditors = other_group()
    before = snapshot(alice)
    data = change_form(alice, is_active="", groups=[group("Curators").pk, auditors.pk])
    response = curator_client.post(admin_url("change", alice.pk), data)
    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors
    assert snapshot(alice) == before


def test_a_superuser_account_is_read_only_to_curators(curator_client):
    root = UserFactory(username="boss", is_staff=True, is_superuser=True)
    before = snapshot(root)
    response = curator_client.get(admin_url("change", root.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    data = change_form(root, is_active="", groups=[group("Editors").pk], **forged())
    assert curator_client.post(admin_url("change", root.pk), data).status_code == 403
    assert snapshot(root) == before


@pytest.mark.parametrize("extra", ["group", "permission"])
def test_an_account_with_more_rights_than_curators_grant_is_read_only_to_them(
    curator_client, alice, extra
):
    if extra == "group":
        alice.groups.add(other_group())
    else:
        alice.user_permissions.add(any_permission())
    before = snapshot(alice)
    data = change_form(alice, is_active="", groups=[])
    assert curator_client.post(admin_url("change", alice.pk), data).status_code == 403
    assert snapshot(alice) == before


def test_a_curator_cannot_change_their_own_account(curator_client, curator_user):
    before = snapshot(curator_user)
    for data in (
        change_form(curator_user, **forged()),
        change_form(curator_user, groups=[], is_active=""),
    ):
        response = curator_client.post(admin_url("change", curator_user.pk), data)
        assert response.status_code == 403
    assert snapshot(curator_user) == before


def test_a_curator_can_set_nobodys_password_in_the_user_admin(curator_client, curator_user):
    root = UserFactory(username="boss", is_staff=True, is_superuser=True)
    for account in (editor(username="alice"), curator(username="other"), root, curator_user):
        before = snapshot(account)
        url = admin_url("password_change", account.pk)
        assert curator_client.get(url).status_code == 403
        data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
        assert curator_client.post(url, data).status_code == 403
        assert curator_client.post(url, {"usable_password": "false"}).status_code == 403
        assert snapshot(account) == before, account.username


def test_a_curator_changes_their_own_password_only_knowing_the_old_one(
    curator_client, curator_user
):
    url = reverse("admin:password_change")
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert curator_client.post(url, {**data, "old_password": "wrong"}).status_code == 200
    assert curator_client.post(url, data).status_code == 302
    curator_user.refresh_from_db()
    assert curator_user.check_password(NEW_PASSWORD)


def test_curators_neither_delete_accounts_nor_change_groups(curator_client, alice):
    editors = group("Editors")
    assert curator_client.get(admin_url("delete", alice.pk)).status_code == 403
    assert curator_client.post(admin_url("delete", alice.pk), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=alice.pk).exists()
    assert curator_client.get(reverse("admin:auth_group_add")).status_code == 403
    permissions = [any_permission().pk, *editors.permissions.values_list("pk", flat=True)]
    data = {"name": "Editors", "permissions": permissions}
    url = reverse("admin:auth_group_change", args=[editors.pk])
    assert curator_client.post(url, data).status_code == 403
    assert not editors.permissions.filter(codename="delete_user").exists()


def test_the_account_list_offers_curators_no_bulk_action(curator_client, alice):
    response = curator_client.get(admin_url("changelist"))
    assert not response.context["cl"].model_admin.get_actions(response.wsgi_request)
    data = {"action": "delete_selected", "_selected_action": [alice.pk], "post": "yes"}
    curator_client.post(admin_url("changelist"), data)
    assert User.objects.filter(pk=alice.pk).exists()


def test_failed_login_records_stay_in_the_curators_admin(curator_client):
    assert curator_client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


# ---------------------------------------------------------------------------------------------
# Superusers keep Django's user admin


def test_a_superuser_sets_flags_permissions_and_any_group(superuser_client, alice):
    auditors = other_group()
    url = admin_url("change", alice.pk)
    form = superuser_client.get(url).context["adminform"].form
    assert {"is_superuser", "is_staff", "user_permissions", "password"} <= set(form.fields)
    data = {
        "username": "alice",
        "first_name": "",
        "last_name": "",
        "email": "alice@example.org",
        "is_active": "on",
        "is_staff": "on",
        "groups": [auditors.pk],
        "user_permissions": [any_permission().pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert snapshot(alice) | {"password": None} == {
        "username": "alice",
        "password": None,
        "is_active": True,
        "is_staff": True,
        "is_superuser": False,
        "groups": ["Auditors"],
        "permissions": ["delete_user"],
    }


def test_a_superuser_sets_another_persons_password(superuser_client, alice):
    url = admin_url("password_change", alice.pk)
    assert superuser_client.get(url).status_code == 200
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    assert superuser_client.post(url, data).status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
