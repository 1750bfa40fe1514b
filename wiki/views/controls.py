"""The team's controls on a page: edit, history, lock, publish, delete, add a relation."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from sources.common.permissions import can_curate, can_edit, is_team
from wiki.models import Actor, Event, Faction


@dataclass(frozen=True)
class EntryControls:
    """What includes/entry_actions.html offers one user on one page (all URLs prepared)."""

    entry: object
    can_change: bool  # False while the page is locked and the user is no curator
    is_curator: bool
    edit_url: str
    history_url: str
    lock_url: str
    publish_url: str
    delete_url: str
    add_links: list[tuple[str, str]] = field(default_factory=list)


# Which relations one adds from each kind of page: (label, relation kind, field it fills).
ADD_RELATIONS = {
    Actor: [("Add membership", "membership", "actor"), ("Add event", "participation", "actor")],
    Faction: [
        ("Add member", "membership", "faction"),
        ("Add relation to another faction", "factionrelation", "faction"),
        ("Add event", "participation", "faction"),
    ],
    Event: [("Add participant", "participation", "event")],
}


def entry_controls(user, entry) -> EntryControls | None:
    """The edit controls of an entry's page for this user; None outside the team. No query."""
    if not is_team(user):
        return None
    args = [entry.url_segment, entry.slug]
    here = entry.get_absolute_url()
    add_links = [
        (
            label,
            f"{reverse('wiki:relation-create', args=[kind])}?"
            + urlencode({end: entry.slug, "next": here}),
        )
        for label, kind, end in ADD_RELATIONS[type(entry)]
    ]
    return EntryControls(
        entry=entry,
        can_change=can_edit(user, entry),
        is_curator=can_curate(user, entry),
        edit_url=reverse("wiki:entry-edit", args=args),
        history_url=reverse("wiki:entry-history", args=args),
        lock_url=reverse("wiki:entry-lock", args=args),
        publish_url=reverse("wiki:entry-publish", args=args),
        delete_url=reverse("wiki:entry-delete", args=args),
        add_links=add_links if can_edit(user, entry) else [],
    )
