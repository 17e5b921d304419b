"""Celery tasks: they take ids, call a service, and own retries."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    bind=True,
    name="notifications.deliver_email",
    acks_late=True,
    soft_time_limit=30,
    time_limit=60,
    max_retries=None,  # the row's attempts counter decides when to give up
    ignore_result=True,
)
def deliver_email(self, delivery_id: int) -> str:
    outcome = services.delivery_send(delivery_id=delivery_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        # The row is pending again with next_attempt_at: should this retry message be
        # lost, the sweeper picks the row up at the same time.
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(
    name="notifications.sweep_outbox",
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
    ignore_result=True,
)
def sweep_outbox() -> int:
    return services.outbox_sweep()


@shared_task(
    name="notifications.send_digests",
    acks_late=True,
    soft_time_limit=600,
    time_limit=900,
    ignore_result=True,
)
def send_digests() -> int:
    return services.digest_send_all()
