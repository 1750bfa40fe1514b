"""History of sources: revisions, diffs, revert."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("Not built yet.")


source_history = _not_yet
source_revision = _not_yet
source_revert = _not_yet
