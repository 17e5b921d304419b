"""Who may manage the catalogue; pooling.permissions builds the booking rules on these.

A resource's approvers are its owner structure's référents and the resource managers
they named; coordinators manage every resource.
"""

from __future__ import annotations

from members.models import Organisation
from members.permissions import is_coordinator, is_referent

from .models import Resource, ResourceManager


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def managed_ids(user) -> set[int]:
    # Cached on the user object: a page asks for many resources.
    cache = user.__dict__.get("_resources_managed")
    if cache is None:
        cache = set(
            ResourceManager.objects.filter(user=user).values_list(
                "resource_id", flat=True
            )
        )
        user.__dict__["_resources_managed"] = cache
    return cache


def forget_cached(user) -> None:
    user.__dict__.pop("_resources_managed", None)


def is_resource_manager(user, resource: Resource) -> bool:
    return _signed_in(user) and resource.pk in managed_ids(user)


def is_approver(user, resource: Resource) -> bool:
    return _signed_in(user) and (
        is_referent(user, resource.owner) or is_resource_manager(user, resource)
    )


def can_view_resource(user, resource: Resource) -> bool:
    if resource.status != Resource.Status.WITHDRAWN:
        return True
    return can_manage_resource(user, resource)


def can_create_resource(user, organisation: Organisation) -> bool:
    return organisation.status == Organisation.Status.MEMBER and (
        is_referent(user, organisation) or is_coordinator(user)
    )


def can_manage_resource(user, resource: Resource) -> bool:
    """Edit the description, rules, hours, closures, price; pause or withdraw."""
    return is_approver(user, resource) or is_coordinator(user)


def can_name_managers(user, resource: Resource) -> bool:
    return is_referent(user, resource.owner) or is_coordinator(user)
