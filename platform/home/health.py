"""Health checks for load balancers and monitoring: each returns "ok", "error" or
"disabled", never an exception message (the endpoint is public)."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    return "ok" if row and row[0] == 1 else "error"


def check_cache() -> str:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        return "ok" if cache.get(key) == "1" else "error"
    finally:
        cache.delete(key)


def broker_configured() -> bool:
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    # "memory://" is the in-process transport used when tasks run eagerly.
    return bool(url) and not url.startswith("memory://")


def check_broker() -> str:
    if not broker_configured():
        return "disabled"
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    return "ok"


def run_checks() -> tuple[bool, dict[str, str]]:
    # Looked up at call time so each check can be replaced in tests.
    checks = {"database": check_database, "cache": check_cache, "broker": check_broker}
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception:  # any failure is reported as "error", details go to the log
            logger.exception("Health check %s failed", name)
            results[name] = "error"
    healthy = all(value in ("ok", "disabled") for value in results.values())
    return healthy, results
