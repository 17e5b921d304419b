"""Structure applications: a structure asks to join, the coordination decides."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from notifications.services import notify
from ptce.identity import absolute_url
from ptce.services import audit_record

from .. import permissions
from ..models import Membership, Organisation, User
from ..selectors import coordinators

# What a structure states when it applies; everything else is the coordination's.
APPLICATION_FIELDS = (
    "name",
    "category",
    "legal_form",
    "siret",
    "rna",
    "is_esus",
    "is_siae",
    "city",
    "website",
    "description",
)


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
    unexpected = sorted(set(data) - set(APPLICATION_FIELDS))
    if unexpected:
        raise ValueError(f"Fields not writable here: {', '.join(unexpected)}.")
    organisation = Organisation(**data)
    organisation.slug = _unique_slug(organisation.name)
    organisation.status = Organisation.Status.APPLIED
    organisation.applied_by = by
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=by,
        action="members.application.submit",
        target=organisation,
        scope=organisation,
        after=organisation.status,
    )
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
    before = organisation.status
    if accept:
        organisation.status = Organisation.Status.MEMBER
        organisation.joined_at = timezone.now()
    else:
        organisation.status = Organisation.Status.DECLINED
    organisation.decision_note = reason
    organisation.save(update_fields=["status", "joined_at", "decision_note"])
    audit_record(
        actor=by,
        action="members.application.accept"
        if accept
        else "members.application.decline",
        target=organisation,
        scope=organisation,
        before=before,
        after=organisation.status,
        reason=reason,
    )
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
