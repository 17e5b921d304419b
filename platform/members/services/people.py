"""People in a structure: roles, removals and join requests.

Rule kept here: a structure keeps at least one référent.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notifications_mark_done, notify
from ptce.identity import absolute_url
from ptce.services import audit_record

from .. import permissions
from ..models import JoinRequest, Membership, Organisation, User
from ..selectors import (
    coordinators,
    organisation_referents,
    organisations_left_without_referent,
)


class LastReferentError(ValidationError):
    """A change would leave `organisations` without any référent."""

    def __init__(self, message, organisations: list[Organisation]) -> None:
        super().__init__(message, code="last_referent")
        self.organisations = organisations


def ensure_referents_remain(*, leaving: QuerySet[Membership]) -> None:
    """Refuse a change that would leave a structure without any référent.

    Locks the structures' rows first (in pk order, so two changes never deadlock):
    two référents demoting each other, or erasing their accounts, at once cannot both
    succeed. Call inside the transaction that makes the change.
    """
    organisations = leaving.filter(role=Membership.Role.REFERENT).values("organisation")
    list(
        Organisation.objects.select_for_update()
        .filter(pk__in=organisations)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    orphaned = organisations_left_without_referent(leaving=leaving)
    if orphaned:
        raise LastReferentError(
            _(
                "%(organisation)s must keep at least one référent: name another "
                "référent first."
            )
            % {"organisation": ", ".join(o.name for o in orphaned)},
            orphaned,
        )


def _ensure_not_last_referent(membership: Membership) -> None:
    ensure_referents_remain(leaving=Membership.objects.filter(pk=membership.pk))


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
    before = membership.role
    membership.role = role
    membership.show_in_directory = show_in_directory
    membership.save(update_fields=["role", "show_in_directory"])
    if before != role:
        audit_record(
            actor=by,
            action="members.membership.role",
            target=membership,
            scope=membership.organisation,
            before=before,
            after=role,
            data={"person": membership.user_id},
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    if not permissions.can_manage_organisation(by, membership.organisation):
        raise PermissionDenied
    _ensure_not_last_referent(membership)
    audit_record(
        actor=by,
        action="members.membership.remove",
        target=membership,
        scope=membership.organisation,
        before=membership.role,
        data={"person": membership.user_id},
    )
    membership.delete()


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
    audit_record(
        actor=by,
        action="members.join_request.create",
        target=join_request,
        scope=organisation,
        after=join_request.status,
        data={"person": by.pk},
    )
    recipients = organisation_referents(organisation) or coordinators()
    notify(
        recipients,
        "members.join_request",
        context={
            "join_request": join_request,
            "organisation": organisation,
            "requester": by,
            "manage_url": absolute_url(join_request.get_absolute_url()),
        },
        target=join_request,
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
    audit_record(
        actor=by,
        action="members.join_request.accept"
        if accept
        else "members.join_request.decline",
        target=join_request,
        scope=join_request.organisation,
        before=JoinRequest.Status.PENDING,
        after=join_request.status,
        data={"person": join_request.user_id},
    )
    if accept:
        Membership.objects.get_or_create(
            user=join_request.user, organisation=join_request.organisation
        )
    # Every référent was told; once one decided, nobody is left with it unread.
    notifications_mark_done(target=join_request, kind="members.join_request")
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
