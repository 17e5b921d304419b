from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import EmailChoice


class NotificationQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Also forgets what is kept about the recipients' notifications (cached):
        notify() writes through here, and so does anything else that bulk-creates."""
        from .cached import forget

        created = super().bulk_create(list(objs), *args, **kwargs)
        forget(notification.recipient_id for notification in created)
        return created


class Notification(models.Model):
    """One line in a person's notification centre."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=100)
    text = models.CharField(_("text"), max_length=500)
    # The object the notification is about: kept generic so this app imports none.
    target_content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_content_type", "target_object_id")
    # Stored at notify() time so the centre lists links without loading targets.
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "-created_at"],
                name="notif_recipient_unread_idx",
            ),
            # The centre's page, in its order: read 25 rows instead of sorting all
            # of a person's notifications (thousands for an active référent).
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                name="notif_recipient_created_idx",
            ),
        ]
        permissions = [("send_announcement", _("Can send announcements to members"))]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailDelivery(models.Model):
    """The outbox: one e-mail, written in the caller's transaction, sent later."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="email_deliveries",
    )
    to_address = models.EmailField(_("address"))
    kind = models.CharField(_("kind"), max_length=100)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("plain-text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Set when a worker claims the row; a claim older than the lease is a dead worker.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # After a failed attempt, the sweeper leaves the row alone until then (backoff).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="delivery_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.to_address} — {self.subject}"


class DigestItem(models.Model):
    """A notification waiting for its recipient's daily digest e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="digest_item"
    )
    subject = models.CharField(_("subject"), max_length=255)
    # Null until a digest e-mail includes the item: the digest's idempotency key.
    delivery = models.ForeignKey(
        EmailDelivery,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digest_items",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["delivery", "recipient"], name="digest_pending_idx")
        ]

    def __str__(self) -> str:
        return self.subject


class Preference(models.Model):
    """How e-mail reaches one person for one kind; absent means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=100)
    email = models.CharField(_("e-mail"), max_length=16, choices=EmailChoice.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notif_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.kind}: {self.email}"


class Announcement(models.Model):
    """A coordinator's message to everyone: notified, and readable on its own page."""

    title = models.CharField(_("title"), max_length=150)
    message = models.TextField(_("message"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients_count = models.PositiveIntegerField(_("people told"), default=0)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("notifications:announcement_detail", args=[self.pk])
