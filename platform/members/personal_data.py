"""What members holds about a person, for the RGPD export and the erasure.

Registered with ptce.personal_data (see its contract). Erasers run from high to low
order: the addresses other erasers match on are deleted last, then the profile.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet

from ptce.personal_data import register, user_addresses

from .models import Invitation, Organisation, User


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _export_profile(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "job_title": user.job_title,
        "phone": user.phone,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }


def _erase_profile(user: User) -> None:
    user.groups.clear()
    user.user_permissions.clear()
    user.first_name = user.last_name = user.job_title = user.phone = ""
    user.email = f"ancien-membre-{user.pk}@invalid"
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.save()


def _export_email_addresses(user: User) -> list[dict[str, Any]]:
    return [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user)
    ]


def _erase_email_addresses(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()


def _export_memberships(user: User) -> list[dict[str, Any]]:
    return [
        {
            "organisation": m.organisation.name,
            "role": m.role,
            "show_in_directory": m.show_in_directory,
            "since": _iso(m.created_at),
        }
        for m in user.memberships.select_related("organisation")
    ]


def _erase_memberships(user: User) -> None:
    user.memberships.all().delete()


def _export_applications(user: User) -> list[dict[str, Any]]:
    return [
        {"organisation": o.name, "status": o.status, "sent_at": _iso(o.created_at)}
        for o in Organisation.objects.filter(applied_by=user)
    ]


def _keep(user: User) -> None:
    """Shared records stay, their author shown as « Ancien·ne membre »."""


def _export_join_requests(user: User) -> list[dict[str, Any]]:
    return [
        {
            "organisation": r.organisation.name,
            "message": r.message,
            "status": r.status,
            "sent_at": _iso(r.created_at),
            "decided_at": _iso(r.decided_at),
        }
        for r in user.join_requests.select_related("organisation")
    ]


def _erase_join_requests(user: User) -> None:
    # Their own requests go; requests they decided for a structure stay.
    user.join_requests.all().delete()


def _export_invitation(invitation: Invitation) -> dict[str, Any]:
    return {
        "organisation": invitation.organisation.name,
        "email": invitation.email,
        "role": invitation.role,
        "sent_at": _iso(invitation.created_at),
        "accepted_at": _iso(invitation.accepted_at),
        "revoked_at": _iso(invitation.revoked_at),
    }


def _export_invitations_sent(user: User) -> list[dict[str, Any]]:
    invitations = Invitation.objects.filter(invited_by=user)
    return [_export_invitation(i) for i in invitations.select_related("organisation")]


def _invitations_received(user: User) -> QuerySet[Invitation]:
    query = Q(accepted_by=user)
    for address in user_addresses(user):
        query |= Q(email__iexact=address)
    return Invitation.objects.filter(query)


def _export_invitations_received(user: User) -> list[dict[str, Any]]:
    invitations = _invitations_received(user).select_related("organisation")
    return [_export_invitation(i) for i in invitations]


def _erase_invitations_received(user: User) -> None:
    _invitations_received(user).filter(accepted_at__isnull=True).delete()
    _invitations_received(user).update(email="")


register(
    key="profile",
    models=(),
    export=_export_profile,
    erase=_erase_profile,
    order=10,
)
register(
    key="email_addresses",
    models=("account.EmailAddress",),
    export=_export_email_addresses,
    erase=_erase_email_addresses,
    order=20,
)
register(
    key="memberships",
    models=("members.Membership",),
    export=_export_memberships,
    erase=_erase_memberships,
    order=30,
)
register(
    key="applications",
    models=("members.Organisation",),
    export=_export_applications,
    erase=_keep,
    order=35,
)
register(
    key="join_requests",
    models=("members.JoinRequest",),
    export=_export_join_requests,
    erase=_erase_join_requests,
    order=40,
)
register(
    key="invitations_sent",
    models=("members.Invitation",),
    export=_export_invitations_sent,
    erase=_keep,
    order=50,
)
register(
    key="invitations_received",
    models=("members.Invitation",),
    export=_export_invitations_received,
    erase=_erase_invitations_received,
    order=60,
)
