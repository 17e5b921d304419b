"""A bare Wagtail site: the floor a Wagtail page can't go below, served like ours.

What `wagtail start` generates, trimmed to one page type: Wagtail's routing and page
serving, Django's standard middleware (session, CSRF, auth, messages), a template with
the page's title, rich-text body and the signed-in person's name. Same database engine,
same Redis cache and cached_db sessions as the platform. bench/pages.py --floor serves
it with gunicorn (3 sync workers, DEBUG off) in the same run as the platform's pages, so
a platform page's cost can be read against Wagtail's own. See bench/README.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent
DEBUG = False
SECRET_KEY = os.environ.get(
    "FLOOR_SECRET_KEY", "benchmark-floor-only-never-deployed-0123456789"
)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"
INSTALLED_APPS = [
    "floorpages",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

DATABASES = {"default": env.db_url("FLOOR_DATABASE_URL")}
# Persistent connections, as the platform (CONN_MAX_AGE 60 s by default).
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "wagtail-floor",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
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
            ]
        },
    }
]
LANGUAGE_CODE = "fr"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"
STATIC_URL = "/static/"
WAGTAIL_SITE_NAME = "Plancher Wagtail"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
