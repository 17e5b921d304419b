"""Decisions on requests (one or several) and cancellations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import User
from notifications.services import notify
from ptce.services import audit_record

from .. import kinds, permissions
from ..ledger import services as ledger
from ..models import Booking
from .common import (
    MAX_TEXT,
    PRICE_FIELDS,
    _booker_side,
    _clean_text,
    _context,
    _freeze_price,
    _locked_booking,
    approvers_of,
)


# --- Decide --------------------------------------------------------------------------
@transaction.atomic
def booking_decide(
    *,
    booking: Booking,
    by: User,
    approve: bool,
    reason: str = "",
    now: datetime | None = None,
) -> Booking:
    now = now or timezone.now()
    booking = _locked_booking(booking)
    if not permissions.is_approver(by, booking.resource):
        raise PermissionDenied
    if booking.status != Booking.Status.PENDING:
        raise ValidationError(
            _("This request was already handled (%(status)s).")
            % {"status": booking.get_status_display()}
        )
    reason = _clean_text(reason, MAX_TEXT, _("Reason"))
    if approve and booking.start <= now:
        raise ValidationError(
            _("This request can no longer be approved: its time has come.")
        )
    before = booking.status
    booking.status = Booking.Status.CONFIRMED if approve else Booking.Status.DECLINED
    booking.decided_by, booking.decided_at, booking.decision_reason = by, now, reason
    fields = ["status", "decided_by", "decided_at", "decision_reason"]
    if approve:
        _freeze_price(booking, now)
        fields += PRICE_FIELDS
    booking.save(update_fields=fields)
    if approve:
        ledger.record_confirmation(booking=booking, by=by)
    audit_record(
        actor=by,
        action="pooling.booking.approve" if approve else "pooling.booking.decline",
        target=booking,
        before=before,
        after=booking.status,
        reason=reason,
        scope=booking.organisation,
    )
    notify(
        _booker_side(booking),
        kinds.REQUEST_DECIDED,
        context=_context(booking, approved=approve, reason=reason),
        target=booking,
    )
    return booking


@dataclass(frozen=True)
class BatchResult:
    done: list[Booking]
    refused: list[tuple[Booking, str]]


def bookings_decide(
    *,
    bookings: Iterable[Booking],
    by: User,
    approve: bool,
    reason: str = "",
    now: datetime | None = None,
) -> BatchResult:
    """Decide several requests; each in its own transaction, the others go on."""
    done, refused = [], []
    for booking in bookings:
        try:
            done.append(
                booking_decide(
                    booking=booking, by=by, approve=approve, reason=reason, now=now
                )
            )
        except (ValidationError, PermissionDenied) as error:
            message = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else _("You may not decide this request.")
            )
            refused.append((booking, message))
    return BatchResult(done, refused)


# --- Cancel --------------------------------------------------------------------------
@transaction.atomic
def booking_cancel(
    *, booking: Booking, by: User, reason: str = "", now: datetime | None = None
) -> Booking:
    now = now or timezone.now()
    booking = _locked_booking(booking)
    if not permissions.can_cancel(by, booking):
        if booking.is_active:
            raise PermissionDenied
        raise ValidationError(_("This booking is no longer active."))
    reason = _clean_text(reason, MAX_TEXT, _("Reason"))
    before = booking.status
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_by, booking.cancelled_at, booking.cancel_reason = by, now, reason
    booking.save(
        update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"]
    )
    ledger.record_cancellation(booking=booking, by=by, at=now)
    audit_record(
        actor=by,
        action="pooling.booking.cancel",
        target=booking,
        before=before,
        after=booking.status,
        reason=reason,
        scope=booking.organisation,
    )
    if permissions.is_booker_side(by, booking):
        other_side = approvers_of(booking.resource)
    else:
        other_side = _booker_side(booking)
    notify(
        [user for user in other_side if user.pk != by.pk],
        kinds.BOOKING_CANCELLED,
        context=_context(booking, cancelled_by=by, reason=reason),
        target=booking,
    )
    return booking
