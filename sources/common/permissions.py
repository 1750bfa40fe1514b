"""Who may see and do what: plain functions, one place."""

EDITORS = "Editors"
CURATORS = "Curators"


def _group_names(user) -> set[str]:
    # Cached on the user object: one query per request however often it is asked.
    if not hasattr(user, "_attest_groups"):
        user._attest_groups = set(user.groups.values_list("name", flat=True))
    return user._attest_groups


def can_read_drafts(user) -> bool:
    """Team members (editors, curators, staff) read unpublished work; the public does not."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or user.is_superuser or bool(_group_names(user) & {EDITORS, CURATORS})


def can_edit(user) -> bool:
    """Editors and curators create and edit sources and pages."""
    return can_read_drafts(user)


def is_curator(user) -> bool:
    """Curators publish, lock, delete and merge."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or CURATORS in _group_names(user)


def can_change_page(user, page) -> bool:
    """Editors change unlocked pages; curators change any page."""
    return can_edit(user) and (not getattr(page, "is_locked", False) or is_curator(user))


def can_publish(user) -> bool:
    """Curators publish and unpublish, lock and unlock, and delete."""
    return is_curator(user)
