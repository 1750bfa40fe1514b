"""The team's two groups, Editors and Curators, and what each may do to the content and accounts.

Made by a data migration, and made again after every flush (post_migrate), so that a test
database emptied between tests, or a database restored from a backup, always has them.
"""

CONTENT = {
    "sources": ["source", "citation"],
    "wiki": [
        "actor",
        "faction",
        "event",
        "membership",
        "factionrelation",
        "participation",
        "claim",
    ],
    "taggit": ["tag"],
}
EDITOR_ACTIONS = ["add", "change", "view"]
CURATOR_ACTIONS = ["add", "change", "delete", "view"]
CURATOR_EXTRA = [
    # Accounts, through the narrow user admin (sources/accounts_admin.py): add team members,
    # deactivate and reactivate them, move them between Editors and Curators. Never
    # delete_user, and no right to change groups or permissions: with change_group the group
    # could grant itself anything.
    ("auth", "user", ["add", "change", "view"]),
    ("auth", "group", ["view"]),  # what each group may do, read-only
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
    # Rights over accounts, groups and permissions beyond the ones above are taken back, however
    # they were granted: each is a way for the team to raise itself (or anyone) above them.
    for group, granted in ((editors, []), (curators, _account_codenames())):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="auth").exclude(codename__in=granted)
        )


def _account_codenames() -> list[str]:
    """The curators' rights over accounts and groups (auth), as codenames."""
    return [
        f"{action}_{model}"
        for app_label, model, actions in CURATOR_EXTRA
        if app_label == "auth"
        for action in actions
    ]
