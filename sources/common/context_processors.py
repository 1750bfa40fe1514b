"""What every template may ask about the reader."""

from django.utils.functional import SimpleLazyObject

from sources.common import tasks
from sources.common.permissions import is_team


def team(request):
    """is_team: the reader belongs to the team (sees drafts, history and edit controls);
    backlog, for the team only: the background work still waiting (read when shown)."""
    member = is_team(getattr(request, "user", None))
    return {"is_team": member, "backlog": SimpleLazyObject(tasks.backlog) if member else None}
