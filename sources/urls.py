from django.urls import path

from . import views

app_name = "sources"
urlpatterns = [
    path("", views.source_list, name="source-list"),
    path("<str:key>/", views.source_detail, name="source-detail"),
]
