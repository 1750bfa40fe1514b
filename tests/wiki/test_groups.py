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
