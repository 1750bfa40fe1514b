from django.urls import path

from sources.views import edit, history, read

app_name = "sources"
urlpatterns = [
    path("", read.source_list, name="source-list"),
    path("new/", edit.source_create, name="source-create"),
    path("new/fetching/<str:ticket>/", edit.source_fetch, name="source-fetch"),
    path("<str:key>/cite.bib", read.source_cite, {"fmt": "bib"}, name="source-cite-bib"),
    path("<str:key>/cite.ris", read.source_cite, {"fmt": "ris"}, name="source-cite-ris"),
    path("<str:key>/cite.json", read.source_cite, {"fmt": "json"}, name="source-cite-json"),
    path("<str:key>/", read.source_detail, name="source-detail"),
    path("<str:key>/edit/", edit.source_edit, name="source-edit"),
    path("<str:key>/original/", read.source_original, name="source-original"),
    path("<str:key>/cite/", edit.source_cite_on, name="source-cite-on"),
    path("<str:key>/publish/", edit.source_publish, name="source-publish"),
    path("<str:key>/delete/", edit.source_delete, name="source-delete"),
    path("<str:key>/passages/<int:pk>/grade/", edit.passage_grade, name="passage-grade"),
    path("<str:key>/history/", history.source_history, name="source-history"),
    path("<str:key>/history/<int:rev>/", history.source_revision, name="source-revision"),
    path("<str:key>/revert/<int:rev>/", history.source_revert_view, name="source-revert"),
]
