"""Login throttling (django-axes) and the cookies that carry a session in production.

After AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
refused, even with the right password, until the cool-off has passed; the site's login form
and the admin's behave alike.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.urls import reverse

from tests.factories import curator
from tests.test_config import PRODUCTION, run_manage

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGINS = ["login", "admin:login"]
HOME = "10.0.0.1"


@pytest.fixture
def alice():
    # Staff, so that the admin's login form lets her in too.
    return curator(username="alice")


def attempt(client, login, password, *, username="alice", address=HOME):
    return client.post(
        reverse(login), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_locked(client, login):
    """Wrong passwords up to the limit; the last one already answers with the lock."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, login, "wrong")
        assert response.status_code == 200  # the form again, with its error
    return attempt(client, login, "wrong")


@pytest.mark.parametrize("login", LOGINS)
def test_after_the_limit_even_the_right_password_is_refused(client, alice, login):
    assert fail_until_locked(client, login).status_code == 429
    response = attempt(client, login, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    text = " ".join(response.content.decode().split())
    assert "Too many failed logins" in text
    limit = settings.AXES_FAILURE_LIMIT
    assert f"Logging in as “alice” from your address failed {limit} times" in text
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assert f"Try again in {minutes} minutes" in text


def test_the_locked_out_page_counts_a_single_minute_in_the_singular(client, alice, settings):
    settings.AXES_COOLOFF_TIME = 1 / 60
    fail_until_locked(client, "login")
    assert "Try again in 1 minute;" in attempt(client, "login", PASSWORD).content.decode()


def test_a_successful_login_before_the_limit_resets_the_count(client, alice):
    for _ in range(2):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            attempt(client, "login", "wrong")
        assert attempt(client, "login", PASSWORD).status_code == 302
        assert logged_in(client)
        client.logout()


def test_the_lock_holds_one_username_from_one_address_only(client, alice):
    curator(username="bob")
    fail_until_locked(client, "login")
    assert attempt(client, "login", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert attempt(client, "login", PASSWORD, username="bob").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, alice):
    fail_until_locked(client, "login")
    assert attempt(client, "login", PASSWORD).status_code == 429
    # Travel past the cool-off: the failures now lie further back than it reaches.
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    for record in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=record.pk).update(
            attempt_time=record.attempt_time - cool_off - timedelta(seconds=1)
        )
    assert attempt(client, "login", PASSWORD).status_code == 302


def test_an_administrator_can_lift_the_lock_at_once(client, alice):
    fail_until_locked(client, "login")
    reset(username="alice")  # what the admin's "delete access attempt" and axes_reset do
    assert attempt(client, "login", PASSWORD).status_code == 302


def test_a_curator_unlocks_an_account_by_deleting_its_attempts_in_the_admin(client, alice):
    fail_until_locked(client, "login")
    unlocker = curator(username="unlocker")
    admin = type(client)()
    admin.force_login(unlocker)
    locked = AccessAttempt.objects.get(username="alice")
    delete_url = reverse("admin:axes_accessattempt_delete", args=[locked.pk])
    assert admin.get(delete_url).status_code == 200
    assert admin.post(delete_url, {"post": "yes"}).status_code == 302
    assert attempt(client, "login", PASSWORD).status_code == 302


def test_production_session_and_csrf_cookies_are_secure():
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
        "SESSION_COOKIE_AGE",
    ]
    code = f"from django.conf import settings; print(*(getattr(settings, n) for n in {names}))"
    result = run_manage("shell", "-c", code, **PRODUCTION)
    last_line = result.stdout.strip().splitlines()[-1]  # after the shell's own notice
    secure, http_only, same_site, csrf_secure, csrf_same_site, age = last_line.split()
    assert (secure, http_only, csrf_secure) == ("True", "True", "True"), result.stderr
    assert same_site in ("Lax", "Strict") and csrf_same_site in ("Lax", "Strict")
    assert int(age) <= 14 * 24 * 3600  # a stolen session ends within two weeks at most


def test_behind_a_proxy_throttling_reads_the_forwarded_client_address():
    code = (
        "from django.conf import settings; "
        "print(settings.AXES_IPWARE_PROXY_COUNT, *settings.AXES_IPWARE_META_PRECEDENCE_ORDER)"
    )
    result = run_manage("shell", "-c", code, SECURE_PROXY_SSL_HEADER="1", **PRODUCTION)
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line == "1 HTTP_X_FORWARDED_FOR REMOTE_ADDR", result.stderr
