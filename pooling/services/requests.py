"""Requests: one resource or a set, all or nothing, checked under the resource
row locks by the availability engine (and quotas); and the check that a resource's
new quantity still holds its future bookings.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Organisation, User
from notifications.services import notify
from ptce.identity import absolute_url
from ptce.pagecache import bump_content_version
from ptce.services import audit_record
from resources.models import Resource

from .. import availability, kinds, permissions, quotas
from ..availability import Code, Problem
from ..ledger import services as ledger
from ..models import Booking
from .common import (
    MAX_PURPOSE,
    BookingRefused,
    Part,
    _check_attendees,
    _clean_text,
    _confirmed_at_once,
    _context,
    _freeze_price,
    _lock,
    approvers_of,
    pending_counts_forget,
)


# --- Request -------------------------------------------------------------------------
def _part_problems(
    parts: Sequence[Part],
    locked: dict[int, Resource],
    *,
    organisation: Organisation,
    start: datetime,
    end: datetime,
    attendees: int | None,
    now: datetime,
    exclude: Sequence[int] = (),
) -> list[Problem]:
    window_start = min(
        availability.blocked_range(locked[p.resource.pk], start, end)[0] for p in parts
    )
    window_end = max(
        availability.blocked_range(locked[p.resource.pk], start, end)[1] for p in parts
    )
    snapshot = availability.load(
        list(locked.values()),
        window_start,
        window_end,
        exclude_bookings=exclude,
        with_allowed=True,
    )
    problems: list[Problem] = []
    for part in parts:
        resource = locked[part.resource.pk]
        found = availability.problems_for(
            resource,
            organisation=organisation,
            start=start,
            end=end,
            quantity=part.quantity,
            attendees=attendees if resource.kind == Resource.Kind.PREMISES else None,
            now=now,
            snapshot=snapshot,
        )
        if found and len(parts) > 1:
            found = [
                _for_part(resource, problem, part, start, end, now) for problem in found
            ]
        problems += found
    # Quotas (pooling.quotas), under the same locks: a cap on hours per month.
    problems += [
        Problem(quotas.CODE, message)
        for message in quotas.problems(
            parts=[(locked[p.resource.pk], p.quantity) for p in parts],
            organisation=organisation,
            start=start,
            end=end,
            exclude=exclude,
        )
    ]
    return problems


def _for_part(resource, problem: Problem, part: Part, start, end, now) -> Problem:
    """In a set, name the part; for a clash, say when that part is free."""
    message = problem.message
    if problem.code == Code.CLASH:
        slot = availability.nearest_free(
            resource, start=start, end=end, quantity=part.quantity, now=now
        )
        if slot:
            message += " " + _("%(resource)s is free %(span)s.") % {
                "resource": resource,
                "span": availability.fmt_span(*slot),
            }
    return Problem(problem.code, message)


@transaction.atomic
def booking_set_request(
    *,
    parts: Sequence[Part],
    organisation: Organisation,
    by: User,
    start: datetime,
    end: datetime,
    purpose: str = "",
    attendees: int | None = None,
    now: datetime | None = None,
) -> list[Booking]:
    """Book every part for the same times, all or nothing."""
    if not permissions.can_book_for(by, organisation):
        raise PermissionDenied
    now = now or timezone.now()
    purpose = _clean_text(purpose, MAX_PURPOSE, _("Purpose"))
    _check_attendees(attendees)
    if not parts:
        raise ValidationError(_("Choose at least one resource."))
    if len({p.resource.pk for p in parts}) != len(parts):
        raise ValidationError(_("Each resource appears once in a request."))
    basic = availability.basic_problems(start, end, now)
    if basic:
        raise BookingRefused(basic)
    locked = _lock(p.resource for p in parts)
    if len(locked) != len(parts):
        raise ValidationError(_("This resource does not exist."))
    problems = _part_problems(
        parts,
        locked,
        organisation=organisation,
        start=start,
        end=end,
        attendees=attendees,
        now=now,
    )
    if problems:
        raise BookingRefused(problems)
    group = uuid.uuid4() if len(parts) > 1 else None
    bookings = [
        _create(
            locked[part.resource.pk],
            part.quantity,
            organisation=organisation,
            by=by,
            start=start,
            end=end,
            purpose=purpose,
            attendees=attendees,
            group=group,
            now=now,
        )
        for part in parts
    ]
    try:
        with transaction.atomic():
            Booking.objects.bulk_create(bookings)
    except IntegrityError as error:
        # The exclusion constraint caught a clash the lock should have prevented.
        raise BookingRefused(
            [Problem(Code.CLASH, _("This slot was just booked by someone else."))]
        ) from error
    # Requests are bulk-created (no post_save): the pages kept per content version
    # (calendars, search, queues, Mon espace) must see them at once, whatever else
    # this request saves or not; and the approvers' header counts, once per resource
    # whose requests wait for a decision.
    bump_content_version()
    for resource_id in {
        b.resource_id for b in bookings if b.status == b.Status.PENDING
    }:
        pending_counts_forget(resource_id)
    for booking in bookings:
        _after_request(booking, by)
    return bookings


def booking_request(
    *,
    resource: Resource,
    organisation: Organisation,
    by: User,
    start: datetime,
    end: datetime,
    quantity: int = 1,
    purpose: str = "",
    attendees: int | None = None,
    now: datetime | None = None,
) -> Booking:
    """Book `quantity` units of one resource; confirmed at once or pending approval."""
    return booking_set_request(
        parts=[Part(resource, quantity)],
        organisation=organisation,
        by=by,
        start=start,
        end=end,
        purpose=purpose,
        attendees=attendees,
        now=now,
    )[0]


def _create(
    resource, quantity, *, organisation, by, start, end, purpose, attendees, group, now
) -> Booking:
    blocked_start, blocked_end = availability.blocked_range(resource, start, end)
    booking = Booking(
        resource=resource,
        organisation=organisation,
        booked_by=by,
        start=start,
        end=end,
        blocked_start=blocked_start,
        blocked_end=blocked_end,
        exclusive=resource.quantity == 1,
        quantity=quantity,
        purpose=purpose,
        attendees=attendees,
        group=group,
        created_at=now,
    )
    if _confirmed_at_once(resource, organisation):
        booking.status = Booking.Status.CONFIRMED
        booking.decided_at = now
        _freeze_price(booking, now)
    else:
        booking.status = Booking.Status.PENDING
    return booking


def _after_request(booking: Booking, by: User) -> None:
    audit_record(
        actor=by,
        action="pooling.booking.request",
        target=booking,
        after=booking.status,
        scope=booking.organisation,
        data={"resource": booking.resource_id, "quantity": booking.quantity},
    )
    if booking.status == Booking.Status.CONFIRMED:
        ledger.record_confirmation(booking=booking, by=by)
    if booking.status == Booking.Status.PENDING:
        notify(
            approvers_of(booking.resource),
            kinds.REQUEST_RECEIVED,
            context=_context(
                booking,
                requester=by,
                queue_url=absolute_url(reverse("pooling:approvals")),
            ),
            target=booking,
        )


# --- Resource rule changes (registered with resources.rules) ------------------------
def resource_quantity_check(resource: Resource) -> None:
    """Refuse a quantity below the peak of future active bookings; re-flag them.

    Called by resources.services under the resource row lock.
    """
    now = timezone.now()
    future = Booking.objects.filter(
        resource=resource, status__in=Booking.ACTIVE_STATUSES, blocked_end__gt=now
    )
    intervals = [
        availability.Interval(s, e, q)
        for s, e, q in future.values_list("blocked_start", "blocked_end", "quantity")
    ]
    if intervals:
        horizon = max(i.end for i in intervals)
        peak = availability.peak_usage(intervals, now, horizon)
        if peak.quantity > resource.quantity:
            raise ValidationError(
                {
                    "quantity": _(
                        "%(n)d units are already booked at the same time "
                        "%(span)s: cancel bookings before lowering the quantity."
                    )
                    % {
                        "n": peak.quantity,
                        "span": availability.fmt_span(peak.start, peak.end),
                    }
                }
            )
    future.update(exclusive=resource.quantity == 1)
