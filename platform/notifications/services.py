"""The one way the platform tells people things: notify() and the e-mail outbox.

notify() writes in-site notifications and e-mail deliveries in the caller's transaction;
deliveries are handed to Celery after commit. A delivery is claimed atomically before
sending, so it is sent at most once however many times its task runs; the sweeper
re-enqueues what a broker outage or a crashed worker left behind.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.utils import timezone, translation

from ptce.identity import absolute_url, get_identity
from ptce.services import audit_record

from .cached import forget
from .kinds import (
    ACCOUNT,
    ANNOUNCEMENT,
    DIGEST,
    EmailChoice,
    Kind,
    get_kind,
    secret_kinds,
)
from .models import Announcement, DigestItem, EmailDelivery, Notification, Preference
from .permissions import can_resend_delivery, can_send_announcement
from .rendering import (
    KindTemplates,
    email_site,
    preferences_url,
    sender_address,
    unsubscribe_url,
)

# What is kept per person (the bell's count, the centre's count and first page) and
# forgotten by every write below: notifications.cached.
logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# Deliveries per task: one claim, one SMTP connection and one "sent" write each.
DELIVERY_BATCH = 100
# A batch stops starting new e-mails after this long and gives the rest back, well
# within the task's soft time limit (a slow SMTP server must not kill the task
# half-way, leaving claims to the lease).
BATCH_SEND_SECONDS = 30
# What went out is recorded every RECORD_EVERY e-mails of a batch: a worker killed
# outright (no chance to record) leaves at most this many sent e-mails that the lease
# and the sweeper will send again.
RECORD_EVERY = 20
MAX_ATTEMPTS = 5
# Longer than the task's hard time limit: a claim older than this is a dead worker.
CLAIM_LEASE = timedelta(minutes=10)
# Younger pending rows are probably still in the broker's queue.
SWEEP_STALE_AFTER = timedelta(minutes=5)
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# A failed or cancelled e-mail that carries a key keeps its body this long, for the
# admin's "resend"; by then its key has expired (invitations: 14 days).
SECRET_BODY_RETENTION = timedelta(days=14)


# --- notify ------------------------------------------------------------------------
def notify(
    recipients: Iterable[Any],
    kind: str,
    context: dict[str, Any] | None = None,
    target: Any = None,
) -> list[Notification]:
    """Tell `recipients` about `target`: in the site always, by e-mail as each chose.

    Call inside the transaction that makes the event true: if it rolls back, nobody
    is told. Queries: a constant handful per call, one per 1,000 rows written.
    """
    kind_obj = get_kind(kind)
    users = _unique_active(recipients)
    if not users:
        return []
    choices = _email_choices(kind_obj, [user.pk for user in users])
    path = _target_path(target)
    target_type, target_id = _target_key(target)
    base_context = {
        **(context or {}),
        "target": target,
        "target_url": absolute_url(path),
        **_email_context(kind_obj),
    }
    now = timezone.now()
    notifications: list[Notification] = []
    deliveries: list[EmailDelivery] = []
    digest: list[tuple[Notification, str]] = []
    with translation.override(settings.LANGUAGE_CODE):
        templates = KindTemplates(kind_obj.template_prefix, inapp=True)
        for user in users:
            user_context = _recipient_context(base_context, kind_obj, user)
            notification = Notification(
                recipient=user,
                kind=kind,
                text=templates.render_inapp(user_context)[:500],
                target_content_type=target_type,
                target_object_id=target_id,
                url=path,
                created_at=now,
            )
            notifications.append(notification)
            choice = choices[user.pk] if user.email else EmailChoice.NEVER
            if choice == EmailChoice.IMMEDIATE:
                deliveries.append(
                    _delivery(user, kind_obj, templates, user_context, now)
                )
            elif choice == EmailChoice.DAILY:
                digest.append((notification, templates.render_subject(user_context)))
    with transaction.atomic():
        # The manager's bulk_create forgets the recipients' kept values (cached).
        Notification.objects.bulk_create(notifications, batch_size=BATCH_SIZE)
        EmailDelivery.objects.bulk_create(deliveries, batch_size=BATCH_SIZE)
        DigestItem.objects.bulk_create(
            [
                DigestItem(
                    recipient_id=n.recipient_id,
                    notification=n,
                    subject=subject[:255],
                    created_at=now,
                )
                for n, subject in digest
            ],
            batch_size=BATCH_SIZE,
        )
        enqueue_on_commit([delivery.pk for delivery in deliveries])
    return notifications


def _unique_active(recipients: Iterable[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for user in recipients:
        if user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _email_choices(kind: Kind, user_ids: list[int]) -> dict[int, str]:
    if not kind.user_configurable:
        return dict.fromkeys(user_ids, kind.default_email)
    chosen: dict[int, str] = {}
    # One query per batch: IN lists stay within every database's parameter limits.
    for start in range(0, len(user_ids), BATCH_SIZE):
        batch = user_ids[start : start + BATCH_SIZE]
        chosen.update(
            Preference.objects.filter(user_id__in=batch, kind=kind.key).values_list(
                "user_id", "email"
            )
        )
    return {pk: chosen.get(pk, kind.default_email) for pk in user_ids}


def _target_path(target: Any) -> str:
    get_url = getattr(target, "get_absolute_url", None)
    if get_url is None:
        get_url = getattr(target, "get_url", None)  # Wagtail pages
    return (get_url() or "") if get_url else ""


def _target_key(target: Any) -> tuple[ContentType | None, str]:
    if target is None or getattr(target, "pk", None) is None:
        return None, ""
    return ContentType.objects.get_for_model(target), str(target.pk)


def _email_context(kind: Kind) -> dict[str, Any]:
    """What every e-mail's layout and footer read, whichever path queued it.

    `current_site` is what allauth's templates read ("Hello from …", "Thank you for
    using …"): the PTCE's name and SITE_URL's domain, not the Sites framework's
    "example.com".
    """
    site = get_identity()
    return {
        "site": site,
        "current_site": email_site(site),
        "sender": sender_address(site),
        "kind": kind,
        "preferences_url": preferences_url(),
    }


def _recipient_context(base: dict, kind: Kind, user: Any) -> dict[str, Any]:
    context = {**base, "recipient": user}
    if kind.user_configurable:
        context["unsubscribe_url"] = unsubscribe_url(
            unsubscribe_token(user_id=user.pk, kind=kind.key)
        )
    return context


def _outbox_row(
    *, user, to: str, kind: str, parts, sender: str, headers=None, **fields
) -> EmailDelivery:
    """An unsaved outbox row holding an e-mail already rendered into `parts`."""
    # The From header names the PTCE ("PTCE Rives Solidaires <no-reply@…>"); the
    # envelope sender stays DEFAULT_FROM_EMAIL.
    return EmailDelivery(
        headers={"From": sender, **(headers or {})},
        recipient=user,
        to_address=to,
        kind=kind,
        subject=parts.subject[:255],  # the column's length; subjects are one line
        body_text=parts.text,
        body_html=parts.html,
        **fields,
    )


def _delivery(user, kind: Kind, templates: KindTemplates, context, now):
    parts = templates.render_email(context)
    headers = {}
    if context.get("unsubscribe_url"):
        # RFC 8058 one-click unsubscribe, honoured by the major mail providers.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return _outbox_row(
        user=user,
        to=user.email,
        kind=kind.key,
        parts=parts,
        sender=context["sender"],
        headers=headers,
        created_at=now,
    )


# --- e-mail to a bare address ------------------------------------------------------
@transaction.atomic
def email_enqueue(
    *, to: str, template_prefix: str, context: dict, kind: str = ACCOUNT
) -> EmailDelivery:
    """Queue one e-mail to an address (account e-mails, invitations) in the outbox."""
    kind_obj = get_kind(kind)
    user = context.get("user")
    shared = _email_context(kind_obj)
    with translation.override(settings.LANGUAGE_CODE):
        templates = KindTemplates(template_prefix)
        parts = templates.render_email({**context, **shared})
    delivery = _outbox_row(
        user=user if getattr(user, "pk", None) else None,
        to=to,
        kind=kind_obj.key,
        parts=parts,
        sender=shared["sender"],
    )
    delivery.save()
    enqueue_on_commit([delivery.pk])
    return delivery


# --- enqueueing ----------------------------------------------------------------------
def enqueue_on_commit(delivery_ids: list[int]) -> None:
    if delivery_ids:
        # robust: an enqueue failure after commit must never break the caller.
        transaction.on_commit(partial(enqueue_deliveries, delivery_ids), robust=True)


def _batches(delivery_ids: list[int]) -> list[list[int]]:
    return [
        list(delivery_ids[start : start + DELIVERY_BATCH])
        for start in range(0, len(delivery_ids), DELIVERY_BATCH)
    ]


def enqueue_deliveries(delivery_ids: list[int]) -> int:
    """Hand deliveries to the broker, a task per batch; returns how many were enqueued.

    When the broker is unreachable, stop at the first failure (the next would wait
    for the same timeout) and leave the rest pending: the sweeper sends them later.
    """
    from .tasks import deliver_emails

    app = deliver_emails.app
    if app.conf.task_always_eager:
        for batch in _batches(delivery_ids):
            deliver_emails.apply_async((batch,))
        return len(delivery_ids)
    done = 0
    try:
        # One producer (one connection) for all the batches.
        with app.producer_or_acquire() as producer:
            for batch in _batches(delivery_ids):
                deliver_emails.apply_async((batch,), producer=producer, retry=False)
                done += len(batch)
    except Exception as exc:  # kombu/redis raise many types for "broker down"
        logger.warning(
            "Broker unreachable, %d e-mail deliveries left pending for the sweeper: %s",
            len(delivery_ids) - done,
            exc,
        )
    return done


# --- sending -----------------------------------------------------------------------
@dataclass(frozen=True)
class SendOutcome:
    status: str  # "sent", "skipped", "retry", "failed", "released"
    retry_in: int | None = None


SKIPPED = SendOutcome("skipped")
SENT = SendOutcome("sent")
# Claimed but not tried (the batch ran out of time): pending again, re-enqueued.
RELEASED = SendOutcome("released")


def delivery_send(*, delivery_id: int) -> SendOutcome:
    """Send one delivery at most once: only the caller that claims the row sends."""
    return deliveries_send(delivery_ids=[delivery_id])[delivery_id]


def deliveries_send(*, delivery_ids: list[int]) -> dict[int, SendOutcome]:
    """Send a batch, each delivery at most once, through one SMTP connection.

    One statement claims the batch and one records each RECORD_EVERY e-mails sent,
    so the drain does not pay two commits per e-mail. A delivery another run claimed
    is skipped. Should the process be killed half-way, the claims not yet recorded
    (at most RECORD_EVERY sent ones, and the one in flight) wait for the lease to
    expire and the sweeper (the stable Message-ID lets mail clients drop those rare
    duplicates).
    """
    outcomes = dict.fromkeys(delivery_ids, SKIPPED)
    claimed = _deliveries_claim(delivery_ids)
    if not claimed:
        return outcomes
    deadline = time.monotonic() + BATCH_SEND_SECONDS
    sent: list[EmailDelivery] = []
    unrecorded: list[EmailDelivery] = []
    failed: list[tuple[EmailDelivery, OSError]] = []
    untried = list(claimed)
    try:
        connection = _open_connection()
        while untried:
            delivery = untried.pop(0)
            try:
                _message(delivery, connection).send()
            except OSError as exc:  # smtplib.SMTPException and socket errors
                failed.append((delivery, exc))
                _reconnect(connection)
            else:
                sent.append(delivery)
                unrecorded.append(delivery)
                if len(unrecorded) >= RECORD_EVERY:
                    deliveries_mark_sent(deliveries=unrecorded)
                    unrecorded = []
            if time.monotonic() > deadline:  # checked after a send: always progress
                break
        _close(connection)
    except BaseException:
        # An unexpected error (a time limit, a bug): what went out is recorded and the
        # untried rows wait for the sweeper; the row in flight keeps its claim until
        # the lease ends (the sweeper gives up on it after MAX_ATTEMPTS).
        deliveries_mark_sent(deliveries=unrecorded)
        _deliveries_release(untried, enqueue=False)
        raise
    deliveries_mark_sent(deliveries=unrecorded)
    _deliveries_release(untried, enqueue=True)  # out of time: another task goes on
    outcomes.update(dict.fromkeys((d.pk for d in sent), SENT))
    for delivery, exc in failed:
        outcomes[delivery.pk] = _delivery_record_failure(delivery, exc)
    outcomes.update(dict.fromkeys((d.pk for d in untried), RELEASED))
    return outcomes


def _deliveries_claim(delivery_ids: list[int]) -> list[EmailDelivery]:
    """Claim the pending ones among `delivery_ids` in one conditional UPDATE.

    Of two concurrent runs, exactly one gets each row: the row is locked and its
    status checked (PostgreSQL), or the database is locked for the statement (SQLite).
    RETURNING gives the rows back, so claiming n rows is one statement and one commit.
    """
    if not delivery_ids:
        return []
    meta = EmailDelivery._meta
    quote = db_connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
    placeholders = ", ".join(["%s"] * len(delivery_ids))
    claimed_at = meta.get_field("claimed_at").get_db_prep_value(
        timezone.now(), db_connection
    )
    table, pk, status = quote(meta.db_table), quote("id"), quote("status")
    where = f"{pk} IN ({placeholders}) AND {status} = %s"
    if db_connection.vendor == "postgresql":
        # Lock in id order and skip rows another claim holds (it takes them): two
        # overlapping batches neither wait for each other nor deadlock.
        where = (
            f"{pk} IN (SELECT {pk} FROM {table} WHERE {where} "
            f"ORDER BY {pk} FOR UPDATE SKIP LOCKED)"
        )
    sql = (
        f"UPDATE {table} SET {status} = %s, {quote('claimed_at')} = %s, "
        f"{quote('attempts')} = {quote('attempts')} + 1 "
        f"WHERE {where} RETURNING {columns}"
    )
    params = [
        EmailDelivery.Status.SENDING,
        claimed_at,
        *delivery_ids,
        EmailDelivery.Status.PENDING,
    ]
    # raw() applies the fields' converters (dates on SQLite, the JSON headers).
    return sorted(EmailDelivery.objects.raw(sql, params), key=lambda d: d.pk)


def deliveries_mark_sent(*, deliveries: list[EmailDelivery]) -> None:
    """Record that these deliveries went out: the one place a delivery becomes sent.

    One UPDATE for the batch, which also blanks the bodies of the secret ones.
    """
    if not deliveries:
        return
    fields: dict[str, Any] = {}
    secret = [d.pk for d in deliveries if sent_body_fields(d.kind)]
    if secret:
        fields = {
            name: Case(
                When(pk__in=secret, then=Value("")),
                default=F(name),
                output_field=TextField(),
            )
            for name in ("body_text", "body_html")
        }
    EmailDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        status=EmailDelivery.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
        **fields,
    )


def sent_body_fields(kind: str) -> dict[str, str]:
    """What to write over a sent e-mail's body: nothing, or blanks for a secret kind.

    Merged into the UPDATE that marks deliveries sent, so forgetting a password-reset
    or invitation link costs no extra query.
    """
    try:
        secret = get_kind(kind).secret
    except LookupError:
        secret = False
    return {"body_text": "", "body_html": ""} if secret else {}


def secret_bodies_forget(*, now=None) -> int:
    """Blank the bodies of secret e-mails that no longer need them; returns how many.

    Sent ones (should the sending path have missed them), and failed or cancelled ones
    past SECRET_BODY_RETENTION. Run by the sweeper.
    """
    now = now or timezone.now()
    done = Q(status=EmailDelivery.Status.SENT) | Q(
        status__in=[EmailDelivery.Status.FAILED, EmailDelivery.Status.CANCELLED],
        created_at__lt=now - SECRET_BODY_RETENTION,
    )
    return (
        EmailDelivery.objects.filter(done, kind__in=secret_kinds())
        .exclude(body_text="", body_html="")
        .update(body_text="", body_html="")
    )


def _deliveries_release(deliveries: list[EmailDelivery], *, enqueue: bool) -> None:
    """Give back claims that were never tried (the attempt is not counted)."""
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        EmailDelivery.objects.filter(
            pk__in=ids, status=EmailDelivery.Status.SENDING
        ).update(
            status=EmailDelivery.Status.PENDING,
            claimed_at=None,
            attempts=F("attempts") - 1,
        )
        if enqueue:
            enqueue_deliveries(ids)


def _open_connection():
    connection = get_connection()
    try:
        connection.open()
    except OSError:
        # Each send tries again and records its own failure (and backoff).
        pass
    return connection


def _close(connection) -> None:
    try:
        connection.close()
    except OSError:
        pass


def _reconnect(connection) -> None:
    # After an error the SMTP session may be unusable: start a fresh one.
    _close(connection)
    try:
        connection.open()
    except OSError:
        pass


def _message(delivery: EmailDelivery, connection=None) -> EmailMultiAlternatives:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    headers = {
        **delivery.headers,
        # Stable per delivery: should a crash make us send twice, clients dedupe.
        "Message-ID": f"<delivery-{delivery.pk}@{domain}>",
    }
    message = EmailMultiAlternatives(
        subject=delivery.subject,
        body=delivery.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.to_address],
        headers=headers,
        connection=connection,
    )
    if delivery.body_html:
        message.attach_alternative(delivery.body_html, "text/html")
    return message


def retry_delay(attempts: int) -> int:
    """Exponential backoff with jitter: about 1, 2, 4, 8 minutes…, at most an hour."""
    base = min(60 * 2 ** max(attempts - 1, 0), 3600)
    return base + random.randint(0, base // 4)  # noqa: S311 — not security related


def _delivery_record_failure(delivery: EmailDelivery, exc: Exception) -> SendOutcome:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if delivery.attempts >= MAX_ATTEMPTS:
        EmailDelivery.objects.filter(pk=delivery.pk).update(
            status=EmailDelivery.Status.FAILED, last_error=error
        )
        logger.error("E-mail delivery %s failed for good: %s", delivery.pk, error)
        return SendOutcome("failed")
    delay = retry_delay(delivery.attempts)
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=EmailDelivery.Status.PENDING,
        last_error=error,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    return SendOutcome("retry", retry_in=delay)


def outbox_sweep(*, stale_after: timedelta = SWEEP_STALE_AFTER) -> int:
    """Re-enqueue pending deliveries the broker never got; free dead workers' claims."""
    now = timezone.now()
    expired = EmailDelivery.objects.filter(
        status=EmailDelivery.Status.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )
    # A delivery that kills or times out its worker at every attempt never reaches
    # _delivery_record_failure: give up on it here, or it is revived forever.
    expired.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=EmailDelivery.Status.FAILED, last_error="Claim lease expired"
    )
    expired.update(
        status=EmailDelivery.Status.PENDING, last_error="Claim lease expired"
    )
    secret_bodies_forget(now=now)
    due = (
        EmailDelivery.objects.filter(
            status=EmailDelivery.Status.PENDING, created_at__lte=now - stale_after
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    return enqueue_deliveries(list(due[:10_000]))


def delivery_resend(*, delivery: EmailDelivery, by: Any) -> EmailDelivery:
    """Give a failed delivery a fresh set of attempts (the admin's "resend")."""
    if not can_resend_delivery(by, delivery):
        raise PermissionDenied
    with transaction.atomic():
        EmailDelivery.objects.filter(
            pk=delivery.pk, status=EmailDelivery.Status.FAILED
        ).update(status=EmailDelivery.Status.PENDING, attempts=0, next_attempt_at=None)
        enqueue_on_commit([delivery.pk])
    delivery.refresh_from_db()
    return delivery


# --- digest ------------------------------------------------------------------------
def digest_send_all() -> int:
    """Build every pending daily digest; safe to run twice (items are taken once)."""
    user_ids = (
        DigestItem.objects.filter(delivery__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(1 for user_id in list(user_ids) if digest_send(user_id=user_id))


@transaction.atomic
def digest_send(*, user_id: int) -> EmailDelivery | None:
    items = list(
        DigestItem.objects.select_for_update(of=("self",))
        .filter(recipient_id=user_id, delivery__isnull=True)
        .select_related("notification", "recipient")
    )
    user = items[0].recipient if items else None
    if user is None or not user.is_active or not user.email:
        return None
    kind = get_kind(DIGEST)
    shared = _email_context(kind)
    with translation.override(settings.LANGUAGE_CODE):
        templates = KindTemplates(kind.template_prefix)
        parts = templates.render_email(
            {
                "recipient": user,
                "items": [_digest_line(item) for item in items],
                **shared,
            }
        )
    delivery = _outbox_row(
        user=user, to=user.email, kind=DIGEST, parts=parts, sender=shared["sender"]
    )
    delivery.save()
    DigestItem.objects.filter(pk__in=[item.pk for item in items]).update(
        delivery=delivery
    )
    enqueue_on_commit([delivery.pk])
    return delivery


def _digest_line(item: DigestItem) -> dict[str, Any]:
    return {
        "subject": item.subject,
        "text": item.notification.text,
        "url": absolute_url(item.notification.url),
        "created_at": item.notification.created_at,
    }


# --- preferences and unsubscribe -----------------------------------------------------
def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps([user_id, kind], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[int, str]:
    """Raises signing.BadSignature when the token was not signed by us."""
    user_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(user_id), str(kind)


@transaction.atomic
def preference_set(*, user: Any, kind: str, email: str) -> Preference:
    kind_obj = get_kind(kind)
    if not kind_obj.user_configurable:
        raise ValueError(f"Kind {kind!r} cannot be configured.")
    if email not in EmailChoice.values:
        raise ValueError(f"Unknown e-mail choice {email!r}.")
    preference, _created = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"email": email}
    )
    return preference


def preferences_set(*, user: Any, choices: dict[str, str]) -> None:
    with transaction.atomic():
        for kind, email in choices.items():
            preference_set(user=user, kind=kind, email=email)


def unsubscribe(*, user: Any, kind: str) -> Preference:
    return preference_set(user=user, kind=kind, email=EmailChoice.NEVER)


# --- notifications read state ---------------------------------------------------------
def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        forget([notification.recipient_id], count=False)


def notifications_mark_done(*, target: Any, kind: str) -> int:
    """Mark every recipient's `kind` notifications about `target` as read.

    For requests several people may answer (a join request reaches every référent):
    once one of them decided, nobody is left with an unread request. Call inside the
    transaction that decides.
    """
    target_type, target_id = _target_key(target)
    if target_type is None:
        return 0
    unread = Notification.objects.filter(
        kind=kind,
        target_content_type=target_type,
        target_object_id=target_id,
        read_at__isnull=True,
    )
    recipients = list(unread.values_list("recipient_id", flat=True))
    done = unread.update(read_at=timezone.now())
    forget(recipients, count=False)
    return done


def notifications_mark_all_read(*, user: Any) -> int:
    done = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget([user.pk], count=False)
    return done


# --- RGPD ---------------------------------------------------------------------------
@transaction.atomic
def user_notifications_erase(*, user: Any, addresses: Iterable[str] = ()) -> None:
    """Delete what this app holds about a person erasing their account.

    Every e-mail to them goes, sent or not: the bodies carry their name, and a pending
    one must not reach an erased person. Call before their address is anonymised.
    """
    Announcement.objects.filter(author=user).update(author=None)
    to_them = Q(recipient=user)
    for address in {user.email, *addresses}:
        if address:
            to_them |= Q(to_address__iexact=address)
    EmailDelivery.objects.filter(to_them).delete()
    DigestItem.objects.filter(recipient=user).delete()
    Notification.objects.filter(recipient=user).delete()
    forget([user.pk])
    Preference.objects.filter(user=user).delete()


# --- announcements -----------------------------------------------------------------
def announcement_recipients():
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .only("pk", "email", "is_active", "first_name", "last_name")
    )


@transaction.atomic
def announcement_send(*, author: Any, title: str, message: str) -> Announcement:
    """A coordinator's message to every active person, kept on its own page.

    The notification links to that page, so whoever reads no e-mail reads it there.
    """
    if not can_send_announcement(author):
        raise PermissionDenied
    announcement = Announcement.objects.create(
        title=title, message=message, author=author
    )
    notifications = notify(
        announcement_recipients(),
        ANNOUNCEMENT,
        {"title": title, "message": message, "author": author},
        target=announcement,
    )
    announcement.recipients_count = len(notifications)
    announcement.save(update_fields=["recipients_count"])
    audit_record(
        actor=author,
        action="notifications.announcement.send",
        target=announcement,
        data={"recipients": len(notifications)},
    )
    return announcement
