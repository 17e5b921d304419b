"""The foundation's proof that tasks run in a real worker through real Redis, and the
outbox's promises end to end: nothing lost when the broker is down, nothing sent twice.
"""

from __future__ import annotations

import time
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client
from django.urls import reverse

from config.celery import ping
from notifications import services
from notifications.models import EmailDelivery
from notifications.services import notify, outbox_sweep
from notifications.tasks import deliver_email
from tests.factories import UserFactory
from tests.integration.brokers import celery_broker
from tests.integration.conftest import wait_until

# serialized_rollback: the flush after each test must not wipe what migrations
# created (Wagtail's root page and Site), or later tests on a reused database break.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ANNOUNCE = reverse("notifications:announcement")


@pytest.fixture
def mailbox(worker):
    worker.empty_mailbox()
    return worker


@pytest.fixture
def coordinator_client():
    coordinator = UserFactory(email="coordination@exemple.fr")
    coordinator.user_permissions.add(
        Permission.objects.get(codename="send_announcement")
    )
    client = Client()
    client.force_login(coordinator)
    return client


def _all_sent() -> bool:
    return not EmailDelivery.objects.exclude(status=EmailDelivery.Status.SENT).exists()


def test_a_task_round_trips_through_redis_and_a_worker_process(worker):
    assert ping.delay().get(timeout=30) == "pong", worker.log()


def test_a_notification_created_in_a_web_request_reaches_the_mailbox(
    mailbox, coordinator_client
):
    recipient = UserFactory(email="camille@exemple.fr")
    response = coordinator_client.post(
        ANNOUNCE,
        {"title": "Repair café samedi", "message": "Venez nombreux.", "step": "send"},
    )
    assert response.status_code == HTTPStatus.FOUND

    assert wait_until(_all_sent), mailbox.log()
    assert EmailDelivery.objects.count() == 2
    by_address = {message["To"]: message for message in mailbox.messages()}
    assert set(by_address) == {"camille@exemple.fr", "coordination@exemple.fr"}
    message = by_address["camille@exemple.fr"]
    assert message["Subject"] == "[PTCE] Repair café samedi"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/desabonnement/" in message["List-Unsubscribe"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Venez nombreux." in text and "Venez nombreux." in html
    delivery = EmailDelivery.objects.get(recipient=recipient)
    assert message["Message-ID"] == f"<delivery-{delivery.pk}@localhost>"
    assert delivery.attempts == 1


def test_nothing_is_lost_when_the_broker_is_down_at_commit_time(
    mailbox, coordinator_client
):
    UserFactory(email="dominique@exemple.fr")
    started = time.monotonic()
    with celery_broker("redis://127.0.0.1:1/0"):
        response = coordinator_client.post(
            ANNOUNCE,
            {"title": "Panne", "message": "Le broker est en panne.", "step": "send"},
        )
    # The request succeeds, quickly, and the e-mails wait in the outbox.
    assert response.status_code == HTTPStatus.FOUND
    assert time.monotonic() - started < 10
    assert EmailDelivery.objects.filter(status="pending").count() == 2
    time.sleep(1)
    assert mailbox.mailbox() == ""

    # The broker is back (the module's worker broker): the sweeper sends each once.
    assert outbox_sweep(stale_after=timedelta(0)) == 2
    assert wait_until(_all_sent), mailbox.log()
    assert outbox_sweep(stale_after=timedelta(0)) == 0
    assert ping.delay().get(timeout=30) == "pong"  # the queue is drained
    messages = mailbox.mailbox()
    for delivery in EmailDelivery.objects.all():
        assert messages.count(f"<delivery-{delivery.pk}@") == 1
        assert delivery.attempts == 1


def test_a_task_delivered_twice_sends_once(mailbox):
    delivery = EmailDelivery.objects.create(
        to_address="double@exemple.fr",
        kind="notifications.announcement",
        subject="Une seule fois",
        body_text="Texte",
    )
    deliver_email.delay(delivery.pk)
    deliver_email.delay(delivery.pk)
    # The worker takes one task at a time, in order: after this ping both ran.
    assert ping.delay().get(timeout=30) == "pong", mailbox.log()
    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
    assert delivery.attempts == 1
    assert mailbox.mailbox().count(f"<delivery-{delivery.pk}@") == 1


def test_hundreds_of_e_mails_drain_in_batches_each_sent_once(mailbox):
    users = UserFactory.create_batch(2 * services.DELIVERY_BATCH + 30)
    with transaction.atomic():
        notify(users, "notifications.announcement", {"title": "AG", "message": "Jeudi"})
    assert wait_until(_all_sent, timeout=60), mailbox.log()
    messages = mailbox.mailbox()
    deliveries = list(EmailDelivery.objects.all())
    assert len(deliveries) == len(users)
    for delivery in deliveries:
        assert messages.count(f"<delivery-{delivery.pk}@") == 1
        assert delivery.attempts == 1
    # The file backend writes one file per connection: one per batch task.
    assert len(list(mailbox.mail_dir.glob("*.log"))) == 3
