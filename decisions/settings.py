"""Settings for Prompt or Model?, read from the environment with defaults that run locally."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import bootstrap_wrapper
import dj_database_url
from django.utils.csp import CSP

from decisions.lib.database import postgres_options
from decisions.lib.environment import env_bool, env_int, env_list
from decisions.lib.queues import TASK_QUEUES

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG", False)
# The fallback key only exists so a fresh clone runs; a server with DEBUG=false refuses to
# start with it (decisions/lib/startup.py).
DEVELOPMENT_SECRET_KEY = "insecure-local-development-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "decisions.accounts",
    "decisions.projects",
    "decisions.evidence",
    "decisions.flowchart",
    "decisions.wizard",
    "decisions.records",
    "decisions.reports",
    "decisions.overview",
    "decisions.api",
    # Commands only (bench, load_demo): nothing under decisions/ imports it.
    "devtools",
    # The API's docs page: Swagger UI served from our static files, not a CDN.
    "ninja",
]

MIDDLEWARE = [
    # First: its time covers every other middleware and the view.
    "decisions.lib.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "decisions.accounts.middleware.SessionTimeoutMiddleware",
    "decisions.lib.htmx.HtmxLoginRedirectMiddleware",
    # Last: it answers a locked-out log-in attempt with the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed log-ins (the site's and /admin/'s) and refuses them while locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords lock that account, and separately that address, for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "decisions.lib.clients.client_ip"
AXES_VERBOSE = False

# Behind reverse proxies: how many of them set X-Forwarded-For (see decisions/lib/clients.py).
# 0 trusts no header: every visitor's address is REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

ROOT_URLCONF = "decisions.urls"
WSGI_APPLICATION = "decisions.wsgi.application"

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
                "decisions.projects.context_processors.navigation",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL points at PostgreSQL for several app servers.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        # Only for persistent connections (CONN_MAX_AGE > 0 with DATABASE_POOL=false): a
        # connection the database dropped is replaced before the request uses it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = postgres_options(DATABASES["default"]["CONN_MAX_AGE"])
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers wait instead of failing
        # halfway with "database is locked"; WAL lets readers go on while one writes.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# Every script and style is a file we serve, so the policy needs no 'unsafe-inline' or
# 'unsafe-eval': htmx injects no styles (the htmx-config meta tag in base.html) and no page
# uses hx-on attributes.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Background work runs in `manage.py db_worker`, which `make run` starts beside the web server;
# the queue is a table in the same database, so several app servers and workers share it.
# Two queues: "default" (PDF renders, large imports) and "notifications" (e-mails, webhooks),
# each with a worker of its own (Procfile), so a slow PDF render never holds up an e-mail.
# Tests switch to the immediate backend (tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(TASK_QUEUES)}}
# Email (invitations) is sent by background tasks. Without EMAIL_HOST it is printed on the
# worker's console, which is what development wants; with it, it goes out over SMTP.
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
        if os.environ.get("EMAIL_HOST")
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Prompt or Model? <noreply@localhost>")

# Where people reach this site: every link in an e-mail or a webhook starts with it (requests
# are not asked, so a spoofed Host header cannot plant a link). Production sets its https
# address; the deployment checks warn otherwise (decisions/lib/checks.py).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")

# Outgoing webhooks never reach a private, loopback, link-local or otherwise internal address
# unless this is on (decisions/lib/outbound.py): a team owner must not be able to make the
# server call into its own network. Only for a receiver on the same private network.
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)
# One webhook attempt waits at most this long for the receiver, and reads at most this much.
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_MAX_RESPONSE_BYTES = 64 * 1024
# A sent e-mail's row (records.Notification) is deleted once it is older than this many days:
# each e-mail sent prunes the old ones, as each webhook delivery prunes its target's log.
NOTIFICATIONS_KEEP_DAYS = env_int("NOTIFICATIONS_KEEP_DAYS", 90, minimum=1)

# /healthz reports the task queue as stalled when a task has waited longer than this.
HEALTH_TASK_WAIT_SECONDS = env_int("HEALTH_TASK_WAIT_SECONDS", 600)

# A PDF render that runs longer is stopped and recorded as failed.
PDF_RENDER_SECONDS = float(os.environ.get("PDF_RENDER_SECONDS", "60"))

# Importing failed examples: the largest file and the most rows one import takes, and up to how
# many rows it runs inside the request (more go to the task worker, with a progress bar).
# Imports stream (evidence/imports/run.py): 100,000 rows of a 50 MB file keep the worker under
# 300 MB (`make bench`); LangSmith and Braintrust datasets of 20,000+ rows are common.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50_000_000, minimum=1)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000, minimum=1)
IMPORT_INLINE_ROWS = env_int("IMPORT_INLINE_ROWS", 300)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200, minimum=1)
# A worker renews its hold on an import while it checks rows; one that has not for this long
# has stopped, and the import is marked failed so it can be run again.
IMPORT_LEASE_SECONDS = env_int("IMPORT_LEASE_SECONDS", 60, minimum=1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview:projects"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap's official dist files, from the bootstrap-wrapper wheel.
    ("bootstrap", bootstrap_wrapper.get_bootstrap_dir()),
]


def static_storage() -> str:
    """Production runs collectstatic and sets STATIC_MANIFEST=true: hashed names, which
    WhiteNoise serves with a year's caching, and gzip and brotli copies. `make run` adds
    STATIC_COMPRESS=false: compressing every file took 2½ minutes of each start on a shared
    2-core machine (3 s without), and a browser on the same machine gains nothing from it."""
    if not env_bool("STATIC_MANIFEST", False):
        return "django.contrib.staticfiles.storage.StaticFilesStorage"
    if env_bool("STATIC_COMPRESS", True):
        return "whitenoise.storage.CompressedManifestStaticFilesStorage"
    return "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": static_storage()},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SESSION_COOKIE_HTTPONLY = True
# Pages carry the CSRF token (hx-headers on <body>, hidden inputs): no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
# A session ends 24 hours after its last request, and 14 days after its login whatever the
# activity (decisions/accounts/middleware.py).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 24 * 3600)
SESSION_COOKIE_AGE = env_int("SESSION_MAX_AGE_SECONDS", 14 * 24 * 3600)
# Behind HTTPS set SECURE_COOKIES=true. The default lets `make run` (DEBUG off, as in
# production) log in over plain http://127.0.0.1: a browser never sends a Secure cookie there.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# X-Forwarded-Proto says a request came over HTTPS only when a proxy we trust set it; without
# one, any client could send it and pass as secure.
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_share_tokens": {"()": "decisions.lib.logs.RedactShareTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_share_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {
        # Django's defaults give these handlers of their own, which would skip the filter.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Our request line (decisions.requests) replaces runserver's; its errors still show.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "decisions.requests": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes notes every successful log-in at INFO; lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
}
