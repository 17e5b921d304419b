"""Every write on member structures and people, with its business rules.

Services check permissions first, run in one transaction and enqueue notifications
through notifications.services (an outbox written in the same transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from notifications.selectors import user_notifications_export
from notifications.services import email_enqueue, notify, user_notifications_erase

from . import permissions
from .models import Invitation, JoinRequest, Membership, Organisation, User
from .permissions import COORDINATORS_GROUP

INVITATION_SALT = "members.invitation"


class InvitationError(ValidationError):
    """An invitation link that cannot be used (tampered, expired, revoked, used)."""


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def coordinators() -> list[User]:
    return list(
        User.objects.filter(is_active=True, erased_at__isnull=True)
        .filter(Q(is_superuser=True) | Q(groups__name=COORDINATORS_GROUP))
        .distinct()
    )


def organisation_referents(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=Membership.Role.REFERENT,
        )
    )


# --- Structure applications


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "structure"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_apply(*, by: User, data: dict[str, Any]) -> Organisation:
    if not permissions.can_apply_for_organisation(by):
        raise PermissionDenied
    organisation = Organisation(**data)
    organisation.slug = _unique_slug(organisation.name)
    organisation.status = Organisation.Status.APPLIED
    organisation.applied_by = by
    organisation.full_clean()
    organisation.save()
    notify(
        coordinators(),
        "members.organisation_application",
        context={
            "organisation": organisation,
            "applicant": by,
            "applications_url": absolute_url(reverse("members:applications")),
        },
    )
    return organisation


@transaction.atomic
def organisation_application_decide(
    *, organisation: Organisation, by: User, accept: bool, reason: str = ""
) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not permissions.can_decide_application(by, organisation):
        raise PermissionDenied
    if accept:
        organisation.status = Organisation.Status.MEMBER
        organisation.joined_at = timezone.now()
    else:
        organisation.status = Organisation.Status.DECLINED
    organisation.decision_note = reason
    organisation.save(update_fields=["status", "joined_at", "decision_note"])
    applicant = organisation.applied_by
    if accept and applicant and applicant.is_active:
        Membership.objects.update_or_create(
            user=applicant,
            organisation=organisation,
            defaults={"role": Membership.Role.REFERENT},
        )
    if applicant and applicant.is_active:
        notify(
            [applicant],
            "members.organisation_application_decided",
            context={
                "organisation": organisation,
                "accepted": accept,
                "reason": reason,
                "dashboard_url": absolute_url(reverse("members:dashboard")),
            },
            target=organisation if accept else None,
        )
    return organisation


# --- Structure profile and people


@transaction.atomic
def organisation_update_profile(
    *, organisation: Organisation, by: User, data: dict[str, Any]
) -> Organisation:
    if not permissions.can_manage_organisation(by, organisation):
        raise PermissionDenied
    for name, value in data.items():
        # save_form_data understands a cleared file input (False) as "no logo".
        Organisation._meta.get_field(name).save_form_data(organisation, value)
    organisation.full_clean()
    organisation.save()
    return organisation


def _lock_referents(organisation: Organisation) -> int:
    # Lock the structure row so two référents demoting each other at once cannot
    # both succeed and leave the structure without any.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    return Membership.objects.filter(
        organisation=organisation, role=Membership.Role.REFERENT
    ).count()


def _ensure_not_last_referent(membership: Membership) -> None:
    if membership.role != Membership.Role.REFERENT:
        return
    if _lock_referents(membership.organisation) <= 1:
        raise ValidationError(
            _(
                "%(organisation)s must keep at least one référent: name another "
                "référent first."
            )
            % {"organisation": membership.organisation.name}
        )


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    by: User,
    role: str,
    show_in_directory: bool,
) -> Membership:
    if not permissions.can_manage_organisation(by, membership.organisation):
        raise PermissionDenied
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."))
    if role != Membership.Role.REFERENT:
        _ensure_not_last_referent(membership)
    membership.role = role
    membership.show_in_directory = show_in_directory
    membership.save(update_fields=["role", "show_in_directory"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    if not permissions.can_manage_organisation(by, membership.organisation):
        raise PermissionDenied
    _ensure_not_last_referent(membership)
    membership.delete()


# --- Join requests


@transaction.atomic
def join_request_create(
    *, organisation: Organisation, by: User, message: str = ""
) -> JoinRequest:
    if permissions.is_member_of(by, organisation):
        raise ValidationError(_("You already act for this structure."))
    if not permissions.can_request_to_join(by, organisation):
        raise PermissionDenied
    if JoinRequest.objects.filter(
        user=by, organisation=organisation, status=JoinRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("You have already asked to join this structure; a référent will answer.")
        )
    try:
        # The savepoint keeps the caller's transaction usable if a concurrent request
        # for the same structure won the race to the one-pending-request constraint.
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                user=by, organisation=organisation, message=message.strip()
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already asked to join this structure; a référent will answer.")
        ) from None
    recipients = organisation_referents(organisation) or coordinators()
    notify(
        recipients,
        "members.join_request",
        context={
            "join_request": join_request,
            "organisation": organisation,
            "requester": by,
            "manage_url": absolute_url(
                reverse("members:organisation_manage", args=[organisation.slug])
            ),
        },
    )
    return join_request


@transaction.atomic
def join_request_decide(
    *, join_request: JoinRequest, by: User, accept: bool
) -> JoinRequest:
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=join_request.pk)
    )
    if not permissions.can_decide_join_request(by, join_request):
        raise PermissionDenied
    join_request.status = (
        JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    )
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        Membership.objects.get_or_create(
            user=join_request.user, organisation=join_request.organisation
        )
    notify(
        [join_request.user],
        "members.join_request_decided",
        context={
            "join_request": join_request,
            "organisation": join_request.organisation,
            "accepted": accept,
        },
        target=join_request.organisation,
    )
    return join_request


# --- Invitations


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
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, by: User) -> Membership:
    invitation = invitation_from_token(token)
    # Re-read under lock: two clicks on the same link must create one membership.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationError(_("This invitation can no longer be used."))
    membership, created = Membership.objects.get_or_create(
        user=by,
        organisation=invitation.organisation,
        defaults={"role": invitation.role},
    )
    if not created and invitation.role == Membership.Role.REFERENT:
        membership.role = Membership.Role.REFERENT
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = by
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    permissions.forget_cached_roles(by)
    return membership


# --- RGPD: export and erasure

DataExporter = Callable[[User], Any]
DataEraser = Callable[[User], None]
_data_exporters: dict[str, DataExporter] = {}
_data_erasers: dict[str, DataEraser] = {}


def register_data_exporter(section: str, exporter: DataExporter) -> None:
    """Other apps add what they hold about a person to the RGPD export."""
    _data_exporters[section] = exporter


def register_data_eraser(name: str, eraser: DataEraser) -> None:
    """Other apps erase what they hold about a person when the account is erased.

    Erasers run inside user_erase's transaction, before the user row is anonymised.
    """
    _data_erasers[name] = eraser


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


def _export_email_addresses(user: User) -> list[dict[str, Any]]:
    from allauth.account.models import EmailAddress

    return [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user)
    ]


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


def _user_addresses(user: User) -> set[str]:
    from allauth.account.models import EmailAddress

    return {user.email.lower()} | {
        e.lower()
        for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }


def _invitations_received(user: User):
    query = Q(accepted_by=user)
    for address in _user_addresses(user):
        query |= Q(email__iexact=address)
    return Invitation.objects.filter(query)


def _export_invitations_received(user: User) -> list[dict[str, Any]]:
    invitations = _invitations_received(user).select_related("organisation")
    return [_export_invitation(i) for i in invitations]


for _section, _exporter in (
    ("profile", _export_profile),
    ("email_addresses", _export_email_addresses),
    ("memberships", _export_memberships),
    ("join_requests", _export_join_requests),
    ("invitations_sent", _export_invitations_sent),
    ("invitations_received", _export_invitations_received),
    ("notifications", lambda user: user_notifications_export(user=user)),
):
    register_data_exporter(_section, _exporter)


def user_data_export(*, user: User) -> dict[str, Any]:
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for section, exporter in _data_exporters.items():
        data[section] = exporter(user)
    return data


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
    from django.contrib.sessions.models import Session

    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()


@transaction.atomic
def user_erase(*, user: User, by: User) -> User:
    """Erase personal data but keep the row, so their writings keep an author."""
    from allauth.account.models import EmailAddress

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
    for eraser in _data_erasers.values():
        eraser(user)
    user_notifications_erase(user=user, addresses=_user_addresses(user))
    _invitations_received(user).filter(accepted_at__isnull=True).delete()
    _invitations_received(user).update(email="")
    user.memberships.all().delete()
    user.join_requests.all().delete()
    EmailAddress.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.first_name = user.last_name = user.job_title = user.phone = ""
    user.email = f"ancien-membre-{user.pk}@invalid"
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.erased_at = timezone.now()
    user.save()
    _delete_sessions(user)
    return user
