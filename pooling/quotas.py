"""Quotas: a cap on the hours a structure books per month, on a resource or a kind.

Hours are booked unit-hours (2 projectors for 3 hours use 6), pending and confirmed
bookings count, in local (Europe/Paris) calendar months; a booking across midnight at
the end of a month counts in each month for its part. `problems` is called by
pooling.services.booking_set_request while it holds the resource row locks; it also
locks the quota rows it checks, so two concurrent requests against one kind-wide
quota (on different resources) cannot both slip under it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from pooling.ledger import periods
from pooling.ledger.models import Quota
from pooling.models import Booking

CODE = "quota"
HOUR = Decimal(3600)


@dataclass(frozen=True)
class Remaining:
    quota: Quota
    period: date
    used: Decimal
    left: Decimal


def _hours(start: datetime, end: datetime) -> Decimal:
    return (Decimal((end - start).total_seconds()) / HOUR).quantize(Decimal("0.01"))


def hours_by_month(start: datetime, end: datetime) -> dict[date, Decimal]:
    """Hours of [start, end) in each local month it touches."""
    result: dict[date, Decimal] = {}
    period = periods.month_of(start)
    while True:
        month_start, month_end = periods.bounds(period)
        part = _hours(max(start, month_start), min(end, month_end))
        if part > 0:
            result[period] = part
        if end <= month_end:
            return result
        period = periods.next_month(period)


def quotas_for(resource, organisation, *, lock: bool = False) -> list[Quota]:
    qs = Quota.objects.filter(organisation=organisation).filter(
        Q(resource=resource)
        | Q(
            resource__isnull=True,
            resource_kind=resource.kind,
        )
        & (Q(owner__isnull=True) | Q(owner_id=resource.owner_id))
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    return list(qs.order_by("pk"))


def _used(quota: Quota, period: date, exclude: Sequence[int] = ()) -> Decimal:
    month_start, month_end = periods.bounds(period)
    bookings = Booking.objects.filter(
        organisation_id=quota.organisation_id,
        status__in=Booking.ACTIVE_STATUSES,
        start__lt=month_end,
        end__gt=month_start,
    ).exclude(pk__in=exclude)
    if quota.resource_id:
        bookings = bookings.filter(resource_id=quota.resource_id)
    else:
        bookings = bookings.filter(resource__kind=quota.resource_kind)
        if quota.owner_id:
            bookings = bookings.filter(resource__owner_id=quota.owner_id)
    total = Decimal(0)
    for start, end, quantity in bookings.values_list("start", "end", "quantity"):
        total += hours_by_month(start, end).get(period, Decimal(0)) * quantity
    return total


def _name(quota: Quota) -> str:
    if quota.resource_id:
        return str(quota.resource)
    return str(quota.get_resource_kind_display()).lower()


def _fmt(hours: Decimal) -> str:
    return f"{hours.normalize():f}".replace(".", ",")


def _requested(parts, organisation, start, end, *, lock: bool = True):
    """Hours asked per (quota, month), and those quotas by pk."""
    requested: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    quotas: dict[int, Quota] = {}
    for resource, quantity in parts:
        for quota in quotas_for(resource, organisation, lock=lock):
            quotas[quota.pk] = quota
            for period, hours in hours_by_month(start, end).items():
                requested[(quota.pk, period)] += hours * quantity
    return requested, quotas


def _over(quota: Quota, period: date, used: Decimal, hours: Decimal) -> str:
    left = max(quota.hours_per_month - used, Decimal(0))
    return _(
        "Over quota: %(organisation)s may book %(cap)s h of %(target)s "
        "in %(month)s; %(used)s h are already booked, %(left)s h are "
        "left and this request needs %(hours)s h."
    ) % {
        "organisation": quota.organisation,
        "cap": _fmt(quota.hours_per_month),
        "target": _name(quota),
        "month": periods.label(period),
        "used": _fmt(used),
        "left": _fmt(left),
        "hours": _fmt(hours),
    }


def problems(
    *,
    parts: Sequence[tuple],  # (resource, quantity)
    organisation,
    start: datetime,
    end: datetime,
    exclude: Sequence[int] = (),
) -> list[str]:
    """French messages for every quota the request would exceed (empty: fine).

    `exclude`: bookings not to count (a booking being changed is counted at its new
    times, never twice).
    """
    requested, quotas = _requested(parts, organisation, start, end, lock=True)
    messages = []
    for (pk, period), hours in sorted(requested.items()):
        quota = quotas[pk]
        used = _used(quota, period, exclude)
        if used + hours > quota.hours_per_month:
            messages.append(_over(quota, period, used, hours))
    return messages


class SeriesTally:
    """Quotas as a series would use them, date after date (the preview; no lock).

    Each date is checked against what is booked plus the earlier dates of the series
    that passed; a date over quota is not counted (it would not be booked), so the
    preview names exactly the dates the booking would refuse.
    """

    def __init__(self, *, parts: Sequence[tuple], organisation):
        # The quotas do not depend on the date: looked up once for the series.
        self.parts = [
            (quantity, quotas_for(resource, organisation))
            for resource, quantity in parts
        ]
        self.booked: dict[tuple[int, date], Decimal] = {}
        self.series: dict[tuple[int, date], Decimal] = defaultdict(Decimal)

    def _booked(self, quota: Quota, period: date) -> Decimal:
        key = (quota.pk, period)
        if key not in self.booked:
            self.booked[key] = _used(quota, period)
        return self.booked[key]

    def check(self, start: datetime, end: datetime) -> list[str]:
        """Messages for this date (empty: it fits, and now counts for the next)."""
        requested: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
        quotas: dict[int, Quota] = {}
        for quantity, found in self.parts:
            for quota in found:
                quotas[quota.pk] = quota
                for period, hours in hours_by_month(start, end).items():
                    requested[(quota.pk, period)] += hours * quantity
        messages = []
        for (pk, period), hours in sorted(requested.items()):
            quota = quotas[pk]
            booked = self._booked(quota, period)
            earlier = self.series[(pk, period)]
            if booked + earlier + hours <= quota.hours_per_month:
                continue
            if not earlier:
                messages.append(_over(quota, period, booked, hours))
                continue
            left = max(quota.hours_per_month - booked - earlier, Decimal(0))
            messages.append(
                _(
                    "Over quota: %(organisation)s may book %(cap)s h of %(target)s "
                    "in %(month)s; %(used)s h are already booked and the earlier "
                    "dates of this series take %(earlier)s h, so %(left)s h are "
                    "left and this date needs %(hours)s h."
                )
                % {
                    "organisation": quota.organisation,
                    "cap": _fmt(quota.hours_per_month),
                    "target": _name(quota),
                    "month": periods.label(period),
                    "used": _fmt(booked),
                    "earlier": _fmt(earlier),
                    "left": _fmt(left),
                    "hours": _fmt(hours),
                }
            )
        if not messages:
            for key, hours in requested.items():
                self.series[key] += hours
        return messages


def remaining(*, resource, organisation, period: date) -> list[Remaining]:
    """What is left this month under each quota on `resource` (for the booking form)."""
    result = []
    for quota in quotas_for(resource, organisation):
        used = _used(quota, period)
        result.append(
            Remaining(
                quota, period, used, max(quota.hours_per_month - used, Decimal(0))
            )
        )
    return result
