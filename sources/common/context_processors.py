"""What every template may ask about the reader."""

from sources.common.permissions import is_team


def team(request):
    """is_team: the reader belongs to the team (sees drafts, history and edit controls)."""
    return {"is_team": is_team(getattr(request, "user", None))}
