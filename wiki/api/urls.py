"""/api/: the read-only JSON API, its OpenAPI schema and its browsable docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from wiki.api import views

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("actors", views.ActorViewSet, basename="actor")
router.register("factions", views.FactionViewSet, basename="faction")
router.register("events", views.EventViewSet, basename="event")
router.register("sources", views.SourceViewSet, basename="source")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("relations/memberships", views.MembershipViewSet, basename="membership")
router.register(
    "relations/faction-relations", views.FactionRelationViewSet, basename="factionrelation"
)
router.register("relations/participations", views.ParticipationViewSet, basename="participation")
router.register("citations", views.CitationViewSet, basename="citation")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]

# DRF exempts its views from Django's CSRF middleware; the API only reads, and like every URL
# of the site it refuses a POST without the token before any view runs.
for pattern in router.urls + urlpatterns[:2]:
    pattern.callback.csrf_exempt = False
