"""URL map: the apps wire in here; see DESIGN.md for the stable URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sources.common.accounts import ThrottledPasswordResetView, password_reset_page

admin.site.site_header = "Attest curators"
admin.site.site_title = "Attest admin"

# django.contrib.auth.urls, with password reset behind its switch and its throttle.
accounts = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        password_reset_page(ThrottledPasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        password_reset_page(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        password_reset_page(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        password_reset_page(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts)),
    path("sources/", include("sources.urls")),
    path("api/", include("wiki.api.urls")),
    path("", include("wiki.urls")),
]

# MEDIA_ROOT is never served as it stands: it holds the sources' original files, which are for
# the team only, through /sources/<key>/original/ (sources.views.read.source_original).
