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
from ..selectors import organisations_left_without_referent
from .people import LastReferentError, ensure_referents_remain


def user_data_export(*, user: User) -> dict[str, Any]:
    return {"exported_at": timezone.now().isoformat(), **personal_data.export_all(user)}


def organisations_blocking_erasure(user: User) -> list[Organisation]:
    """Structures where this person is the only référent."""
    return organisations_left_without_referent(leaving=user.memberships.all())


def _delete_sessions(user: User) -> None:
    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()


def _record_departures(user: User) -> None:
    """Each structure's history keeps that the person left.

    The person is then shown « Ancien·ne membre »."""
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
    try:
        ensure_referents_remain(leaving=user.memberships.all())
    except LastReferentError as error:
        raise ValidationError(
            _(
                "You are the only référent of %(names)s. Name another référent "
                "(or ask the coordinators to) before deleting your account."
            )
            % {"names": ", ".join(o.name for o in error.organisations)}
        ) from None
    _record_departures(user)
    personal_data.erase_all(user)
    user.erased_at = timezone.now()
    user.save(update_fields=["erased_at"])
    _delete_sessions(user)
    return user


ACCOUNT_FIELDS = ("first_name", "last_name", "job_title", "phone")


@transaction.atomic
def account_update(
    *, user: User, by: User, details: dict[str, str], visibility: dict[int, bool]
) -> User:
    """A person's own name, job title, phone and, per structure, directory visibility.

    `visibility` maps the person's own membership ids to shown/hidden; ids of others'
    memberships are ignored (never trusted from a form).
    """
    if by.pk != user.pk or not user.is_active:
        raise PermissionDenied
    changed = [name for name in ACCOUNT_FIELDS if getattr(user, name) != details[name]]
    for name in changed:
        setattr(user, name, details[name])
    if changed:
        user.full_clean(exclude=["password"], validate_unique=False)
        user.save(update_fields=changed)
        audit_record(
            actor=by,
            action="members.account.update",
            target=user,
            after=",".join(changed),
        )
    own = Membership.objects.select_for_update().filter(user=user, pk__in=visibility)
    for membership in own:
        if membership.show_in_directory != visibility[membership.pk]:
            membership.show_in_directory = visibility[membership.pk]
            membership.save(update_fields=["show_in_directory"])
            audit_record(
                actor=by,
                action="members.membership.visibility",
                target=membership,
                scope=membership.organisation,
                after="shown" if membership.show_in_directory else "hidden",
            )
    return user
