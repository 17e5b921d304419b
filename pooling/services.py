"""Every write on bookings, with its rules: request, decide, cancel, change, expire,
remind.

A request locks the rows of the resources it books (in id order, so two sets never
deadlock), loads the bookings that overlap under that lock, and checks them with the
availability engine: for a pooled quantity the peak of simultaneous use, never the
plain sum. On PostgreSQL the exclusion constraint on single-unit resources backs this
up; on SQLite the whole transaction holds the database's write lock (IMMEDIATE).
Nothing is written when any part is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Membership, Organisation, User
from notifications.services import notify
from ptce.dates import day_format
from ptce.identity import absolute_url
from ptce.personcache import person_forget
from ptce.services import audit_record
from resources.models import Resource, ResourceManager

from . import availability, kinds, permissions, quotas, selectors
from .availability import Code, Problem
from .ledger import services as ledger
from .models import Booking
from .pricing import quote

MAX_TEXT = 2000
MAX_PURPOSE = 300
# Undecided requests expire this long before their start.
EXPIRY_LEAD = timedelta(hours=1)
REMINDER_LEAD = timedelta(hours=24)


class BookingRefused(ValidationError):
    """A request that breaks a rule or clashes; `problems` say which and why."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__([p.message for p in self.problems], code=self.problems[0].code)


@dataclass(frozen=True)
class Part:
    """One line of a request: a resource and how many of its units."""

    resource: Resource
    quantity: int = 1


# --- Recipients ----------------------------------------------------------------------
def approvers_of(resource: Resource) -> list[User]:
    """The owner's référents and the resource's managers."""
    return list(
        User.objects.filter(is_active=True, erased_at__isnull=True)
        .filter(
            Q(
                memberships__organisation_id=resource.owner_id,
                memberships__role=Membership.Role.REFERENT,
            )
            | Q(pk__in=resource.manager_links.values("user_id"))
        )
        .distinct()
    )


def pending_counts_forget(resource_id: int) -> None:
    """The header's « requests awaiting my decision » of this resource's approvers is
    cached per person (ptce.personcache): forget it when a request comes or goes."""
    person_forget(
        selectors.PENDING_COUNT,
        User.objects.filter(
            Q(
                memberships__organisation__resources__pk=resource_id,
                memberships__role=Membership.Role.REFERENT,
            )
            | Q(
                pk__in=ResourceManager.objects.filter(resource_id=resource_id).values(
                    "user_id"
                )
            )
        ).values_list("pk", flat=True),
    )


def _booker_side(booking: Booking) -> list[User]:
    if booking.booked_by and booking.booked_by.is_active:
        return [booking.booked_by]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=booking.organisation_id,
            memberships__role=Membership.Role.REFERENT,
        )
    )


def _context(booking: Booking, **extra) -> dict:
    return {
        "booking": booking,
        "resource": booking.resource,
        "organisation": booking.organisation,
        "span": availability.fmt_span(booking.start, booking.end),
        "booking_url": absolute_url(booking.get_absolute_url()),
        **extra,
    }


# --- Request -------------------------------------------------------------------------
def _clean_text(value: str, limit: int, label: str) -> str:
    value = (value or "").replace("\x00", "").strip()
    if len(value) > limit:
        raise ValidationError(
            _("%(label)s: %(n)d characters at most.") % {"label": label, "n": limit}
        )
    return value


def _check_attendees(attendees: int | None) -> None:
    if attendees is not None and not 0 <= attendees <= 100_000:
        raise ValidationError(_("Give a number of people between 0 and 100,000."))


def _lock(resources: Iterable[Resource]) -> dict[int, Resource]:
    ids = sorted({resource.pk for resource in resources})
    locked = (
        Resource.objects.select_for_update(of=("self",))
        .select_related("owner")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    return {resource.pk: resource for resource in locked}


def _confirmed_at_once(resource: Resource, organisation: Organisation) -> bool:
    return not resource.approval_required or organisation.pk == resource.owner_id


def _freeze_price(booking: Booking, now: datetime) -> None:
    price = quote(booking.resource, booking.start, booking.end, booking.quantity)
    booking.priced_at = now
    booking.price_unit = price.price_unit
    booking.unit_price = price.unit_price
    booking.price_units = price.units
    booking.amount_excl_vat = price.amount_excl_vat
    booking.vat_regime = price.vat_regime
    booking.vat_rate = price.vat_rate
    booking.vat_amount = price.vat_amount


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
    # Requests are bulk-created (no post_save): the approvers' header counts, once
    # per resource whose requests wait for a decision.
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


# --- Decide --------------------------------------------------------------------------
def _locked_booking(booking: Booking) -> Booking:
    # Same lock order as requests: the resource row first, then the booking.
    Resource.objects.select_for_update(of=("self",)).filter(
        pk=booking.resource_id
    ).exists()
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("resource__owner", "organisation", "booked_by")
        .get(pk=booking.pk)
    )


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


PRICE_FIELDS = [
    "priced_at",
    "price_unit",
    "unit_price",
    "price_units",
    "amount_excl_vat",
    "vat_regime",
    "vat_rate",
    "vat_amount",
]


def _clear_price(booking: Booking) -> None:
    booking.priced_at = booking.unit_price = booking.price_units = None
    booking.amount_excl_vat = booking.vat_rate = booking.vat_amount = None
    booking.price_unit = booking.vat_regime = ""


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


# --- Periodic ------------------------------------------------------------------------
def bookings_expire(*, now: datetime | None = None) -> int:
    """Expire requests nobody decided before their start; tell the requester."""
    now = now or timezone.now()
    ids = list(
        Booking.objects.filter(
            status=Booking.Status.PENDING, start__lte=now + EXPIRY_LEAD
        ).values_list("pk", flat=True)
    )
    return sum(booking_expire(booking_id=pk, now=now) for pk in ids)


@transaction.atomic
def booking_expire(*, booking_id: int, now: datetime) -> bool:
    booking = _locked_booking(
        Booking(pk=booking_id, resource_id=_resource_of(booking_id))
    )
    if booking.status != Booking.Status.PENDING:
        return False
    booking.status = Booking.Status.EXPIRED
    booking.save(update_fields=["status"])
    audit_record(
        actor=None,
        action="pooling.booking.expire",
        target=booking,
        before=Booking.Status.PENDING,
        after=booking.status,
        scope=booking.organisation,
    )
    notify(
        _booker_side(booking),
        kinds.REQUEST_EXPIRED,
        context=_context(booking),
        target=booking,
    )
    return True


def _resource_of(booking_id: int) -> int:
    return Booking.objects.values_list("resource_id", flat=True).get(pk=booking_id)


def booking_reminders_send(*, now: datetime | None = None) -> int:
    """Remind bookers the day before; each booking once (reminded_at)."""
    now = now or timezone.now()
    ids = list(
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            reminded_at__isnull=True,
            start__gt=now,
            start__lte=now + REMINDER_LEAD,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("resource__owner", "organisation", "booked_by")
                .get(pk=pk)
            )
            if booking.reminded_at or booking.status != Booking.Status.CONFIRMED:
                continue
            booking.reminded_at = now
            booking.save(update_fields=["reminded_at"])
            notify(
                _booker_side(booking),
                kinds.BOOKING_REMINDER,
                context=_context(booking),
                target=booking,
            )
            sent += 1
    return sent


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
