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


# The resources a person manages, cached per person (ptce.personcache, read with the
# page's other per-person values): forgotten when a ResourceManager row is saved or
# deleted (ResourcesConfig.ready) and by set_managers' bulk_create.
MANAGED = "resources-managed"


def _managed_from_db(user) -> frozenset[int]:
    return frozenset(
        ResourceManager.objects.filter(user=user).values_list("resource_id", flat=True)
    )


def managed_ids(user) -> set[int]:
    # Cached on the user object: a page asks for many resources.
    cache = user.__dict__.get("_resources_managed")
    if cache is None:
        cache = set(_managed_from_db(user))
        user.__dict__["_resources_managed"] = cache
    return cache


def request_managed_ids(request) -> set[int]:
    """managed_ids of the request's person, from the per-person cache (no query on a
    hit); it also primes managed_ids for the rest of the request."""
    user = request.user
    cache = user.__dict__.get("_resources_managed")
    if cache is None:
        if not _signed_in(user):
            return set()
        from ptce.personcache import request_value

        cache = set(request_value(request, MANAGED, lambda: _managed_from_db(user)))
        user.__dict__["_resources_managed"] = cache
    return cache


def managed_forget(person_pks) -> None:
    from ptce.personcache import person_forget

    person_forget(MANAGED, person_pks)


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
