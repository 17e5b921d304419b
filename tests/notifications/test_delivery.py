from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.models import EmailDelivery
from notifications.tasks import deliver_email, sweep_outbox
from tests.factories import UserFactory
from tests.integration.brokers import celery_broker

pytestmark = pytest.mark.django_db


def _pending_delivery(**fields) -> EmailDelivery:
    return EmailDelivery.objects.create(
        to_address="dest@exemple.fr",
        kind="notifications.announcement",
        subject="Sujet",
        body_text="Texte",
        body_html="<p>Texte</p>",
        **fields,
    )


def test_a_delivery_task_run_twice_sends_once():
    delivery = _pending_delivery()
    assert deliver_email.apply(args=[delivery.pk]).get() == "sent"
    assert deliver_email.apply(args=[delivery.pk]).get() == "skipped"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at is not None


def test_a_delivery_claimed_by_another_worker_is_not_sent():
    delivery = _pending_delivery(
        status=EmailDelivery.Status.SENDING, claimed_at=timezone.now()
    )
    assert services.delivery_send(delivery_id=delivery.pk).status == "skipped"
    assert mail.outbox == []


def test_smtp_errors_are_retried_with_backoff_then_marked_failed():
    delivery = _pending_delivery()
    error = smtplib.SMTPServerDisconnected("Connexion perdue")
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=error):
        outcome = services.delivery_send(delivery_id=delivery.pk)
        assert outcome.status == "retry"
        assert 60 <= outcome.retry_in <= 75
        delivery.refresh_from_db()
        assert delivery.status == EmailDelivery.Status.PENDING
        assert delivery.attempts == 1
        assert "Connexion perdue" in delivery.last_error
        assert delivery.next_attempt_at > timezone.now()
        # The sweeper respects the backoff…
        assert services.outbox_sweep(stale_after=timedelta(0)) == 0
        # …and the task gives up after the last attempt.
        for _attempt in range(services.MAX_ATTEMPTS - 1):
            services.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert mail.outbox == []


def test_backoff_grows_exponentially_and_is_capped():
    assert 60 <= services.retry_delay(1) <= 75
    assert 240 <= services.retry_delay(3) <= 300
    assert 3600 <= services.retry_delay(20) <= 4500


def test_sweeper_requeues_forgotten_deliveries_and_dead_claims():
    old = timezone.now() - timedelta(hours=1)
    forgotten = _pending_delivery(created_at=old)
    fresh = _pending_delivery()  # probably still in the broker's queue
    dead = _pending_delivery(
        created_at=old,
        status=EmailDelivery.Status.SENDING,
        claimed_at=old,
        attempts=1,
    )
    busy = _pending_delivery(
        created_at=old, status=EmailDelivery.Status.SENDING, claimed_at=timezone.now()
    )
    sent = _pending_delivery(created_at=old, status=EmailDelivery.Status.SENT)

    assert sweep_outbox.apply().get() == 2

    statuses = dict(EmailDelivery.objects.values_list("pk", "status"))
    assert statuses[forgotten.pk] == statuses[dead.pk] == EmailDelivery.Status.SENT
    assert statuses[fresh.pk] == EmailDelivery.Status.PENDING
    assert statuses[busy.pk] == EmailDelivery.Status.SENDING
    assert statuses[sent.pk] == EmailDelivery.Status.SENT
    assert len(mail.outbox) == 2


def test_a_delivery_whose_worker_dies_at_every_attempt_is_given_up():
    old = timezone.now() - timedelta(hours=1)
    doomed = _pending_delivery(
        created_at=old,
        status=EmailDelivery.Status.SENDING,
        claimed_at=old,
        attempts=services.MAX_ATTEMPTS,
    )
    assert sweep_outbox.apply().get() == 0
    doomed.refresh_from_db()
    assert doomed.status == EmailDelivery.Status.FAILED
    assert mail.outbox == []


def test_an_unreachable_broker_leaves_deliveries_pending_without_raising(
    django_capture_on_commit_callbacks, caplog
):
    users = UserFactory.create_batch(3)
    with celery_broker("redis://127.0.0.1:1/0"), caplog.at_level(logging.WARNING):
        with django_capture_on_commit_callbacks(execute=True):
            services.notify(
                users, "notifications.announcement", {"title": "T", "message": "M"}
            )
    assert "3 e-mail deliveries left pending" in caplog.text
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"pending"}
    assert mail.outbox == []
    # Once the broker is back, the sweeper sends them.
    assert services.outbox_sweep(stale_after=timedelta(0)) == 3
    assert len(mail.outbox) == 3
