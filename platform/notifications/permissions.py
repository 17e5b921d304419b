"""Who may do what with notifications: used by views, templates and services alike."""

from __future__ import annotations

from .models import EmailDelivery, Notification

# can_send_announcement() of a person, cached per person for the centre's link
# (ptce.personcache, registered and forgotten in apps.py); the form checks again.
CAN_ANNOUNCE = "notifications-can-announce"


def can_send_announcement(user) -> bool:
    # Coordinators hold this permission through their group; superusers hold all.
    return user.is_authenticated and user.has_perm("notifications.send_announcement")


def can_manage_deliveries(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.has_perm("notifications.view_emaildelivery")
    )


def can_read_notification(user, notification: Notification) -> bool:
    return user.is_authenticated and notification.recipient_id == user.pk


def can_resend_delivery(user, delivery: EmailDelivery) -> bool:
    # A secret e-mail's body is forgotten after a while (its key has expired by
    # then): there is nothing left to resend.
    return (
        can_manage_deliveries(user)
        and delivery.status == EmailDelivery.Status.FAILED
        and bool(delivery.body_text)
    )
