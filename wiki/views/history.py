"""History of pages: revisions, diffs, revert; recent changes and contributions.

All of it is for the team: history names editors and shows unpublished work, so the public gets
404, as for any unpublished thing (revert sends a logged-out visitor to the login page).
"""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from sources.common.history.views import HistoryViews
from sources.common.permissions import for_team, guard
from wiki.changes import FEED_KINDS, feed_page
from wiki.revisions import entry_fields, page_revert, revision_body
from wiki.views import loading


class EntryHistory(HistoryViews):
    """The history pages of actors, factions and events."""

    context_name = "entry"
    text_field = "body"
    history_url_name = "wiki:entry-history"
    revision_url_name = "wiki:entry-revision"
    revert_url_name = "wiki:entry-revert"
    revision_template = "wiki/entry_revision.html"
    load = staticmethod(loading.entry_record)

    def url_args(self, entry):
        return [entry.url_segment, entry.slug]

    def fields(self, entry):
        return entry_fields(type(entry))

    def context(self, entry):
        return super().context(entry) | {"segment": entry.url_segment}

    def history_context(self, entry):
        return {
            "kind_label": entry.type_name.capitalize(),
            "kind_url": reverse("wiki:entry-list", args=[entry.url_segment]),
            "current_label": "Current page",
            "changes_url": reverse("wiki:changes"),
            "changes_label": "Recent changes",
            "text_label": "Body",
            "title_suffix": "",
        }

    def revision_context(self, entry, record):
        return {"facts": record.instance.facts(), "body": revision_body(record)}

    def revert_save(self, entry, record, user, change_reason, base_revision=None):
        return page_revert(
            page=entry,
            revision=record,
            user=user,
            change_reason=change_reason,
            base_revision=base_revision,
        )


# An old slug still finds the page: a GET is sent on to its address, a revert is processed.
entry_history, entry_revision, entry_revert = map(loading.follows_renames, EntryHistory().views())


def _page_range(page):
    return page.paginator.get_elided_page_range(page.number, on_each_side=2)


def _feed_context(request, *, user_id=None):
    kind = request.GET.get("type", "")
    kind = kind if kind in FEED_KINDS else ""
    page = feed_page(number=request.GET.get("page"), kind=kind, user_id=user_id)
    return {
        "page_obj": page,
        "page_range": _page_range(page),
        "kind": kind,
        "kinds": list(FEED_KINDS),
    }


@guard(for_team, hidden=True)
def recent_changes(request):
    """Every revision of pages, sources and relations, newest first; ?type= and ?user= filter."""
    username = request.GET.get("user", "").strip()
    user_id = None
    if username:
        person = get_user_model().objects.filter(username=username).only("pk").first()
        user_id = person.pk if person else 0  # nobody: an empty list, not every change
    context = _feed_context(request, user_id=user_id) | {"username": username}
    return render(request, "wiki/changes.html", context)


@guard(for_team, hidden=True)
def user_contributions(request, username):
    """Everything one person changed, newest first; 404 for an unknown username."""
    person = get_object_or_404(get_user_model(), username=username)
    context = _feed_context(request, user_id=person.pk) | {"person": person}
    return render(request, "wiki/user_contributions.html", context)
