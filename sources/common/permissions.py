"""Who may see and do what: the rules as plain functions, and the one view guard that asks them.

Rights come from the two groups alone (and from being a superuser): `is_staff` only opens the
admin's door, it grants nothing on the site. Rules take (user, thing) so that a view, a
QuerySet's `visible_to(user)` and a service all ask the same question the same way.
"""

import inspect
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

EDITORS = "Editors"
CURATORS = "Curators"
TEAM_GROUPS = (EDITORS, CURATORS)


def _group_names(user) -> set[str]:
    # Cached on the user object: one query per request however often it is asked.
    if not hasattr(user, "_attest_groups"):
        user._attest_groups = set(user.groups.values_list("name", flat=True))
    return user._attest_groups


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


# ---------------------------------------------------------------------------------------------
# Roles


def is_team(user) -> bool:
    """Editors and curators: they read unpublished work, history and who wrote what."""
    if not _active(user):
        return False
    return user.is_superuser or bool(_group_names(user) & set(TEAM_GROUPS))


def is_curator(user) -> bool:
    """Curators publish, lock, delete and merge."""
    if not _active(user):
        return False
    return user.is_superuser or CURATORS in _group_names(user)


# ---------------------------------------------------------------------------------------------
# Rules: (user, thing) -> bool; `thing` may be None where a view has none yet (a new page).


def can_read(user, thing=None) -> bool:
    """Published things are for everyone; unpublished ones exist for the team only."""
    return thing is None or getattr(thing, "is_public", True) or is_team(user)


def can_edit(user, thing=None) -> bool:
    """The team creates and edits; a locked page is for curators only."""
    if not is_team(user):
        return False
    return not getattr(thing, "is_locked", False) or is_curator(user)


def can_curate(user, thing=None) -> bool:
    """Curators publish and unpublish, lock and unlock, and delete."""
    return is_curator(user)


def for_team(user, thing=None) -> bool:
    """The team's own doors: history (it names editors), and every editor, which opens even on
    a locked page (read only, with the lock's reason)."""
    return is_team(user)


def can_manage_account(user, account) -> bool:
    """Superusers manage every account. A curator manages the accounts of others that hold
    nothing a curator could not grant: no superuser, no permissions of their own, no group but
    the team's. (Their own account another curator changes: nobody locks themselves out.)"""
    if not is_curator(user):
        return False
    if user.is_superuser:
        return True
    return (
        account.pk != user.pk
        and not account.is_superuser
        and not account.user_permissions.exists()
        and not account.groups.exclude(name__in=TEAM_GROUPS).exists()
    )


# ---------------------------------------------------------------------------------------------
# For services, which refuse what a view might forget. `user=None` is the system itself
# (commands, the demo loader, migrations): it is never refused.


def refuse_unless(rule, user, thing=None) -> None:
    """Raise PermissionDenied unless `user` passes `rule` for `thing`."""
    if user is not None and not rule(user, thing):
        raise PermissionDenied("Your account may not do this.")


def refuse_if_locked(user, page) -> None:
    """A locked page is written by curators only: raise PermissionDenied with the lock's reason."""
    if user is not None and page.is_locked and not is_curator(user):
        reason = f": {page.lock_reason}" if page.lock_reason else "."
        raise PermissionDenied(f"“{page}” is locked by the curators{reason}")


# ---------------------------------------------------------------------------------------------
# The view guard


def guard(rule, *, load=None, hidden=False):
    """View decorator: the one door of every view that is not for everyone.

    `load(request, **url_kwargs)` fetches the thing the view is about from what the reader may
    see (so a hidden thing is a 404 before anything else); the view then gets it instead of
    the URL arguments it takes. A reader the rule refuses is sent to log in when anonymous,
    else 403.
    With `hidden` (history, which names editors), the URL does not exist outside the team: 404,
    except that an anonymous POST (a session that ran out mid-work) is still sent to log in.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            thing = None
            if load:
                # The loader takes the URL arguments it names; the view gets the rest.
                taken = {name: kwargs.pop(name) for name in _parameters(load) if name in kwargs}
                thing = load(request, **taken)
            user = request.user
            if not rule(user, thing):
                anonymous = not user.is_authenticated
                if hidden and not is_team(user) and not (anonymous and request.method == "POST"):
                    raise Http404("No such page.")
                if anonymous:
                    return redirect_to_login(_after_login(request, thing))
                raise PermissionDenied("Your account may not do this.")
            if load:
                return view(request, thing, *args, **kwargs)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)[1:]


def _after_login(request, thing) -> str:
    # After logging in, a POST-only URL would answer 405: come back to the thing instead.
    if request.method == "GET" or thing is None:
        return request.get_full_path()
    return thing.get_absolute_url()
