"""The team's two groups, Editors and Curators, and what each may do to the content.

Made by a data migration, and made again after every flush (post_migrate), so that a test
database emptied between tests, or a database restored from a backup, always has them.
"""

CONTENT = {
    "sources": ["source", "citation"],
    "wiki": ["actor", "faction", "event", "membership", "factionrelation", "participation"],
    "taggit": ["tag"],
}
EDITOR_ACTIONS = ["add", "change", "view"]
CURATOR_ACTIONS = ["add", "change", "delete", "view"]
CURATOR_EXTRA = [
    ("auth", "user", ["add", "change", "view"]),
    ("auth", "group", ["view"]),
    # Failed-login records (django-axes): deleting one unlocks an account.
    ("axes", "accessattempt", ["view", "delete"]),
]


def _codenames(app_label, model, actions) -> list[str]:
    codenames = [f"{action}_{model}" for action in actions]
    if app_label != "taggit":
        # History rows are read through the same rights as the things they record.
        codenames.append(f"view_historical{model}")
    return codenames


def groups_ensure(apps, using="default") -> None:
    """Create both groups if missing and grant their permissions (idempotent)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.using(using).get_or_create(name="Editors")
    curators, _ = Group.objects.using(using).get_or_create(name="Curators")
    permissions = Permission.objects.using(using)
    for app_label, models in CONTENT.items():
        for model in models:
            for group, actions in ((editors, EDITOR_ACTIONS), (curators, CURATOR_ACTIONS)):
                group.permissions.add(
                    *permissions.filter(
                        content_type__app_label=app_label,
                        codename__in=_codenames(app_label, model, actions),
                    )
                )
    for app_label, model, actions in CURATOR_EXTRA:
        curators.permissions.add(
            *permissions.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )
