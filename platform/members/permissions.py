"""Who may do what with member structures; used by views, templates and services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ptce.roles import COORDINATORS, MODERATORS

from .models import JoinRequest, Membership, Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import Invitation, User

# The groups are built from every app's roles.py (ptce.roles).
COORDINATORS_GROUP = COORDINATORS
MODERATORS_GROUP = MODERATORS


def _is_signed_in(user: User | AnonymousUser | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _in_group(user: User, name: str) -> bool:
    # Cached on the user object: templates ask several times per page.
    cache = user.__dict__.setdefault("_members_group_cache", {})
    if name not in cache:
        cache[name] = user.groups.filter(name=name).exists()
    return cache[name]


def is_coordinator(user: User | AnonymousUser | None) -> bool:
    if not _is_signed_in(user):
        return False
    return user.is_superuser or _in_group(user, COORDINATORS_GROUP)


def is_moderator(user: User | AnonymousUser | None) -> bool:
    if not _is_signed_in(user):
        return False
    return is_coordinator(user) or _in_group(user, MODERATORS_GROUP)


def _role_in(user: User, organisation: Organisation) -> str | None:
    roles = user.__dict__.get("_members_roles")
    if roles is not None:  # primed from the person's cached standing
        return roles.get(organisation.pk)
    cache = user.__dict__.setdefault("_members_role_cache", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            Membership.objects.filter(user=user, organisation=organisation)
            .values_list("role", flat=True)
            .first()
        )
    return cache[organisation.pk]


def forget_cached_roles(user: User) -> None:
    """Call after changing a person's memberships in the same request."""
    user.__dict__.pop("_members_role_cache", None)
    user.__dict__.pop("_members_roles", None)


def prime(user: User, standing: dict) -> None:
    """Answer this request's role and coordinator checks from the person's cached
    standing (members.standing) instead of a query each."""
    user.__dict__["_members_roles"] = standing["roles"]
    groups = user.__dict__.setdefault("_members_group_cache", {})
    groups[COORDINATORS_GROUP] = standing["coordinators_group"]


def is_member_of(user: User | AnonymousUser | None, organisation: Organisation) -> bool:
    return _is_signed_in(user) and _role_in(user, organisation) is not None


def is_referent(user: User | AnonymousUser | None, organisation: Organisation) -> bool:
    return (
        _is_signed_in(user) and _role_in(user, organisation) == Membership.Role.REFERENT
    )


def is_pending_applicant(
    user: User | AnonymousUser | None, organisation: Organisation
) -> bool:
    """Whoever applied for a structure still under review.

    They manage its public profile meanwhile (the coordinators read it to decide);
    an applied structure has no people, requests or invitations to manage yet.
    """
    return (
        _is_signed_in(user)
        and organisation.status == Organisation.Status.APPLIED
        and organisation.applied_by_id == user.pk
    )


def can_manage_organisation(
    user: User | AnonymousUser | None, organisation: Organisation
) -> bool:
    return (
        is_referent(user, organisation)
        or is_coordinator(user)
        or is_pending_applicant(user, organisation)
    )


def can_invite(user: User | AnonymousUser | None, organisation: Organisation) -> bool:
    # Inviting into a structure that is not (yet) a member would bypass the application.
    return (
        organisation.status == Organisation.Status.MEMBER
        and can_manage_organisation(user, organisation)
    )


def can_revoke_invitation(
    user: User | AnonymousUser | None, invitation: Invitation
) -> bool:
    return can_manage_organisation(user, invitation.organisation)


def is_invitation_addressee(
    user: User | AnonymousUser | None, invitation: Invitation
) -> bool:
    """Whether the invited address is one of this account's verified addresses.

    A link may be forwarded or leak: holding it is not being the person invited.
    """
    from allauth.account.models import EmailAddress  # loaded once apps are ready

    return _is_signed_in(user) and (
        EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
    )


def can_request_to_join(
    user: User | AnonymousUser | None, organisation: Organisation
) -> bool:
    return (
        _is_signed_in(user)
        and organisation.status == Organisation.Status.MEMBER
        and not is_member_of(user, organisation)
    )


def can_decide_join_request(
    user: User | AnonymousUser | None, join_request: JoinRequest
) -> bool:
    return join_request.status == JoinRequest.Status.PENDING and (
        can_manage_organisation(user, join_request.organisation)
    )


def can_apply_for_organisation(user: User | AnonymousUser | None) -> bool:
    return _is_signed_in(user)


def can_decide_application(
    user: User | AnonymousUser | None, organisation: Organisation
) -> bool:
    return organisation.status == Organisation.Status.APPLIED and is_coordinator(user)


def can_view_applications(user: User | AnonymousUser | None) -> bool:
    return is_coordinator(user)
