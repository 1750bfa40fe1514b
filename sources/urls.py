from django.urls import path

from sources.views import edit as views_edit
from sources.views import history as views_history
from sources.views import read as views

app_name = "sources"
urlpatterns = [
    path("", views.source_list, name="source-list"),
    path("new/", views_edit.source_create, name="source-create"),
    path("<str:key>/cite.bib", views.source_cite, {"fmt": "bib"}, name="source-cite-bib"),
    path("<str:key>/cite.ris", views.source_cite, {"fmt": "ris"}, name="source-cite-ris"),
    path("<str:key>/cite.json", views.source_cite, {"fmt": "json"}, name="source-cite-json"),
    path("<str:key>/", views.source_detail, name="source-detail"),
    path("<str:key>/edit/", views_edit.source_edit, name="source-edit"),
    path("<str:key>/cite/", views_edit.source_cite_on, name="source-cite-on"),
    path("<str:key>/publish/", views_edit.source_publish, name="source-publish"),
    path("<str:key>/history/", views_history.source_history, name="source-history"),
    path("<str:key>/history/<int:rev>/", views_history.source_revision, name="source-revision"),
    path("<str:key>/revert/<int:rev>/", views_history.source_revert_view, name="source-revert"),
]
