import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command


@pytest.mark.django_db
def test_editors_and_curators_exist_after_migrate():
    editors = Group.objects.get(name="Editors")
    curators = Group.objects.get(name="Curators")
    assert editors.permissions.filter(codename="change_actor").exists()
    assert not editors.permissions.filter(codename="delete_actor").exists()
    assert curators.permissions.filter(codename="delete_actor").exists()


@pytest.mark.django_db(transaction=True)
def test_the_groups_come_back_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) == {"Editors", "Curators"}
    assert Group.objects.get(name="Editors").permissions.filter(codename="add_source").exists()


def _codenames(group, app_label):
    return set(
        group.permissions.filter(content_type__app_label=app_label).values_list(
            "codename", flat=True
        )
    )


@pytest.mark.django_db
def test_curators_manage_accounts_through_the_narrow_admin_and_editors_not_at_all():
    curators, editors = Group.objects.get(name="Curators"), Group.objects.get(name="Editors")
    assert _codenames(curators, "auth") == {"add_user", "change_user", "view_user", "view_group"}
    assert _codenames(editors, "auth") == set()
    assert _codenames(curators, "axes") == {"view_accessattempt", "delete_accessattempt"}


@pytest.mark.django_db
def test_rights_over_accounts_granted_beyond_these_are_taken_back():
    from django.apps import apps
    from django.contrib.auth.models import Permission

    from wiki.groups import groups_ensure

    curators, editors = Group.objects.get(name="Curators"), Group.objects.get(name="Editors")
    escalating = Permission.objects.filter(
        content_type__app_label="auth",
        codename__in=["change_group", "add_permission", "delete_user", "add_user"],
    )
    curators.permissions.add(*escalating)
    editors.permissions.add(*escalating)
    groups_ensure(apps)
    assert _codenames(curators, "auth") == {"add_user", "change_user", "view_user", "view_group"}
    assert _codenames(editors, "auth") == set()
    assert curators.permissions.filter(codename="delete_actor").exists()  # content rights stay
