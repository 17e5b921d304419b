"""What every booking write shares: the refusal, a request's parts, who hears of
it, text checks, the row locks and the price frozen at confirmation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from members.models import Membership, Organisation, User
from ptce.identity import absolute_url
from ptce.personcache import person_forget
from resources.models import Resource, ResourceManager

from .. import availability, selectors
from ..availability import Problem
from ..models import Booking
from ..pricing import quote

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


# --- Shared by requests, decisions and changes ----------------------------------
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
