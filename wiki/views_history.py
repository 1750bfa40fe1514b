"""History of pages: revisions, diffs, revert; recent changes and contributions."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("Not built yet.")


entry_history = _not_yet
entry_revision = _not_yet
entry_revert = _not_yet
recent_changes = _not_yet
user_contributions = _not_yet
