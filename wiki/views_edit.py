"""Editing pages and relations in the browser."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("Not built yet.")


entry_create = _not_yet
entry_edit = _not_yet
entry_lock = _not_yet
entry_publish = _not_yet
entry_delete = _not_yet
relation_create = _not_yet
relation_edit = _not_yet
relation_delete = _not_yet
