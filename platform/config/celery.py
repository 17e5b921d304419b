"""The Celery application: `celery -A config worker` / `celery -A config beat`.

The periodic schedule (outbox sweeper, daily digest, Wagtail scheduled publishing) is
CELERY_BEAT_SCHEDULE in settings; beat runs as its own process (`make beat`).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ptce")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.ping")
def ping() -> str:
    """Round trip used by the health check and the worker integration test."""
    return "pong"


@app.task(name="config.publish_scheduled", soft_time_limit=240, time_limit=300)
def publish_scheduled() -> None:
    """Wagtail's go-live and expiry dates, run by beat instead of a cron job."""
    from django.core.management import call_command

    call_command("publish_scheduled")
