from django.urls import path, register_converter

from wiki.views import edit as views_edit
from wiki.views import history as views_history
from wiki.views import pages as views
from wiki.views import search as views_search
from wiki.views import suggest as views_suggest


class EntryTypeConverter:
    """Matches the three page types: actors, factions, events."""

    regex = "actors|factions|events"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(EntryTypeConverter, "entrytype")

app_name = "wiki"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.page_new, name="page-new"),
    path("search/", views_search.search, name="search"),
    path("search/suggest/", views_suggest.search_suggest, name="search-suggest"),
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    path("changes/", views_history.recent_changes, name="changes"),
    path("users/<str:username>/", views_history.user_contributions, name="user-contributions"),
    # Relations are edited from the pages they join; <kind> is membership, factionrelation
    # or participation.
    path("relations/<str:kind>/new/", views_edit.relation_create, name="relation-create"),
    path("relations/<str:kind>/<int:pk>/edit/", views_edit.relation_edit, name="relation-edit"),
    path(
        "relations/<str:kind>/<int:pk>/delete/",
        views_edit.relation_delete,
        name="relation-delete",
    ),
    path("<entrytype:segment>/", views.entry_list, name="entry-list"),
    path("<entrytype:segment>/new/", views_edit.entry_create, name="entry-create"),
    path("<entrytype:segment>/<slug:slug>/", views.entry_detail, name="entry-detail"),
    path("<entrytype:segment>/<slug:slug>/edit/", views_edit.entry_edit, name="entry-edit"),
    path("<entrytype:segment>/<slug:slug>/lock/", views_edit.entry_lock, name="entry-lock"),
    path(
        "<entrytype:segment>/<slug:slug>/publish/", views_edit.entry_publish, name="entry-publish"
    ),
    path("<entrytype:segment>/<slug:slug>/delete/", views_edit.entry_delete, name="entry-delete"),
    path(
        "<entrytype:segment>/<slug:slug>/history/",
        views_history.entry_history,
        name="entry-history",
    ),
    path(
        "<entrytype:segment>/<slug:slug>/history/<int:rev>/",
        views_history.entry_revision,
        name="entry-revision",
    ),
    path(
        "<entrytype:segment>/<slug:slug>/revert/<int:rev>/",
        views_history.entry_revert,
        name="entry-revert",
    ),
]
