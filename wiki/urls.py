from django.urls import path, register_converter

from . import views


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
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    path("<entrytype:segment>/", views.entry_list, name="entry-list"),
    path("<entrytype:segment>/<slug:slug>/", views.entry_detail, name="entry-detail"),
]
