"""Invitations: a structure invites a person by e-mail; a signed link lets them join."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import email_enqueue
from ptce.identity import absolute_url
from ptce.services import audit_record

from .. import permissions
from ..models import Invitation, Membership, Organisation, User

INVITATION_SALT = "members.invitation"


class InvitationError(ValidationError):
    """An invitation link that cannot be used (tampered, expired, revoked, used)."""


def invitation_max_age() -> timedelta:
    return timedelta(days=getattr(settings, "MEMBERS_INVITATION_MAX_AGE_DAYS", 14))


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link points to, or InvitationError saying why not."""
    try:
        payload = signing.loads(
            token, salt=INVITATION_SALT, max_age=invitation_max_age()
        )
    except signing.SignatureExpired:
        raise InvitationError(
            _(
                "This invitation has expired. Ask the référent of the structure "
                "to send you a new one."
            ),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise InvitationError(
            _("This invitation link is not valid: check that it was copied in full."),
            code="invalid",
        ) from None
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(pk=payload.get("invitation"))
        .first()
    )
    if invitation is None or invitation.revoked_at:
        raise InvitationError(
            _("This invitation has been withdrawn by the structure."), code="revoked"
        )
    if invitation.accepted_at:
        raise InvitationError(
            _("This invitation has already been accepted."), code="accepted"
        )
    if invitation.organisation.status != Organisation.Status.MEMBER:
        raise InvitationError(
            _("This structure is no longer a member of the PTCE."), code="organisation"
        )
    return invitation


def wrong_address_message(invitation: Invitation) -> str:
    return _(
        "This invitation was sent to %(email)s: log in with the account of that "
        "address, or create one with it."
    ) % {"email": invitation.email}


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, by: User, email: str, role: str
) -> Invitation:
    if not permissions.can_invite(by, organisation):
        raise PermissionDenied
    email = email.strip()
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email
    ).exists():
        raise ValidationError(_("This person already acts for the structure."))
    if Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        created_at__gt=timezone.now() - invitation_max_age(),
    ).exists():
        raise ValidationError(
            _("An invitation is already waiting for this address: revoke it first.")
        )
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=by
    )
    audit_record(
        actor=by,
        action="members.invitation.send",
        target=invitation,
        scope=organisation,
        after=invitation.role,
    )
    path = reverse("members:invitation_accept", args=[invitation_token(invitation)])
    email_enqueue(
        to=email,
        template_prefix="members/email/invitation",
        context={
            "invitation": invitation,
            "organisation": organisation,
            "inviter": by,
            "role": invitation.get_role_display(),
            "accept_url": absolute_url(path),
            "max_age_days": invitation_max_age().days,
        },
        kind="members.invitation",
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    if not permissions.can_revoke_invitation(by, invitation):
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation can no longer be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=by,
        action="members.invitation.revoke",
        target=invitation,
        scope=invitation.organisation,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, by: User) -> Membership:
    invitation = invitation_from_token(token)
    # Re-read under lock: two clicks on the same link must create one membership.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationError(_("This invitation can no longer be used."))
    if not permissions.is_invitation_addressee(by, invitation):
        raise InvitationError(wrong_address_message(invitation), code="address")
    membership, created = Membership.objects.get_or_create(
        user=by,
        organisation=invitation.organisation,
        defaults={"role": invitation.role},
    )
    before = "" if created else membership.role
    if not created and invitation.role == Membership.Role.REFERENT:
        membership.role = Membership.Role.REFERENT
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = by
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=by,
        action="members.invitation.accept",
        target=invitation,
        scope=invitation.organisation,
        before=before,
        after=membership.role,
        data={"person": by.pk},
    )
    permissions.forget_cached_roles(by)
    return membership
