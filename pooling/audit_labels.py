"""How pooling's audit events read (ptce.audit_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.audit_labels import register

from .models import Booking

register(
    "pooling",
    actions={
        "pooling.booking.request": _("Booking requested"),
        "pooling.booking.approve": _("Booking approved"),
        "pooling.booking.decline": _("Booking declined"),
        "pooling.booking.cancel": _("Booking cancelled"),
        "pooling.booking.change": _("Booking changed"),
        "pooling.booking.expire": _("Request expired without a decision"),
        "pooling.series.create": _("Recurring booking created"),
        "pooling.series.cancel_following": _("Recurring booking cancelled from a date"),
        "pooling.calendar_token.regenerate": _("Calendar address renewed"),
        "pooling.quota.set": _("Quota set"),
        "pooling.quota.delete": _("Quota removed"),
        "pooling.ledger.charge": _("Booking charged"),
        "pooling.ledger.late_cancellation": _("Late cancellation charged"),
        "pooling.ledger.reversal": _("Charge withdrawn (cancelled in time)"),
        "pooling.ledger.replaced": _("Charge replaced after a change"),
        "pooling.ledger.month_close": _("Month closed"),
    },
    states=dict(Booking.Status.choices),
)
