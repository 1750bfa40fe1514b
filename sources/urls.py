from django.urls import path

from . import views

app_name = "sources"
urlpatterns = [
    path("", views.source_list, name="source-list"),
    path("<str:key>/cite.bib", views.source_cite, {"fmt": "bib"}, name="source-cite-bib"),
    path("<str:key>/cite.ris", views.source_cite, {"fmt": "ris"}, name="source-cite-ris"),
    path("<str:key>/cite.json", views.source_cite, {"fmt": "json"}, name="source-cite-json"),
    path("<str:key>/", views.source_detail, name="source-detail"),
]
