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

from .. import permissions
from ..models import Membership, Organisation, User
from ..selectors import coordinators


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
