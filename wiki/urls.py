from django.urls import path, register_converter

from wiki.models import ENTRY_MODEL_BY_SEGMENT
from wiki.views import curation, disputes, edit, history, pages, relations, search
from wiki.views.timeline import timeline_view


class EntryTypeConverter:
    """/actors/, /factions/, /events/: the view gets the model; reverse() takes either."""

    regex = "actors|factions|events"

    def to_python(self, value):
        return ENTRY_MODEL_BY_SEGMENT[value]

    def to_url(self, value):
        return value if isinstance(value, str) else value.url_segment


register_converter(EntryTypeConverter, "entrytype")

app_name = "wiki"
urlpatterns = [
    path("", pages.home, name="home"),
    path("new/", pages.page_new, name="page-new"),
    path("search/", search.search, name="search"),
    path("search/suggest/", search.search_suggest, name="search-suggest"),
    path("tags/<str:slug>/", pages.tag_detail, name="tag-detail"),
    path("changes/", history.recent_changes, name="changes"),
    path("users/<str:username>/", history.user_contributions, name="user-contributions"),
    path("timeline/", timeline_view, name="timeline"),
    path("disputes/", disputes.dispute_list, name="disputes"),
    path("disputes/rank/<int:pk>/", disputes.claim_rank, name="claim-rank"),
    # Relations are edited from the pages they join; <kind> is membership, factionrelation
    # or participation.
    path("relations/<str:kind>/new/", relations.relation_create, name="relation-create"),
    path("relations/<str:kind>/<int:pk>/edit/", relations.relation_edit, name="relation-edit"),
    path(
        "relations/<str:kind>/<int:pk>/delete/", relations.relation_delete, name="relation-delete"
    ),
    path("<entrytype:model>/", pages.entry_list, name="entry-list"),
    path("<entrytype:model>/new/", edit.entry_create, name="entry-create"),
    path("<entrytype:model>/<slug:slug>/", pages.entry_detail, name="entry-detail"),
    path("<entrytype:model>/<slug:slug>/edit/", edit.entry_edit, name="entry-edit"),
    path("<entrytype:model>/<slug:slug>/lock/", curation.entry_lock, name="entry-lock"),
    path("<entrytype:model>/<slug:slug>/publish/", curation.entry_publish, name="entry-publish"),
    path("<entrytype:model>/<slug:slug>/delete/", curation.entry_delete, name="entry-delete"),
    path("<entrytype:model>/<slug:slug>/history/", history.entry_history, name="entry-history"),
    path(
        "<entrytype:model>/<slug:slug>/history/<int:rev>/",
        history.entry_revision,
        name="entry-revision",
    ),
    path(
        "<entrytype:model>/<slug:slug>/revert/<int:rev>/",
        history.entry_revert,
        name="entry-revert",
    ),
]
