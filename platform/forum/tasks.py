"""Celery tasks: they take ids, call a service, and own retries."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="forum.remind_moderators",
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
    ignore_result=True,
)
def remind_moderators() -> int:
    return services.reminders_send()
