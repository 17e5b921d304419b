"""Periodic pooling jobs (Celery beat): they call services, which are idempotent."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="pooling.expire_requests",
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
    ignore_result=True,
)
def expire_requests() -> int:
    """Undecided requests expire before their start; each requester is told."""
    return services.bookings_expire()


@shared_task(
    name="pooling.send_reminders",
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
    ignore_result=True,
)
def send_reminders() -> int:
    """The day-before reminder, once per booking."""
    return services.booking_reminders_send()
