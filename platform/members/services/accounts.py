"""A person's account as a whole: the RGPD export and the erasure.

Each app's part is registered in its `personal_data.py` (members/personal_data.py for
what members holds); these services only check the rules and call them all.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ptce import personal_data
from ptce.services import audit_record

from ..models import Membership, Organisation, User


def user_data_export(*, user: User) -> dict[str, Any]:
    return {"exported_at": timezone.now().isoformat(), **personal_data.export_all(user)}


def organisations_blocking_erasure(user: User) -> list[Organisation]:
    """Structures where this person is the only référent."""
    blocking = []
    referent_of = Membership.objects.filter(
        user=user, role=Membership.Role.REFERENT
    ).select_related("organisation")
    for membership in referent_of:
        others = Membership.objects.filter(
            organisation=membership.organisation, role=Membership.Role.REFERENT
        ).exclude(user=user)
        if not others.exists():
            blocking.append(membership.organisation)
    return blocking


def _lock_organisations_of_referent(user: User) -> None:
    # As _lock_referents does: two référents erasing their accounts (or one erasing
    # while demoting the other) at once must not leave a structure without any.
    referent_of = Membership.objects.filter(user=user, role=Membership.Role.REFERENT)
    list(
        Organisation.objects.select_for_update()
        .filter(pk__in=referent_of.values("organisation"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _delete_sessions(user: User) -> None:
    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()


def _record_departures(user: User) -> None:
    """Each structure's history keeps that the person left (shown « Ancien membre »)."""
    for membership in user.memberships.select_related("organisation", "user"):
        audit_record(
            actor=user,
            action="members.membership.erase",
            target=membership,
            scope=membership.organisation,
            before=membership.role,
            data={"person": user.pk},
        )
    audit_record(
        actor=user,
        action="members.account.erase",
        target=user,
        data={"person": user.pk},
    )


@transaction.atomic
def user_erase(*, user: User, by: User) -> User:
    """Erase personal data but keep the row, so their writings keep an author."""
    if by.pk != user.pk:
        raise PermissionDenied
    _lock_organisations_of_referent(user)
    blocking = organisations_blocking_erasure(user)
    if blocking:
        raise ValidationError(
            _(
                "You are the only référent of %(names)s. Name another référent "
                "(or ask the coordinators to) before deleting your account."
            )
            % {"names": ", ".join(o.name for o in blocking)}
        )
    _record_departures(user)
    personal_data.erase_all(user)
    user.erased_at = timezone.now()
    user.save(update_fields=["erased_at"])
    _delete_sessions(user)
    return user
