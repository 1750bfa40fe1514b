"""Attest settings: one module, configured from environment variables with safe local defaults."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Local use is the default: DEBUG on unless the environment says otherwise.
DEBUG = env_flag("DEBUG", default=True)
# Sessions, password reset links and CSRF tokens are signed with it: a production server that
# fell back on a key printed here would hand out forgeable ones, so it refuses to start.
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off Attest needs a long random SECRET_KEY in the "
            "environment, e.g. the output of: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'. (DEBUG=1 runs with a development key instead.)"
        )
    SECRET_KEY = "insecure-local-development-key"  # DEBUG only; check --deploy flags it
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "simple_history",
    "taggit",
    "csp",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "sources",
    "wiki",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sources.common.middleware.refuse_nul_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks every login against its record of failures before Django's own backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# manage.py benchmark_public serves its reference view from a URLconf of its own.
ROOT_URLCONF = "wiki.benchmarks.urls" if env_flag("ATTEST_BENCHMARK") else "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sources.common.context_processors.team",
            ],
        },
    },
]

# DATABASE_URL selects the database (postgres://user:pw@host/db uses psycopg 3); SQLite otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker (`make run` starts both) write to the one file: each
    # transaction takes the write lock as it begins and waits up to 20 s for it, rather than
    # failing when two transactions that have read both try to write; with WAL the pages read
    # while the worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered public pages (sources.common.public_cache), rate-limit counts, and with a shared cache
# the sessions. Per process by default, which needs no server. CACHE_BACKEND and CACHE_LOCATION
# choose a shared one for several web processes or machines: Django's own
# django.core.cache.backends.redis.RedisCache with redis://host:6379/0. Django's backend rather
# than django-redis because it needs nothing but redis-py and because a Redis that does not
# answer is an error, as a database that does not answer is: django-redis's option to ignore
# errors would let rate limits pass unchecked and a logout go unheard by the session cache.
# Pages are keyed by the state of the content in the database, never by time alone, so a shared
# cache holds no stale page after a change either.
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache")
CACHES = {
    "default": {
        "BACKEND": CACHE_BACKEND,
        "LOCATION": os.environ.get("CACHE_LOCATION", "attest"),
    }
}
if CACHE_BACKEND == "django.core.cache.backends.redis.RedisCache":
    # A Redis that stops answering must not hold a worker (redis-py waits forever by default).
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 5, "socket_timeout": 5}
# Sessions are read from a shared cache and written through to the database, so that a Redis
# restart logs nobody out. A per-process cache cannot hold them: a logout in one worker would
# leave the session alive in the others' caches, so locally they stay in the database alone.
CACHE_SHARED = CACHE_BACKEND not in {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_SHARED
    else "django.contrib.sessions.backends.db"
)

# Background work (sources.common.tasks): Django's tasks API through the django-tasks backport.
# TASK_BACKEND=database (the default) keeps tasks in the database, run by
# `manage.py db_worker`, which `make run` starts beside the web server: no extra service.
# TASK_BACKEND=rq puts them on Redis (REDIS_URL) for `manage.py rqworker` workers, the
# production choice. TASK_BACKEND=immediate runs them in the request (the test suite).
TASK_BACKEND = os.environ.get("TASK_BACKEND", "database")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASK_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASK_BACKEND must be one of {', '.join(TASK_BACKENDS)}.")
# The queues: "default" for indexing, "imports" for the fetches an editor waits for.
TASK_QUEUES = ["default", "imports"]
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASK_BACKEND], "QUEUES": TASK_QUEUES}}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {queue: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600} for queue in TASK_QUEUES}
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # the job class django-tasks-rq's tasks need
if TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password reset mails a link, so it is on only where mail can be sent: with EMAIL_HOST set, or
# with ATTEST_PASSWORD_RESET=1 and another EMAIL_BACKEND (e.g. the console one, to try it).
# Otherwise its pages are 404. Requests are throttled per address and per e-mail address.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
EMAIL_TIMEOUT = 10  # seconds: a mail server that does not answer must not hold a worker
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
ATTEST_PASSWORD_RESET = env_flag("ATTEST_PASSWORD_RESET", default=bool(EMAIL_HOST)) and bool(
    EMAIL_HOST or "EMAIL_BACKEND" in os.environ
)
ATTEST_PASSWORD_RESET_PER_HOUR = int(os.environ.get("ATTEST_PASSWORD_RESET_PER_HOUR", "5"))

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded originals (Source.original) and files waiting for their source (pending/). Never
# served by the web server or by Django as files: the team downloads an original through
# /sources/<key>/original/, which checks who asks.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# With STORAGE_BUCKET set they go to that S3-compatible bucket instead, which every web machine
# shares (django-storages); STORAGE_ENDPOINT_URL names a server other than Amazon's (MinIO,
# Ceph, Garage, ...). Credentials default to the machine's own (AWS_* variables, an instance
# role) when STORAGE_ACCESS_KEY is unset.
STORAGE_BUCKET = os.environ.get("STORAGE_BUCKET", "").strip()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if STORAGE_BUCKET:
    s3_options = {
        "bucket_name": STORAGE_BUCKET,
        # No ACL of their own: objects are as private as the bucket, readable only with its
        # keys. Never public-read; a signed URL, were one made, expires within the hour.
        "default_acl": None,
        "querystring_auth": True,
        # Two uploads of "report.pdf" are two originals: the second gets a name of its own, as
        # on the local disk, instead of replacing the first.
        "file_overwrite": False,
        # An original read back for a download waits in memory up to 2.5 MB (as an upload
        # does), on disk beyond.
        "max_memory_size": 2_621_440,
    }
    if os.environ.get("STORAGE_ENDPOINT_URL"):
        s3_options["endpoint_url"] = os.environ["STORAGE_ENDPOINT_URL"]
        # The bucket in the path, which every S3-compatible server understands; a bucket in the
        # host name needs a DNS name for each bucket.
        s3_options["addressing_style"] = "path"
    if os.environ.get("STORAGE_REGION"):
        s3_options["region_name"] = os.environ["STORAGE_REGION"]
    if os.environ.get("STORAGE_ACCESS_KEY"):
        s3_options["access_key"] = os.environ["STORAGE_ACCESS_KEY"]
        s3_options["secret_key"] = os.environ.get("STORAGE_SECRET_KEY", "")
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options}

TAGGIT_CASE_INSENSITIVE = True

# Request bodies are bounded here, not only by a proxy in front. Uploaded documents are at most
# ATTEST_MAX_UPLOAD_BYTES; the form fields of one request at most DATA_UPLOAD_MAX_MEMORY_SIZE,
# twice that, because a source's edit form posts its whole text back (a page body is at most
# 100,000 characters). A larger request is a 400 before its body is read: Django refuses the
# fields, sources.importing.uploads the files (a request longer than both together).
ATTEST_MAX_UPLOAD_BYTES = int(os.environ.get("ATTEST_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * ATTEST_MAX_UPLOAD_BYTES
# Importing from a URL refuses hosts on loopback, private, link-local and reserved addresses
# (the server's own network); 1 allows them: tests, or an archive on an intranet.
ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS = env_flag("ATTEST_IMPORT_ALLOW_PRIVATE_HOSTS")
# Uploads up to this size stay in memory; larger ones are spooled to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB, Django's default
FILE_UPLOAD_HANDLERS = [
    "sources.importing.uploads.RequestSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# No form has more than a few dozen fields; the admin's bulk actions post one per row.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# History tables get an (object id, date) index so that one page's history stays fast.
SIMPLE_HISTORY_DATE_INDEX = "composite"
SIMPLE_HISTORY_REVERT_DISABLED = False

# Production hardening. Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER=1 so
# Django trusts X-Forwarded-Proto; set SECURE_SSL_REDIRECT=0 if the proxy already redirects.
if env_flag("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_flag("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content Security Policy (django-csp): scripts and styles only from our own static files, so
# that nothing a user types can run even if it slipped past escaping and sanitising.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # One style attribute is allowed, by its hash: django-simple-history's admin history
        # list has <p class="paginator" style="border-top: 0">. No other inline style.
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The read-only JSON API (wiki.api, /api/): JSON only, the team by session or token
# (Authorization: Token …; manage.py drf_create_token USERNAME), anonymous clients throttled
# at ATTEST_API_ANON_RATE in the site's cache. The docs' scripts are served from our own static
# files (drf-spectacular-sidecar), so the Content Security Policy stays as it is.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("ATTEST_API_ANON_RATE", "120/minute")},
    # Whose address a client is: the proxies' X-Forwarded-For only behind the proxies we run
    # (as for login throttling), else the connection's, so that a made-up header evades nothing.
    "NUM_PROXIES": (
        int(os.environ.get("AXES_PROXY_COUNT", "1")) if env_flag("SECURE_PROXY_SSL_HEADER") else 0
    ),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Attest API",
    "DESCRIPTION": "Read-only: every statement with the passages it came from, as W3C Web "
    "Annotation selectors. The public sees what the site shows it; the team everything.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EventKind": "wiki.models.Event.Kind",
        "SourceKind": "sources.models.Source.Kind",
    },
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from
# one address, further attempts are refused for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a proxy every request comes from the proxy's address: read the client's from the
# X-Forwarded-For header the proxy sets (AXES_PROXY_COUNT proxies in front, 1 by default).
if env_flag("SECURE_PROXY_SSL_HEADER"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "1"))
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
