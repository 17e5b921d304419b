"""Writes to the cost-sharing ledger.

`record_confirmation` and `record_cancellation` are called by pooling's booking
services inside the transaction that confirms or cancels a booking (never on their
own): the ledger line and the booking's change commit or roll back together.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.permissions import is_coordinator
from pooling.money import ZERO, to_cents
from ptce.services import audit_record

from . import periods
from .models import ClosedMonth, LedgerLine

if TYPE_CHECKING:
    from members.models import User
    from pooling.models import Booking


# Writers of lines share this lock; closing a month takes it alone, so no line can
# land in a month while it is being closed (PostgreSQL; SQLite serialises writes).
LEDGER_LOCK_KEY = 0x504F4F4C  # "POOL"


def _lock_ledger(*, exclusive: bool) -> None:
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [LEDGER_LOCK_KEY])


def open_period_for(service_month: date) -> date:
    """The month a line about `service_month` counts in: that month, or the first
    open month after it when it is closed."""
    closed = set(
        ClosedMonth.objects.filter(period__gte=service_month).values_list(
            "period", flat=True
        )
    )
    period = service_month
    while period in closed:
        period = periods.next_month(period)
    return period


def _frozen_price(booking: Booking) -> tuple[str, Decimal, Decimal, Decimal]:
    """(unit, unit price, units, amount excl. VAT) as frozen on the booking.

    pooling freezes the price when it confirms; a booking confirmed without a frozen
    price (a free resource) is charged nothing.
    """
    if booking.amount_excl_vat is None:
        return booking.price_unit or "free", ZERO, Decimal(0), ZERO
    return (
        booking.price_unit,
        to_cents(booking.unit_price or 0),
        Decimal(booking.price_units or 0),
        to_cents(booking.amount_excl_vat),
    )


def _cost_items(booking: Booking, amount: Decimal) -> list[dict]:
    """Staff time at cost: each item's hourly cost × hours, summing to `amount`."""
    resource = booking.resource
    if resource.kind != "staff" or not amount:
        return []
    hours = Decimal(booking.duration_minutes) / 60 * booking.quantity
    items = [
        {
            "category": item.category,
            "label": item.get_category_display()
            + (f" — {item.label}" if item.label else ""),
            "hourly_amount": str(to_cents(item.hourly_amount)),
            "amount": to_cents(item.hourly_amount * hours),
        }
        for item in resource.cost_items.all()
    ]
    if items:
        # Rounding each item to the cent may leave a cent or two: the last item
        # absorbs it, so the items always add up to the amount charged.
        items[-1]["amount"] += amount - sum((i["amount"] for i in items), ZERO)
    for item in items:
        item["amount"] = str(item["amount"])
    return items


WITHDRAWALS = (LedgerLine.Kind.REVERSAL, LedgerLine.Kind.REPLACED)


def current_charge(booking: Booking) -> LedgerLine | None:
    """The charge in force on `booking`: its latest revision, unless withdrawn."""
    charge = (
        LedgerLine.objects.filter(booking=booking, kind=LedgerLine.Kind.CHARGE)
        .order_by("-revision")
        .first()
    )
    if charge is None:
        return None
    withdrawn = LedgerLine.objects.filter(
        booking=booking, revision=charge.revision, kind__in=WITHDRAWALS
    ).exists()
    return None if withdrawn else charge


def _next_revision(booking: Booking) -> int:
    last = (
        LedgerLine.objects.filter(booking=booking)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


def record_confirmation(*, booking: Booking, by: User | None) -> LedgerLine | None:
    """Charge a just-confirmed booking to its structure at its frozen price.

    Nothing is recorded for a structure using its own resource (no money moves).
    Idempotent: a booking has at most one charge in force; after a change withdrew
    it (`record_change`), the re-confirmed booking is charged under a new revision.
    """
    resource = booking.resource
    if booking.organisation_id == resource.owner_id:
        return None
    existing = current_charge(booking)
    if existing is not None:
        return existing
    _lock_ledger(exclusive=False)
    unit, unit_price, units, amount = _frozen_price(booking)
    regime = booking.vat_regime or resource.vat_regime
    rate = booking.vat_rate or 0
    vat = to_cents(booking.vat_amount or 0)
    service_month = periods.month_of(booking.start)
    line = LedgerLine.objects.create(
        booking=booking,
        kind=LedgerLine.Kind.CHARGE,
        revision=_next_revision(booking),
        period=open_period_for(service_month),
        service_month=service_month,
        user_id=booking.organisation_id,
        provider_id=resource.owner_id,
        resource=resource,
        label=str(resource.name)[:300],
        resource_kind=resource.kind,
        start=booking.start,
        end=booking.end,
        quantity=booking.quantity,
        price_unit=unit,
        unit_price=unit_price,
        units=units,
        amount_excl_vat=amount,
        vat_regime=regime,
        vat_rate=rate or 0,
        vat_amount=vat,
        cost_items=_cost_items(booking, amount),
        free_cancellation_until=booking.start
        - timedelta(hours=resource.cancellation_notice_hours),
        created_by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        actor=by,
        action="pooling.ledger.charge",
        target=line,
        scope=booking.organisation,
        data={
            "amount_excl_vat": str(amount),
            "vat": str(vat),
            "period": str(line.period),
            "revision": line.revision,
        },
    )
    return line


def _withdraw(charge: LedgerLine, *, kind: str, by: User | None) -> LedgerLine:
    """The line that cancels `charge` out, in its month of use or — that month being
    closed — the first open month after it (an adjustment)."""
    _lock_ledger(exclusive=False)
    return LedgerLine.objects.create(
        booking_id=charge.booking_id,
        kind=kind,
        revision=charge.revision,
        period=open_period_for(charge.service_month),
        service_month=charge.service_month,
        user_id=charge.user_id,
        provider_id=charge.provider_id,
        resource_id=charge.resource_id,
        label=charge.label,
        resource_kind=charge.resource_kind,
        start=charge.start,
        end=charge.end,
        quantity=charge.quantity,
        price_unit=charge.price_unit,
        unit_price=charge.unit_price,
        units=-charge.units,
        amount_excl_vat=-charge.amount_excl_vat,
        vat_regime=charge.vat_regime,
        vat_rate=charge.vat_rate,
        vat_amount=-charge.vat_amount,
        cost_items=[
            {**item, "amount": str(-Decimal(item["amount"]))}
            for item in charge.cost_items
        ],
        created_by=by if getattr(by, "pk", None) else None,
    )


def record_cancellation(
    *, booking: Booking, by: User | None, at: datetime | None = None
) -> LedgerLine | None:
    """Apply the resource's cancellation rule to a just-cancelled booking.

    Cancelled before the free-cancellation deadline frozen at confirmation: the charge
    is reversed (in the first open month). Later: the charge stands.
    """
    at = at or timezone.now()
    charge = current_charge(booking)
    if charge is None:
        return None
    if (
        charge.free_cancellation_until is not None
        and at > charge.free_cancellation_until
    ):
        audit_record(
            actor=by,
            action="pooling.ledger.late_cancellation",
            target=charge,
            scope=booking.organisation,
            data={"amount_excl_vat": str(charge.amount_excl_vat)},
        )
        return None
    return _withdraw_recorded(
        charge, kind=LedgerLine.Kind.REVERSAL, booking=booking, by=by
    )


def record_change(*, booking: Booking, by: User | None) -> LedgerLine | None:
    """Withdraw the charge in force on a booking whose times or quantity changed.

    Called by pooling.services.booking_change inside its transaction, before the
    booking is re-confirmed (and charged again, at its re-frozen price, by
    `record_confirmation`) or sent back to its owner's approval. The withdrawal
    lands in the first open month, as a reversal does.
    """
    charge = current_charge(booking)
    if charge is None:
        return None
    return _withdraw_recorded(
        charge, kind=LedgerLine.Kind.REPLACED, booking=booking, by=by
    )


def _withdraw_recorded(charge, *, kind: str, booking: Booking, by) -> LedgerLine:
    """_withdraw(), and the audit record "pooling.ledger.<kind>" that says so."""
    line = _withdraw(charge, kind=kind, by=by)
    audit_record(
        actor=by,
        action=f"pooling.ledger.{kind}",
        target=line,
        scope=booking.organisation,
        data={"amount_excl_vat": str(line.amount_excl_vat), "period": str(line.period)},
    )
    return line


def month_close(*, period: date, by: User) -> ClosedMonth:
    """Close a finished month: its statement is final from now on (coordinators)."""
    if not is_coordinator(by):
        raise PermissionDenied
    period = date(period.year, period.month, 1)
    if period >= periods.current_month():
        raise ValidationError(_("Only a month that has ended can be closed."))
    with transaction.atomic():
        _lock_ledger(exclusive=True)
        earlier_open = (
            LedgerLine.objects.filter(period__lt=period)
            .exclude(period__in=ClosedMonth.objects.values("period"))
            .order_by("period")
            .values_list("period", flat=True)
            .first()
        )
        if earlier_open is not None:
            raise ValidationError(
                _("Close %(month)s first: months are closed in order.")
                % {"month": earlier_open.strftime("%m/%Y")}
            )
        try:
            with transaction.atomic():
                closed = ClosedMonth.objects.create(period=period, closed_by=by)
        except IntegrityError as error:
            raise ValidationError(_("This month is already closed.")) from error
        audit_record(
            actor=by,
            action="pooling.ledger.month_close",
            target=closed,
            after="closed",
        )
    return closed
