"""Structure applications: a structure asks to join, the coordination decides."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from notifications.services import notify
from ptce.identity import absolute_url
from ptce.services import audit_record

from .. import permissions
from ..models import Membership, Organisation, User
from ..selectors import coordinators, organisation_homonyms

# Each attempt loses at most one race (a concurrent insert of the same slug).
SLUG_ATTEMPTS = 25

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


def _siret_taken(organisation: Organisation) -> ValidationError:
    holder = organisation.siret_holder()
    name = holder.name if holder else organisation.siret
    return ValidationError(
        {
            "siret": _(
                "This SIRET number is already that of %(name)s: a structure "
                "cannot be registered twice."
            )
            % {"name": name}
        }
    )


def _insert_with_free_slug(organisation: Organisation) -> None:
    """Save a new structure under a slug nobody holds, however many apply at once.

    The unique index decides: a slug taken between the check and the insert makes
    the insert fail inside its savepoint, and the next free slug is tried.
    """
    for _attempt in range(SLUG_ATTEMPTS):
        organisation.slug = _unique_slug(organisation.name)
        try:
            with transaction.atomic():
                organisation.save(force_insert=True)
            return
        except IntegrityError as error:
            if "siret" in str(error):  # a concurrent application won the SIRET
                raise _siret_taken(organisation) from None
    raise RuntimeError(f"No free slug for {organisation.name!r}.")


def _same_application(*, by: User, organisation: Organisation) -> Organisation | None:
    """This person's pending application for the same structure, if any."""
    same = Q(name__iexact=organisation.name)
    if organisation.siret:
        same |= Q(siret=organisation.siret)
    return (
        Organisation.objects.filter(applied_by=by, status=Organisation.Status.APPLIED)
        .filter(same)
        .first()
    )


@transaction.atomic
def organisation_apply(*, by: User, data: dict[str, Any]) -> Organisation:
    """A structure applies; idempotent: the same person, the same structure → one
    application (a double click, a resubmitted form, twenty tabs at once)."""
    if not permissions.can_apply_for_organisation(by):
        raise PermissionDenied
    unexpected = sorted(set(data) - set(APPLICATION_FIELDS))
    if unexpected:
        raise ValueError(f"Fields not writable here: {', '.join(unexpected)}.")
    # Serialise this person's submissions: the second waits here for the first to
    # commit, then finds it below instead of creating a duplicate.
    User.objects.select_for_update().filter(pk=by.pk).first()
    organisation = Organisation(**data)
    organisation.status = Organisation.Status.APPLIED
    organisation.applied_by = by
    organisation.slug = "pending"  # allocated at insert time
    existing = _same_application(by=by, organisation=organisation)
    if existing is not None:
        return existing
    organisation.full_clean(exclude=["slug"])
    _insert_with_free_slug(organisation)
    audit_record(
        actor=by,
        action="members.application.submit",
        target=organisation,
        after=organisation.status,
        scope=organisation,
    )
    notify(
        coordinators(),
        "members.organisation_application",
        context={
            "organisation": organisation,
            "applicant": by,
            "homonyms": organisation_homonyms(organisation=organisation),
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
