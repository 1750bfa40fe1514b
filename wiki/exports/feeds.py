"""Atom feeds of published changes: the whole wiki (/feeds/changes.atom) and one page
(/<type>/<slug>/changes.atom).

Feeds are read by programs without a session, so they are the public's view for everyone: the
published revisions of things published now, as the home page's recent changes shows them to
the public — never an editor's name, an edit summary or a draft's title.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from wiki.selectors import recent_changes

# How many changes a feed holds: a feed reader polls, it does not page back.
FEED_LENGTH = 50
_ACTIONS = {"+": "Created", "~": "Edited", "-": "Deleted"}


class ChangesFeed(Feed):
    """The wiki's published changes, newest first."""

    feed_type = Atom1Feed
    title = "Attest: recent changes"
    subtitle = "Published changes to pages and sources."

    def link(self):
        return reverse("wiki:home")

    def get_object(self, request):
        # Each entry's id is an absolute URI: the address of the change on this site.
        return request.build_absolute_uri

    def items(self, absolute):
        changes = recent_changes(AnonymousUser(), limit=FEED_LENGTH)
        for change in changes:
            link = change.url or reverse("wiki:home")
            change.guid = absolute(f"{link}#change-{change.date.isoformat()}")
        return changes

    def item_title(self, change):
        return f"{change.action} {change.kind}: {change.title}"

    def item_description(self, change):
        return f"{change.action} the {change.kind} “{change.title}”."

    def item_link(self, change):
        return change.url or reverse("wiki:home")

    def item_guid(self, change):
        return change.guid

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.date

    def item_updateddate(self, change):
        return change.date


class PageChangesFeed(Feed):
    """One published page's published revisions, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, model, slug):
        entry = get_object_or_404(model.objects.published().only("title", "slug"), slug=slug)
        entry.absolute_url = request.build_absolute_uri(entry.get_absolute_url())
        return entry

    def title(self, entry):
        return f"Attest: changes to {entry.title}"

    def subtitle(self, entry):
        return f"Published revisions of the {entry.type_name} “{entry.title}”."

    def link(self, entry):
        return entry.get_absolute_url()

    def items(self, entry):
        # A revision saved while the page was a draft is not the public's to see.
        revisions = entry.history.filter(is_public=True).only(
            "history_id", "history_date", "history_type", "title", "id"
        )
        records = list(revisions.order_by("-history_date", "-history_id")[:FEED_LENGTH])
        for record in records:
            record.page_url = entry.get_absolute_url()
            record.guid = f"{entry.absolute_url}#revision-{record.history_id}"
        return records

    def item_title(self, record):
        return f"{_ACTIONS.get(record.history_type, 'Changed')}: {record.title}"

    def item_description(self, record):
        return f"A published revision of “{record.title}”."

    def item_link(self, record):
        return record.page_url

    def item_guid(self, record):
        return record.guid

    item_guid_is_permalink = False

    def item_pubdate(self, record):
        return record.history_date

    def item_updateddate(self, record):
        return record.history_date
