from __future__ import annotations

import logging
import smtplib
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection, connections
from django.utils import timezone

from notifications import services, tasks
from notifications.models import EmailDelivery
from notifications.tasks import deliver_email, sweep_outbox
from tests.factories import UserFactory
from tests.integration.brokers import celery_broker

pytestmark = pytest.mark.django_db


def _pending_delivery(**fields) -> EmailDelivery:
    return EmailDelivery.objects.create(
        **{
            "to_address": "dest@exemple.fr",
            "kind": "notifications.announcement",
            "subject": "Sujet",
            "body_text": "Texte",
            "body_html": "<p>Texte</p>",
            **fields,
        }
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


# --- batches ---------------------------------------------------------------------
class CountingBackend(locmem.EmailBackend):
    """The test outbox, counting the SMTP-like sessions opened."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return True


@pytest.fixture
def counting_backend(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened = 0
    return CountingBackend


def test_a_batch_is_claimed_in_one_statement_and_recorded_every_few_e_mails(
    counting_backend, django_assert_num_queries
):
    ids = [_pending_delivery(to_address=f"p{i}@exemple.fr").pk for i in range(30)]
    # The claim (UPDATE … RETURNING), then "sent" after 20 e-mails and for the last 10.
    assert services.RECORD_EVERY == 20
    with django_assert_num_queries(3):
        outcomes = services.deliveries_send(delivery_ids=ids)
    assert {outcome.status for outcome in outcomes.values()} == {"sent"}
    assert counting_backend.opened == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        f"p{i}@exemple.fr" for i in range(30)
    )
    rows = EmailDelivery.objects.all()
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}
    assert all(row.sent_at is not None for row in rows)


def test_a_batch_sends_only_the_rows_it_claims():
    pending = _pending_delivery()
    busy = _pending_delivery(
        status=EmailDelivery.Status.SENDING, claimed_at=timezone.now()
    )
    sent = _pending_delivery(status=EmailDelivery.Status.SENT)
    cancelled = _pending_delivery(status=EmailDelivery.Status.CANCELLED)
    ids = [pending.pk, busy.pk, sent.pk, cancelled.pk, 999_999]
    outcomes = services.deliveries_send(delivery_ids=ids)
    assert {pk: o.status for pk, o in outcomes.items()} == {
        pending.pk: "sent",
        busy.pk: "skipped",
        sent.pk: "skipped",
        cancelled.pk: "skipped",
        999_999: "skipped",
    }
    assert [message.extra_headers["Message-ID"] for message in mail.outbox] == [
        f"<delivery-{pending.pk}@localhost>"
    ]
    # Run again, as a redelivered task would: nothing more goes out.
    services.deliveries_send(delivery_ids=ids)
    assert len(mail.outbox) == 1


def test_a_failure_in_a_batch_is_retried_alone_on_a_fresh_connection(
    counting_backend,
):
    ids = [_pending_delivery(to_address=f"p{i}@exemple.fr").pk for i in range(3)]
    real_send = counting_backend.send_messages

    def refuse_second(self, messages):
        if messages[0].to == ["p1@exemple.fr"]:
            raise smtplib.SMTPRecipientsRefused({"p1@exemple.fr": (550, b"Inconnu")})
        return real_send(self, messages)

    with mock.patch.object(counting_backend, "send_messages", refuse_second):
        outcomes = services.deliveries_send(delivery_ids=ids)
    assert [outcomes[pk].status for pk in ids] == ["sent", "retry", "sent"]
    assert counting_backend.opened == 2  # reopened after the error
    statuses = dict(EmailDelivery.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in ids] == ["sent", "pending", "sent"]
    refused = EmailDelivery.objects.get(pk=ids[1])
    assert refused.attempts == 1
    assert "SMTPRecipientsRefused" in refused.last_error
    assert refused.next_attempt_at > timezone.now()
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@exemple.fr", "p2@exemple.fr"]


def test_a_batch_out_of_time_gives_the_rest_back_without_counting_an_attempt(
    monkeypatch,
):
    monkeypatch.setattr(services, "BATCH_SEND_SECONDS", -1)
    ids = [_pending_delivery(to_address=f"p{i}@exemple.fr").pk for i in range(3)]
    outcomes = services.deliveries_send(delivery_ids=ids)
    # The first goes out; the other two are released and re-enqueued at once (eager
    # here: each following task sends one and releases the rest again).
    assert outcomes[ids[0]].status == "sent"
    assert {outcomes[pk].status for pk in ids[1:]} == {"released"}
    rows = EmailDelivery.objects.all()
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}
    assert len(mail.outbox) == 3


def test_an_unexpected_error_mid_batch_records_what_went_out_and_keeps_the_rest(
    counting_backend,
):
    from celery.exceptions import SoftTimeLimitExceeded

    old = timezone.now() - timedelta(hours=1)
    ids = [
        _pending_delivery(to_address=f"p{i}@exemple.fr", created_at=old).pk
        for i in range(3)
    ]
    real_send = counting_backend.send_messages

    def time_out_on_second(self, messages):
        if messages[0].to == ["p1@exemple.fr"]:
            raise SoftTimeLimitExceeded()
        return real_send(self, messages)

    with (
        mock.patch.object(counting_backend, "send_messages", time_out_on_second),
        pytest.raises(SoftTimeLimitExceeded),
    ):
        services.deliveries_send(delivery_ids=ids)
    rows = {row.pk: row for row in EmailDelivery.objects.all()}
    assert (rows[ids[0]].status, rows[ids[0]].attempts) == ("sent", 1)
    # In flight when the time ran out: its fate is unknown, the lease decides.
    assert (rows[ids[1]].status, rows[ids[1]].attempts) == ("sending", 1)
    # Never tried: pending again, the attempt not counted, left to the sweeper.
    assert (rows[ids[2]].status, rows[ids[2]].attempts) == ("pending", 0)
    assert [m.to[0] for m in mail.outbox] == ["p0@exemple.fr"]
    assert services.outbox_sweep() == 1
    assert [m.to[0] for m in mail.outbox] == ["p0@exemple.fr", "p2@exemple.fr"]


def test_a_worker_killed_mid_batch_leaves_at_most_record_every_e_mails_to_resend(
    counting_backend,
):
    """A kill gives no chance to record anything: what is recorded before it bounds
    what the sweeper sends again."""
    ids = [_pending_delivery(to_address=f"p{i}@exemple.fr").pk for i in range(50)]
    real_send = counting_backend.send_messages
    seen = {}

    def look_at_the_47th(self, messages):
        if messages[0].to == ["p46@exemple.fr"]:  # 46 sent so far
            seen["sent"] = EmailDelivery.objects.filter(status="sent").count()
            seen["claimed"] = EmailDelivery.objects.filter(status="sending").count()
        return real_send(self, messages)

    with mock.patch.object(counting_backend, "send_messages", look_at_the_47th):
        services.deliveries_send(delivery_ids=ids)
    # Killed while sending the 47th, 40 would be recorded: 6 sent and unrecorded.
    assert seen == {"sent": 40, "claimed": 10}
    assert 46 - seen["sent"] <= services.RECORD_EVERY
    assert EmailDelivery.objects.filter(status="sent").count() == 50


def test_notify_enqueues_one_task_per_batch(monkeypatch, announce):
    monkeypatch.setattr(services, "DELIVERY_BATCH", 2)
    users = UserFactory.create_batch(5)
    with mock.patch.object(
        tasks.deliver_emails, "apply_async", wraps=tasks.deliver_emails.apply_async
    ) as apply_async:
        announce(users)
    assert [len(call.args[0][0]) for call in apply_async.call_args_list] == [2, 2, 1]
    assert len(mail.outbox) == 5
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_batches_over_the_same_rows_send_each_once():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent connections need PostgreSQL")
    ids = [_pending_delivery(to_address=f"p{i}@exemple.fr").pk for i in range(200)]
    barrier = threading.Barrier(4)
    results: list[dict] = []

    def worker():
        try:
            barrier.wait()
            results.append(services.deliveries_send(delivery_ids=ids))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    for pk in ids:
        assert sorted(r[pk].status for r in results) == ["sent"] + ["skipped"] * 3
    ids_sent = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids_sent) == len(set(ids_sent)) == 200
    assert set(EmailDelivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_mixed_batch_forgets_only_the_secret_bodies_in_the_same_statement(
    django_assert_num_queries,
):
    secret = _pending_delivery(kind="account", body_text="Clé : /reset/key/1-abc/")
    ordinary = _pending_delivery(body_text="Assemblée jeudi")
    with django_assert_num_queries(2):
        services.deliveries_send(delivery_ids=[secret.pk, ordinary.pk])
    assert any("reset/key/1-abc" in message.body for message in mail.outbox)
    secret.refresh_from_db()
    ordinary.refresh_from_db()
    assert (secret.status, secret.body_text, secret.body_html) == ("sent", "", "")
    assert (ordinary.status, ordinary.body_text) == ("sent", "Assemblée jeudi")
