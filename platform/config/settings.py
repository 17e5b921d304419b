"""Settings for the PTCE platform, read from the environment in this one place.

Defaults give a zero-setup development site (SQLite under var/, eager tasks, console
e-mail). Production sets DEBUG=off and must then provide SECRET_KEY explicitly.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# In production a missing SECRET_KEY must stop the process, not fall back to a default.
SECRET_KEY = (
    env.str("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
    if DEBUG
    else env.str("SECRET_KEY")
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in e-mails. In development it follows the address `make run` serves on
# (`make run PORT=8101` sets HOST and PORT); production sets SITE_URL explicitly.
DEV_ADDRESS = f"{env.str('HOST', default='127.0.0.1')}:{env.int('PORT', default=8000)}"
SITE_URL = env.str("SITE_URL", default=f"http://{DEV_ADDRESS}").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
SITE_ID = 1

INSTALLED_APPS = [
    # The platform's apps come first: for a msgid that Django, Wagtail or allauth also
    # translate, the first app's catalogue wins, and our wording must be the one shown.
    "members",
    "notifications",
    "home",
    "news",
    "forum",
    "ptce",
    "resources",
    "pooling",
    "pooling.ledger",
    "pooling.calendars",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    # Tasks
    "django_celery_beat",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Visitors' pages from the cache: before the session, CSRF and auth it skips.
    "ptce.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, the session's user read with the page's cached values (ptce.auth).
    "ptce.auth.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: its 400 page is drawn in the site's layout.
    "ptce.middleware.RefuseNulBytesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "ptce.context_processors.identity",
                "ptce.context_processors.content_version",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ptce.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue on the database lock at BEGIN instead of failing half-way: SQLite's
    # way of serialising the writes that PostgreSQL guards with constraints and locks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's, with a health check that looks at the connection's socket
        # before it sends `SELECT 1` (ptce/backends/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "ptce.backends.postgresql"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker, tasks ---------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="ptce")
if REDIS_URL:
    # django-redis; a Redis outage degrades to "no cache" (see ptce/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "ptce.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": env.float("CACHE_CONNECT_TIMEOUT", 0.5),
                "SOCKET_TIMEOUT": env.float("CACHE_TIMEOUT", 0.5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
# Without a broker, tasks run in-process so `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 120
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A commit must not hang the web request when Redis is down: fail fast, the outbox
# sweeper re-sends what could not be enqueued.
# socket_*timeout: a Redis that accepts connections but never answers would otherwise
# hold the request until the kernel gives up (measured: close to a minute).
# visibility_timeout: longer than the longest retry countdown (notifications backoff
# tops at 75 minutes), so Redis does not redeliver a waiting retry early.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": 2 * 60 * 60,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# With acks_late a task whose connection dropped is redelivered: cancel the first copy
# (tasks are idempotent anyway; this also silences Celery's start-up warning).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Celery's Django fixup otherwise closes the database connection before and after every
# task: a new PostgreSQL connection per e-mail (bench: 24 → 66 e-mails/s per worker).
CELERY_DB_REUSE_MAX = 200
CELERY_TIMEZONE = "Europe/Paris"
# Periodic jobs: declared here, synced into django-celery-beat's tables when beat
# starts (DatabaseScheduler), where the admin can pause or re-time them.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep-outbox": {
        "task": "notifications.sweep_outbox",
        "schedule": 5 * 60,
    },
    "notifications-daily-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=7, minute=0),  # CELERY_TIMEZONE: Paris time
    },
    "forum-remind-moderators": {
        "task": "forum.remind_moderators",
        "schedule": crontab(minute=15),  # hourly: posts waiting for more than 24 h
    },
    "wagtail-publish-scheduled": {
        "task": "config.publish_scheduled",
        "schedule": 60,
    },
    "pooling-expire-requests": {
        "task": "pooling.expire_requests",
        "schedule": 10 * 60,
    },
    "pooling-send-reminders": {
        "task": "pooling.send_reminders",
        "schedule": 30 * 60,
    },
}

# --- Authentication -----------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
# Django's and allauth's backends, the session's user row read through the cache
# (ptce.auth).
AUTHENTICATION_BACKENDS = [
    "ptce.auth.CachedModelBackend",
    "ptce.auth.CachedAllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Adds first and last name to allauth's signup form.
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
# An address of another account is refused (allauth would keep it unverified here).
ACCOUNT_FORMS = {"add_email": "members.account_forms.AddEmailForm"}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]

# --- Static and media ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Uploaded files (logos, Wagtail images and documents) are served by Django itself when
# no proxy or object storage serves MEDIA_URL: fine for one PTCE's traffic.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
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
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- E-mail -------------------------------------------------------------------------
# Without EMAIL_URL: the console in development, files under var/mail otherwise (the
# path is set below, since django-environ reads filemail:///abs as a relative path).
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "filemail://"
)
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG.get("EMAIL_BACKEND", "").endswith("filebased.EmailBackend"):
    EMAIL_FILE_PATH = EMAIL_CONFIG.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
# An SMTP server that stops answering must not hold a delivery batch until the task's
# time limit: each socket operation gives up after this many seconds.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PTCE <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail ------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env.str("WAGTAIL_SITE_NAME", default="PTCE")
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # PostgreSQL: French stemming after unaccent (home migration 0006), so that
        # "velo" finds "vélo" as SQLite's FTS5 tokenizer does by default.
        "SEARCH_CONFIG": (
            "french"
            if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
            else "french_unaccent"
        ),
    }
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Nothing is fetched from third parties at run time (and no e-mail hash leaks out):
# the admin shows initials instead of Gravatar images.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # accounts are managed by allauth
WAGTAIL_PASSWORD_RESET_ENABLED = False

# --- Security -----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Sessions read from the cache, written through to the database: no session query
# per signed-in request, and nothing lost when Redis is down or flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False
# Wagtail's live preview renders the page in a same-origin iframe: DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [
    "security.W019",
    # Booking indexes carry covering columns (INCLUDE) for PostgreSQL's index-only
    # scans of the upcoming lists; SQLite, the zero-setup default, ignores them.
    "models.W040",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): the public site loads only its own scripts,
# styles, images and fonts, never inline code. The Wagtail admin (/cms/) and Django's
# admin run inline scripts and styles of their own: they are left out of the enforced
# policy and get the same one report-only, so the browser console shows what breaks.
CSP_STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    # Wagtail's live preview shows pages in a same-origin iframe (X_FRAME_OPTIONS).
    "frame-ancestors": ["'self'"],
}
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/cms/", "/django-admin/"],
    "DIRECTIVES": CSP_STRICT,
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CSP_STRICT}
# Reverse proxies in front of the site that append to X-Forwarded-For: the rate
# limits by address read the client's address through them (ptce.addresses). 0: none.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
if not DEBUG:
    LANGUAGE_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail's background tasks log every run at INFO: too chatty for operators.
        "django_tasks": {"level": "WARNING"},
    },
}
