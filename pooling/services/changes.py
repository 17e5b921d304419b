"""Changing a booking not yet begun: times, quantity, purpose, number of people."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import User
from notifications.services import notify
from ptce.dates import day_format
from ptce.identity import absolute_url
from ptce.services import audit_record
from resources.models import Resource

from .. import availability, kinds, permissions
from ..availability import Code, Problem
from ..ledger import services as ledger
from ..models import Booking
from ..pricing import quote
from .common import (
    MAX_PURPOSE,
    MAX_TEXT,
    PRICE_FIELDS,
    BookingRefused,
    Part,
    _booker_side,
    _check_attendees,
    _clean_text,
    _clear_price,
    _confirmed_at_once,
    _context,
    _freeze_price,
    _lock,
    approvers_of,
)
from .requests import _part_problems


# --- Change --------------------------------------------------------------------------
def _state(booking: Booking) -> dict:
    """What a change may alter, as the audit trail keeps it (JSON)."""
    return {
        "start": booking.start.isoformat(),
        "end": booking.end.isoformat(),
        "quantity": booking.quantity,
        "purpose": booking.purpose,
        "attendees": booking.attendees,
    }


def change_lines(before: dict, after: dict) -> list[str]:
    """What changed, in words: « horaires : … → … », « quantité : 2 → 3 »."""
    lines = []
    if (before.get("start"), before.get("end")) != (
        after.get("start"),
        after.get("end"),
    ):
        spans = [
            availability.fmt_span(
                datetime.fromisoformat(state["start"]),
                datetime.fromisoformat(state["end"]),
            )
            for state in (before, after)
        ]
        lines.append(
            _("times: %(before)s → %(after)s")
            % dict(zip(("before", "after"), spans, strict=True))
        )
    labels = {
        "quantity": _("quantity"),
        "attendees": _("number of people"),
        "purpose": _("purpose"),
    }
    for key, label in labels.items():
        if before.get(key) != after.get(key):
            lines.append(
                _("%(field)s: %(before)s → %(after)s")
                % {
                    "field": label,
                    "before": "—" if before.get(key) in (None, "") else before[key],
                    "after": "—" if after.get(key) in (None, "") else after[key],
                }
            )
    return lines


def _status_after_change(
    booking: Booking, resource: Resource, by: User, *, times_changed: bool
) -> str:
    """Confirmed at once as a request would be; kept as it was when one of the
    owner's approvers makes the change, or when only the purpose or the number of
    people changes (the owner agreed to these times and units); otherwise back to the
    owner's approval."""
    if not times_changed:
        return booking.status
    if _confirmed_at_once(resource, booking.organisation):
        return Booking.Status.CONFIRMED
    if permissions.is_approver(by, resource):
        return booking.status
    return Booking.Status.PENDING


@transaction.atomic
def booking_change(
    *,
    booking: Booking,
    by: User,
    start: datetime,
    end: datetime,
    quantity: int,
    purpose: str = "",
    attendees: int | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """Change the times, quantity, purpose or people of a booking not yet begun.

    When the times or the quantity change, every rule of a request is checked again,
    under the same locks (the resource row, then the booking), against the other
    bookings — never against this one's own times. All or nothing. A confirmed
    booking whose times or quantity change has its charge withdrawn and is charged
    again at the price frozen now; such a change by someone other than the owner's
    approvers on a resource needing approval sends the booking back to them.

    When only the purpose or the number of people changes, the slot stays as it was
    granted: only the room's capacity is checked (not the notice, the opening hours
    or the clashes, which were checked for these very times), and the status and the
    charge are kept.
    """
    now = now or timezone.now()
    locked = _lock([booking.resource])
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("resource__owner", "organisation", "booked_by")
        .get(pk=booking.pk)
    )
    resource = booking.resource = locked[booking.resource_id]
    if not booking.is_active or booking.start <= now:
        raise ValidationError(
            _("This booking can no longer be changed: it has begun or is over.")
        )
    if not permissions.can_change(by, booking, now=now):
        raise PermissionDenied
    purpose = _clean_text(purpose, MAX_PURPOSE, _("Purpose"))
    reason = _clean_text(reason, MAX_TEXT, _("Reason"))
    _check_attendees(attendees)
    if resource.kind != Resource.Kind.PREMISES:
        attendees = booking.attendees
    basic = availability.basic_problems(start, end, now)
    if basic:
        raise BookingRefused(basic)
    before = _state(booking)
    if (
        start == booking.start
        and end == booking.end
        and quantity == booking.quantity
        and purpose == booking.purpose
        and attendees == booking.attendees
    ):
        raise ValidationError(_("Nothing to change: the booking is the same."))
    if (start, end, quantity) == (booking.start, booking.end, booking.quantity):
        problems = availability.capacity_problems(resource, attendees)
    else:
        problems = _part_problems(
            [Part(resource, quantity)],
            locked,
            organisation=booking.organisation,
            start=start,
            end=end,
            attendees=attendees,
            now=now,
            exclude=[booking.pk],
        )
    if problems:
        raise BookingRefused(problems)
    _check_late_reduction(booking, by=by, start=start, end=end, quantity=quantity,
                          now=now)  # fmt: skip
    _apply_change(
        booking,
        by=by,
        start=start,
        end=end,
        quantity=quantity,
        now=now,
        purpose=purpose,
        attendees=attendees,
        before=before,
        reason=reason,
    )
    return booking


def _check_late_reduction(booking, *, by, start, end, quantity, now) -> None:
    """After the free-cancellation deadline frozen at confirmation, cancelling is
    charged: a change may move or lengthen the booking, not lower its charge (the
    owner's approvers may, it is theirs to waive)."""
    if booking.status != Booking.Status.CONFIRMED or permissions.is_approver(
        by, booking.resource
    ):
        return
    charge = ledger.current_charge(booking)
    if charge is None or charge.free_cancellation_until is None:
        return
    if now <= charge.free_cancellation_until:
        return
    amount = quote(booking.resource, start, end, quantity).amount_excl_vat
    if amount < charge.amount_excl_vat:
        raise ValidationError(
            _(
                "Too late to lower this booking's charge: since %(deadline)s, "
                "cancelling is charged (%(amount)s € excl. VAT). It can still be "
                "moved or lengthened."
            )
            % {
                "deadline": day_format(
                    timezone.localtime(charge.free_cancellation_until), "j F Y H:i"
                ),
                "amount": f"{charge.amount_excl_vat}".replace(".", ","),
            }
        )


def _apply_change(
    booking, *, by, start, end, quantity, purpose, attendees, now, before, reason
) -> None:
    resource = booking.resource
    old_status = booking.status
    times_changed = (start, end, quantity) != (
        booking.start,
        booking.end,
        booking.quantity,
    )
    new_status = _status_after_change(
        booking, resource, by, times_changed=times_changed
    )
    reprice = times_changed or new_status != old_status
    if old_status == Booking.Status.CONFIRMED and reprice:
        ledger.record_change(booking=booking, by=by)
    booking.start, booking.end, booking.quantity = start, end, quantity
    booking.purpose, booking.attendees = purpose, attendees
    booking.blocked_start, booking.blocked_end = availability.blocked_range(
        resource, start, end
    )
    booking.exclusive = resource.quantity == 1
    booking.status = new_status
    booking.changed_at, booking.change_count = now, booking.change_count + 1
    fields = [
        "start",
        "end",
        "quantity",
        "purpose",
        "attendees",
        "blocked_start",
        "blocked_end",
        "exclusive",
        "status",
        "changed_at",
        "change_count",
    ]
    if times_changed:
        booking.reminded_at = None
        fields.append("reminded_at")
    if new_status == Booking.Status.PENDING and old_status != new_status:
        booking.decided_by, booking.decided_at, booking.decision_reason = None, None, ""
        _clear_price(booking)
        fields += ["decided_by", "decided_at", "decision_reason", *PRICE_FIELDS]
    elif new_status == Booking.Status.CONFIRMED and reprice:
        booking.decided_at = now
        _freeze_price(booking, now)
        fields += ["decided_at", *PRICE_FIELDS]
    try:
        with transaction.atomic():
            booking.save(update_fields=fields)
    except IntegrityError as error:
        # The exclusion constraint caught a clash the lock should have prevented.
        raise BookingRefused(
            [Problem(Code.CLASH, _("This slot was just booked by someone else."))]
        ) from error
    if new_status == Booking.Status.CONFIRMED and reprice:
        ledger.record_confirmation(booking=booking, by=by)
    after = _state(booking)
    audit_record(
        actor=by,
        action="pooling.booking.change",
        target=booking,
        before=old_status,
        after=new_status,
        reason=reason,
        scope=booking.organisation,
        data={"before": before, "after": after},
    )
    _notify_change(
        booking,
        by=by,
        before=before,
        after=after,
        reason=reason,
        back_to_approval=new_status == Booking.Status.PENDING
        and old_status == Booking.Status.CONFIRMED,
    )


def _notify_change(booking, *, by, before, after, reason, back_to_approval) -> None:
    """The other side hears of it; both sides when a coordinator made the change."""
    if permissions.is_booker_side(by, booking):
        other_side = approvers_of(booking.resource)
    elif permissions.is_approver(by, booking.resource):
        other_side = _booker_side(booking)
    else:
        other_side = _booker_side(booking) + approvers_of(booking.resource)
    recipients = {user.pk: user for user in other_side if user.pk != by.pk}
    notify(
        list(recipients.values()),
        kinds.BOOKING_CHANGED,
        context=_context(
            booking,
            changed_by=by,
            reason=reason,
            changes=change_lines(before, after),
            pending=booking.status == Booking.Status.PENDING,
            back_to_approval=back_to_approval,
            queue_url=absolute_url(reverse("pooling:approvals")),
        ),
        target=booking,
    )
