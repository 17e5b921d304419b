"""Celery tasks: they take ids, call a service, and own retries."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="notifications.deliver_emails",
    acks_late=True,
    # services.BATCH_SEND_SECONDS stops a batch well before these limits.
    soft_time_limit=90,
    time_limit=120,
    ignore_result=True,
)
def deliver_emails(self, delivery_ids: list[int]) -> dict[str, int]:
    outcomes = services.deliveries_send(delivery_ids=delivery_ids)
    retry = {pk: o.retry_in for pk, o in outcomes.items() if o.retry_in is not None}
    if retry and not self.request.is_eager:
        # The rows are pending again with next_attempt_at: should this message be
        # lost (broker down), the sweeper picks them up at the same time.
        try:
            deliver_emails.apply_async((list(retry),), countdown=max(retry.values()))
        except Exception as exc:  # kombu/redis raise many types for "broker down"
            logger.warning(
                "Retry of %d deliveries left to the sweeper: %s", len(retry), exc
            )
    counts: dict[str, int] = {}
    for outcome in outcomes.values():
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return counts


# One delivery per task: what the outbox enqueued before batches (messages may still
# be in a broker's queue after an upgrade); the same claim and send underneath.
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
