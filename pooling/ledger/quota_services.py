"""Setting and removing quotas (coordinators, or an owner's référents)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ptce.services import audit_record
from resources.models import Resource

from .models import Quota
from .permissions import can_set_quota

MAX_HOURS = Decimal(744)  # every hour of a 31-day month


@transaction.atomic
def quota_set(
    *,
    by,
    organisation,
    hours_per_month: Decimal,
    resource: Resource | None = None,
    resource_kind: str = "",
    owner=None,
) -> Quota:
    """Cap `organisation`'s hours per month on a resource, or on a kind of resource
    (of one owner's, or — coordinators only — of everyone's). Replaces an existing cap
    on the same target."""
    if resource is not None:
        owner, resource_kind = resource.owner, ""
    if not can_set_quota(by, owner=owner):
        raise PermissionDenied
    if (resource is None) == (not resource_kind):
        raise ValidationError(_("Choose a resource or a kind of resource."))
    if resource_kind and resource_kind not in Resource.Kind.values:
        raise ValidationError(_("Choose a resource or a kind of resource."))
    if not Decimal(0) <= hours_per_month <= MAX_HOURS:
        raise ValidationError(
            _("A quota is between 0 and %(max)s hours per month.") % {"max": MAX_HOURS}
        )
    target = {"organisation": organisation}
    if resource is not None:
        target["resource"] = resource
    else:
        target.update(resource=None, resource_kind=resource_kind, owner=owner)
    existing = Quota.objects.select_for_update().filter(**target).order_by("pk").first()
    before = str(existing.hours_per_month) if existing else ""
    try:
        with transaction.atomic():
            if existing:
                existing.hours_per_month = hours_per_month
                existing.save(update_fields=["hours_per_month"])
                quota = existing
            else:
                quota = Quota.objects.create(
                    **target, hours_per_month=hours_per_month, created_by=by
                )
    except IntegrityError as error:
        raise ValidationError(_("This quota was just set by someone else.")) from error
    audit_record(
        actor=by,
        action="pooling.quota.set",
        target=quota,
        before=before,
        after=str(hours_per_month),
        scope=organisation,
    )
    return quota


@transaction.atomic
def quota_delete(*, by, quota: Quota) -> None:
    quota = Quota.objects.select_for_update().order_by().get(pk=quota.pk)
    owner = quota.resource.owner if quota.resource_id else quota.owner
    if not can_set_quota(by, owner=owner):
        raise PermissionDenied
    audit_record(
        actor=by,
        action="pooling.quota.delete",
        target=quota,
        before=str(quota.hours_per_month),
        scope=quota.organisation,
    )
    quota.delete()
