"""The benchmark ceiling: the least a Django project can do per request.

No database, no session, no middleware beyond what serving needs. Served exactly like
the platform (gunicorn, 3 sync workers, DEBUG off) so that a page's req/s divided by
this project's req/s, measured in the same run, is comparable across machines. See
bench/README.md.
"""

from __future__ import annotations

from pathlib import Path

DEBUG = False
SECRET_KEY = (
    "benchmark-ceiling-only-never-deployed-0123456789abcdefghijklmnopqrstuvwxyz"
)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"
INSTALLED_APPS: list[str] = []
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
DATABASES: dict = {}
USE_I18N = False
USE_TZ = True
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        # The platform runs with the cached loader when DEBUG is off; so does this.
        "OPTIONS": {},
    }
]
