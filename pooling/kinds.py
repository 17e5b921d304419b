"""Notification kinds of pooling (autodiscovered by notifications)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EmailChoice, Kind, register

REQUEST_RECEIVED = "pooling.request_received"
REQUEST_DECIDED = "pooling.request_decided"
REQUEST_EXPIRED = "pooling.request_expired"
BOOKING_CANCELLED = "pooling.booking_cancelled"
BOOKING_REMINDER = "pooling.booking_reminder"
BOOKING_CHANGED = "pooling.booking_changed"

register(
    Kind(
        key=REQUEST_RECEIVED,
        label=_("A booking request waits for my decision"),
        template_prefix="pooling/notifications/request_received",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=REQUEST_DECIDED,
        label=_("My booking request was approved or declined"),
        template_prefix="pooling/notifications/request_decided",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=REQUEST_EXPIRED,
        label=_("My booking request expired without an answer"),
        template_prefix="pooling/notifications/request_expired",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=BOOKING_CANCELLED,
        label=_("A booking I am concerned by was cancelled"),
        template_prefix="pooling/notifications/booking_cancelled",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=BOOKING_REMINDER,
        label=_("Reminder the day before a booking"),
        template_prefix="pooling/notifications/booking_reminder",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=BOOKING_CHANGED,
        label=_("A booking I am concerned by was changed"),
        template_prefix="pooling/notifications/booking_changed",
        default_email=EmailChoice.IMMEDIATE,
    )
)
