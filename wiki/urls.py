from django.urls import path, register_converter

from wiki.exports import views as exports
from wiki.models import ENTRY_MODEL_BY_SEGMENT
from wiki.views import curation, disputes, edit, history, pages, relations, search
from wiki.views.graph import entry_graph_view, export_gexf, export_graphml, graph_view
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
    path("graph/", graph_view, name="graph"),
    path("export/graph.gexf", export_gexf, name="export-gexf"),
    path("export/graph.graphml", export_graphml, name="export-graphml"),
    path("disputes/", disputes.dispute_list, name="disputes"),
    # Exports and feeds (wiki.exports): the reader's view of the wiki as files.
    path("export/", exports.export_index, name="exports"),
    path("export/wiki.jsonld", exports.export_jsonld, name="export-jsonld"),
    path("export/<str:table>.csv", exports.export_csv, name="export-csv"),
    path("feeds/changes.atom", exports.changes_feed, name="changes-feed"),
    path("sitemap.xml", exports.sitemap, name="sitemap"),
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
    path("<entrytype:model>/<slug:slug>/graph/", entry_graph_view, name="entry-graph"),
    *[
        path(
            f"<entrytype:model>/<slug:slug>/cite.{fmt}",
            exports.entry_bibliography,
            {"fmt": fmt},
            name=f"entry-cite-{fmt}",
        )
        for fmt in ("bib", "ris", "json")
    ],
    path(
        "<entrytype:model>/<slug:slug>/changes.atom",
        exports.page_changes_feed,
        name="entry-changes-feed",
    ),
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
