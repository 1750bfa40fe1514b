"""History of sources: revisions, diffs, revert. Team only, like the wiki's history."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from sources.common.history.revisions import tracked_fields
from sources.common.history.views import HistoryViews
from sources.models import Source
from sources.selectors import date_display
from sources.services import source_revert


def _source(request, key):
    return get_object_or_404(Source.objects.visible_to(request.user).defer("notes"), key=key)


class SourceHistory(HistoryViews):
    """The history pages of sources."""

    context_name = "source"
    text_field = "text"
    history_url_name = "sources:source-history"
    revision_url_name = "sources:source-revision"
    revert_url_name = "sources:source-revert"
    revision_template = "sources/source_revision.html"
    load = staticmethod(_source)

    def url_args(self, source):
        return [source.key]

    def fields(self, source):
        return tracked_fields(Source, exclude={"text", "tag_list"})

    def history_context(self, source):
        return {
            "kind_label": "Source",
            "kind_url": reverse("sources:source-list"),
            "current_label": "Current source",
            "changes_url": reverse("wiki:changes") + "?type=source",
            "changes_label": "Recent changes to sources",
            "text_label": "Text",
            "title_suffix": "Sources | ",
        }

    def revision_context(self, source, record):
        return {"published_display": date_display(record.published)}

    def revert_save(self, source, record, user, change_reason, base_revision=None):
        return source_revert(
            source=source,
            revision=record,
            user=user,
            change_reason=change_reason,
            base_revision=base_revision,
        )


source_history, source_revision, source_revert_view = SourceHistory().views()
