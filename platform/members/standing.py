"""A signed-in person's standing among the member structures, cached per person.

What a structure's profile needs to know about the viewer (their role in it, a
pending join request, whether they coordinate) and what « Mon espace » lists (their
structures, requests and applications) is one small value per person
(`ptce.personcache`), read with the header's other values in one round trip: a
cache hit costs no query. It is forgotten, now and at commit, whenever what it holds
changes (`connect_forgetting`, from MembersConfig.ready()):

- a membership or a join request saved or deleted: its person's;
- a structure saved or deleted (name, slug, status): its members', the people
  with a request to it, and its applicant's;
- the Coordinateurs group gaining or losing people (`groups.add/remove/set/clear`
  on either side), or deleted: those people's.

Writes that send no signal (`QuerySet.update()`, `bulk_create()`) must call
`standing_forget()` themselves; the time-out bounds what one forgotten write costs.
The superuser and active flags are not in it: they come from the person's row, read
on every request anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ptce.personcache import forget_when_groups_change, person_forget, request_value

STANDING = "members-standing"
# A visitor's or an inactive account's.
NO_STANDING: dict[str, Any] = {
    "roles": {},
    "memberships": (),
    "join_requests": (),
    "applications": (),
    "coordinators_group": False,
}


def person_standing(user: Any) -> dict[str, Any]:
    """Computed from the database: 4 small queries (a cache miss only)."""
    from .models import JoinRequest, Organisation
    from .permissions import COORDINATORS_GROUP

    memberships = tuple(
        user.memberships.order_by(
            "organisation__name_sort", "organisation__name"
        ).values_list(
            "organisation_id",
            "role",
            "organisation__name",
            "organisation__slug",
            "organisation__status",
        )
    )
    join_requests = tuple(
        user.join_requests.filter(status=JoinRequest.Status.PENDING)
        .order_by("-created_at")
        .values_list("organisation_id", "organisation__name", "created_at")
    )
    applications = tuple(
        Organisation.objects.filter(applied_by=user, status=Organisation.Status.APPLIED)
        .order_by("-created_at")
        .values_list("name", "slug", "created_at")
    )
    return {
        "roles": {row[0]: row[1] for row in memberships},
        "memberships": memberships,
        "join_requests": join_requests,
        "applications": applications,
        "coordinators_group": user.groups.filter(name=COORDINATORS_GROUP).exists(),
    }


def request_standing(request) -> dict[str, Any] | None:
    """The request's person's standing (None for a visitor); it also primes
    `members.permissions` for them, so that its checks cost no query."""
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return None
    standing = request_value(request, STANDING, lambda: person_standing(user))
    from .permissions import prime

    prime(user, standing)
    return standing


def standing_forget(person_pks: Iterable[Any]) -> None:
    person_forget(STANDING, [pk for pk in person_pks if pk is not None])


# --- what forgets it ---------------------------------------------------------------
def _person_changed(sender, instance, **kwargs) -> None:
    standing_forget([instance.user_id])


def _organisation_changed(sender, instance, **kwargs) -> None:
    from .models import JoinRequest, Membership

    people = {instance.applied_by_id}
    if instance.pk is not None:
        people.update(
            Membership.objects.filter(organisation_id=instance.pk).values_list(
                "user_id", flat=True
            )
        )
        people.update(
            JoinRequest.objects.filter(
                organisation_id=instance.pk, status=JoinRequest.Status.PENDING
            ).values_list("user_id", flat=True)
        )
    standing_forget(people)


def connect_forgetting() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import JoinRequest, Membership, Organisation

    for model, handler in (
        (Membership, _person_changed),
        (JoinRequest, _person_changed),
        (Organisation, _organisation_changed),
    ):
        uid = f"members-standing-{model._meta.label_lower}"
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}-s")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}-d")
    forget_when_groups_change(STANDING)
