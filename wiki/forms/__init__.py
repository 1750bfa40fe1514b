"""Forms for editing pages and relations in the browser.

Fields are named after the model fields (title, body, tags, …); the edit summary is
`change_reason` and the revision an edit started from is `base_revision`. The forms validate;
the views save through page_save and relation_save, and add_service_error() puts whatever
those still refuse next to the field it concerns.

pages.py holds the forms of actors, factions and events and the lock and delete forms;
relations.py the forms of memberships, faction relations and participations; fields.py what
both share.
"""

from wiki.forms.pages import ENTRY_FORMS, DeleteForm, EntryForm, LockForm, body_with
from wiki.forms.relations import RELATION_FORMS, RelationForm

__all__ = [
    "ENTRY_FORMS",
    "RELATION_FORMS",
    "DeleteForm",
    "EntryForm",
    "LockForm",
    "RelationForm",
    "body_with",
]
