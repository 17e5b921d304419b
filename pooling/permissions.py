"""Who may do what with shared resources and bookings; used by views, templates,
services and the admin alike.

Approvers of a resource are its owner structure's référents and the resource managers
they named. Coordinators see everything and may cancel, but the decision to lend a
resource stays with its owner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import CharField, Q, Value
from django.utils import timezone

from members.models import Membership, Organisation, User
from members.permissions import (
    COORDINATORS_GROUP,
    is_coordinator,
    is_member_of,
    is_referent,
)
from resources.models import Resource, ResourceManager
from resources.permissions import (  # noqa: F401 (re-exported: one place to ask)
    can_create_resource,
    can_manage_resource,
    can_name_managers,
    can_view_resource,
    forget_cached,
    is_approver,
    is_resource_manager,
    managed_ids,
)

if TYPE_CHECKING:
    from .models import Booking


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


_managed_ids = managed_ids


# --- Bookings ------------------------------------------------------------------------
def can_book_for(user, organisation: Organisation) -> bool:
    """Act for `organisation` when booking: any person of a member structure."""
    return organisation.status == Organisation.Status.MEMBER and is_member_of(
        user, organisation
    )


def bookable_organisations(user) -> list[Organisation]:
    if not _signed_in(user):
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user, status=Organisation.Status.MEMBER
        ).order_by("name")
    )


def can_see_details(user, booking: Booking) -> bool:
    """Who booked and why: the booker's and the owner's people, and coordinators."""
    if not _signed_in(user):
        return False
    return (
        booking.booked_by_id == user.pk
        or is_member_of(user, booking.organisation)
        or is_member_of(user, booking.resource.owner)
        or is_resource_manager(user, booking.resource)
        or is_coordinator(user)
    )


def details_checker(user):
    """can_see_details for many bookings, in one query whatever their number."""
    if not _signed_in(user):
        return lambda booking: False
    if user.is_superuser:
        return lambda booking: True
    mine, managed, coordinator = _viewer_facts(user)
    if coordinator:
        return lambda booking: True
    return lambda booking: sees_details(
        user.pk,
        mine,
        managed,
        booked_by_id=booking.booked_by_id,
        organisation_id=booking.organisation_id,
        owner_id=booking.resource.owner_id,
        resource_id=booking.resource_id,
    )


def sees_details(
    user_pk, mine, managed, *, booked_by_id, organisation_id, owner_id, resource_id
) -> bool:
    """The rule of can_see_details for a person who is not a coordinator, given
    their structures (`mine`) and the resources they manage (`managed`)."""
    return (
        booked_by_id == user_pk
        or organisation_id in mine
        or owner_id in mine
        or resource_id in managed
    )


def request_viewer_facts(request) -> tuple[set[int], set[int], bool] | None:
    """(structures, managed resources, sees everything?) of the request's person,
    from their cached standing and managed resources: no query on a hit. None for a
    visitor or an inactive account (who sees no details)."""
    user = request.user
    if not _signed_in(user):
        return None
    from members.standing import request_standing
    from resources.permissions import request_managed_ids

    standing = request_standing(request)
    everything = user.is_superuser or standing["coordinators_group"]
    return set(standing["roles"]), request_managed_ids(request), everything


def _viewer_facts(user) -> tuple[set[int], set[int], bool]:
    """(structures of `user`, resources they manage, coordinator?) in one query.

    Seeds the per-user caches of members.permissions (coordinator) and
    resources.permissions (managed resources), so later checks on the page are free.
    """
    kind = CharField()
    memberships = Membership.objects.filter(user_id=user.pk).values_list(
        "organisation_id", Value("m", output_field=kind)
    )
    managers = ResourceManager.objects.filter(user_id=user.pk).values_list(
        "resource_id", Value("r", output_field=kind)
    )
    groups = User.groups.through.objects.filter(
        user_id=user.pk, group__name=COORDINATORS_GROUP
    ).values_list("group_id", Value("c", output_field=kind))
    mine, managed, coordinator = set(), set(), False
    for pk, what in memberships.union(managers, groups, all=True):
        if what == "m":
            mine.add(pk)
        elif what == "r":
            managed.add(pk)
        else:
            coordinator = True
    user.__dict__.setdefault("_members_group_cache", {})[COORDINATORS_GROUP] = (
        coordinator
    )
    user.__dict__["_resources_managed"] = managed
    return mine, managed, coordinator


def can_view_booking(user, booking: Booking) -> bool:
    return can_see_details(user, booking)


def can_decide(user, booking: Booking) -> bool:
    return booking.status == booking.Status.PENDING and is_approver(
        user, booking.resource
    )


def can_cancel(user, booking: Booking) -> bool:
    if not booking.is_active or booking.end <= timezone.now():
        return False
    return _either_side(user, booking)


def _either_side(user, booking: Booking) -> bool:
    """The booker and their structure's référents, the owner's approvers, the
    coordinators."""
    return (
        booking.booked_by_id == getattr(user, "pk", None)
        and _signed_in(user)
        or is_referent(user, booking.organisation)
        or is_approver(user, booking.resource)
        or is_coordinator(user)
    )


def can_change(user, booking: Booking, *, now=None) -> bool:
    """Change times, quantity, purpose or people of an active booking not yet begun:
    the booker and their structure's référents, the owner's approvers, coordinators
    (the same people as for cancelling)."""
    if not booking.is_active or booking.start <= (now or timezone.now()):
        return False
    return _either_side(user, booking)


def is_booker_side(user, booking: Booking) -> bool:
    return booking.booked_by_id == getattr(user, "pk", None) or is_member_of(
        user, booking.organisation
    )


def approver_resource_ids(user) -> set[int] | None:
    """Resources whose requests `user` decides (None: not signed in)."""
    if not _signed_in(user):
        return None
    referent_of = Membership.objects.filter(
        user=user, role=Membership.Role.REFERENT
    ).values("organisation_id")
    managed = ResourceManager.objects.filter(user=user).values("resource_id")
    # One query: the resources are few (a sub-select each, no join to multiply).
    return set(
        Resource.objects.filter(Q(owner_id__in=referent_of) | Q(pk__in=managed))
        .order_by()
        .values_list("pk", flat=True)
    )


# approver_resource_ids cached per person (ptce.personcache, read with the header's
# values); pooling.apps forgets it when a membership, a resource manager or a
# resource changes.
APPROVER_RESOURCES = "pooling-approver-resources"


def request_approver_resource_ids(request) -> frozenset[int] | None:
    """approver_resource_ids of the request's person, from their cached values."""
    from ptce.personcache import request_value

    user = request.user
    if not _signed_in(user):
        return None
    return request_value(
        request, APPROVER_RESOURCES, lambda: frozenset(approver_resource_ids(user))
    )
