"""The URL map of `manage.py benchmark_public`: every normal URL, plus a bare reference view.

Selected only by ATTEST_BENCHMARK=1, which the benchmark sets for the server it starts, so the
reference view is never reachable in normal running.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

BARE_PATH = "__benchmark__/bare/"


def bare(request, size):
    """`size` bytes of HTML and nothing else: the fastest a Django view can answer here."""
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


urlpatterns = [
    path(f"{BARE_PATH}<int:size>/", bare, name="benchmark-bare"),
    *site_urlpatterns,
]
