"""What every template may ask about the reader."""

from sources.common.permissions import can_read_drafts


def team(request):
    """is_team: the reader belongs to the team (sees drafts, history and edit controls)."""
    return {"is_team": can_read_drafts(getattr(request, "user", None))}
