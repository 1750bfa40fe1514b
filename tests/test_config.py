"""Settings come from the environment; production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    # A clean environment: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their process.
    dropped = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY"}
    dropped |= {"EMAIL_HOST", "EMAIL_BACKEND", "ATTEST_PASSWORD_RESET"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment |= env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deployment-check-0123456789",
    "ALLOWED_HOSTS": "attest.example.org",
}


def test_production_settings_pass_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_key_debug_off_refuses_to_start():
    production = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    for key in ({}, {"SECRET_KEY": "  "}):
        result = run_manage("check", **production, **key)
        assert result.returncode != 0
        assert "ImproperlyConfigured: SECRET_KEY is not set. With DEBUG off" in result.stderr


def test_with_debug_on_the_development_key_stands_in():
    code = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"
    result = run_manage("shell", "-c", code)
    assert result.stdout.strip().splitlines()[-1] == "True insecure-local-development-key"


def test_a_weak_secret_key_is_flagged_by_check_deploy():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION | {"SECRET_KEY": "short"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "False"),
        ({"EMAIL_HOST": "smtp.example.org"}, "True"),
        ({"EMAIL_HOST": "smtp.example.org", "ATTEST_PASSWORD_RESET": "0"}, "False"),
        ({"ATTEST_PASSWORD_RESET": "1"}, "False"),  # no way to send the mail
        (
            {
                "ATTEST_PASSWORD_RESET": "1",
                "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            },
            "True",
        ),
    ],
)
def test_password_reset_is_on_only_where_mail_can_be_sent(env, expected):
    code = "from django.conf import settings; print(settings.ATTEST_PASSWORD_RESET)"
    result = run_manage("shell", "-c", code, **env)
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "sqlite3"),
        ({"DATABASE_URL": "postgres://u:p@db.example.org:5432/attest"}, "postgresql"),
    ],
)
def test_database_url_selects_the_database(env, expected):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = run_manage("shell", "-c", code, **env)
    assert result.stdout.strip().endswith(expected), result.stderr


def test_behind_a_tls_proxy_the_forwarded_protocol_is_trusted():
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = run_manage("shell", "-c", code, SECURE_PROXY_SSL_HEADER="1", **PRODUCTION)
    assert "HTTP_X_FORWARDED_PROTO" in result.stdout, result.stderr
