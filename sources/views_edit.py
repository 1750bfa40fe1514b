"""Creating and editing sources in the browser; citing a passage on a page."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("Not built yet.")


source_create = _not_yet
source_edit = _not_yet
source_cite_on = _not_yet
source_publish = _not_yet
