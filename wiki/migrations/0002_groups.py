"""Create the Editors and Curators groups with their permissions on content."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = {
    "sources": ["source", "citation"],
    "wiki": ["actor", "faction", "event", "membership", "factionrelation", "participation"],
    "taggit": ["tag"],
}
EDITOR_ACTIONS = ["add", "change", "view"]
CURATOR_ACTIONS = ["add", "change", "delete", "view"]
CURATOR_EXTRA = [("auth", "user", ["add", "change", "view"]), ("auth", "group", ["view"])]


def _permissions(apps, app_label, model, actions):
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for action in actions]
    if app_label != "taggit":
        # History rows are read through the same rights as the things they record.
        codenames.append(f"view_historical{model}")
    return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    editors, _ = Group.objects.get_or_create(name="Editors")
    curators, _ = Group.objects.get_or_create(name="Curators")
    for app_label, models in CONTENT.items():
        for model in models:
            editors.permissions.add(*_permissions(apps, app_label, model, EDITOR_ACTIONS))
            curators.permissions.add(*_permissions(apps, app_label, model, CURATOR_ACTIONS))
    for app_label, model, actions in CURATOR_EXTRA:
        Permission = apps.get_model("auth", "Permission")
        curators.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Curators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0001_initial"),
        ("sources", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
