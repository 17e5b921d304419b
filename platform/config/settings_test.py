"""Test settings: the real settings plus shortcuts that production never needs."""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
# Each test run gets its own cache namespace on a shared Redis.
os.environ.setdefault("CACHE_KEY_PREFIX", f"ptce-test-{os.getpid()}")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run in-process unless a test starts a real worker (tests/integration).
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# WhiteNoise warns at start-up when STATIC_ROOT is missing; tests never collect static.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
