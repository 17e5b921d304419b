"""Every write on the catalogue: resources, their rules, hours, closures, managers.

Staff time is lent at cost only (code du travail L8241-1): its hourly rate is the sum
of its itemised cost items, never a margin or a flat fee. Resources are paused or
withdrawn, never deleted, so their bookings keep their history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Membership, Organisation, User
from ptce.pagecache import bump_content_version
from ptce.services import audit_record

from . import permissions, rules
from .models import Closure, OpeningPeriod, Resource, ResourceManager, StaffCostItem
from .signals import managers_named

# Fields the resource form edits (hours, closures, managers have their own service).
EDITABLE_FIELDS = (
    "kind", "name", "summary", "description", "quantity", "capacity", "surface",
    "address", "floor", "wheelchair_accessible", "equipment_present",
    "leaves_premises", "staff_person", "staff_role", "staff_skills",
    "staff_hours_per_week", "granularity", "min_duration", "max_duration",
    "buffer_before", "buffer_after", "min_notice", "horizon_days",
    "approval_required", "open_to_all", "cancellation_notice_hours",
    "price_unit", "price_amount", "vat_regime", "vat_rate",
)  # fmt: skip


def _check_staff_at_cost(resource: Resource, cost_items: Sequence[dict] | None) -> None:
    if resource.kind != Resource.Kind.STAFF:
        return
    if cost_items is None:
        cost_items = list(resource.cost_items.values("category", "hourly_amount"))
    total = sum((Decimal(item["hourly_amount"]) for item in cost_items), Decimal("0"))
    if resource.price_unit not in (Resource.PriceUnit.HOUR, Resource.PriceUnit.FREE):
        raise ValidationError(
            {"price_unit": _("Staff time is charged per hour, at cost only.")}
        )
    if resource.price_unit == Resource.PriceUnit.FREE:
        return
    if resource.price_amount != total:
        raise ValidationError(
            {
                "price_amount": _(
                    "Staff time is lent at cost only: the hourly rate must equal "
                    "the sum of its itemised costs (%(total)s €), with no margin "
                    "and no flat fee."
                )
                % {"total": total}
            }
        )


def _save(resource: Resource, *, by: User, action: str, changed: list[str]) -> None:
    resource.full_clean()
    resource.save()
    audit_record(
        actor=by,
        action=action,
        target=resource,
        scope=resource.owner,
        data={"fields": changed},
    )


@transaction.atomic
def resource_create(
    *,
    owner: Organisation,
    by: User,
    data: dict[str, Any],
    cost_items: Sequence[dict] | None = None,
    allowed: Sequence[Organisation] = (),
) -> Resource:
    if not permissions.can_create_resource(by, owner):
        raise PermissionDenied
    resource = Resource(owner=owner)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(resource, name, data[name])
    _check_staff_person(resource)
    _check_staff_at_cost(resource, cost_items or [])
    _save(resource, by=by, action="resources.resource.create", changed=list(data))
    resource.allowed_organisations.set(allowed)
    _replace_cost_items(resource, cost_items or [])
    return resource


def _check_staff_person(resource: Resource) -> None:
    if (
        resource.staff_person_id
        and not Membership.objects.filter(
            user_id=resource.staff_person_id, organisation_id=resource.owner_id
        ).exists()
    ):
        raise ValidationError(
            {"staff_person": _("The person must act for the owner structure.")}
        )


def _replace_cost_items(resource: Resource, cost_items: Sequence[dict]) -> None:
    resource.cost_items.all().delete()
    StaffCostItem.objects.bulk_create(
        StaffCostItem(
            resource=resource,
            category=item["category"],
            label=item.get("label", ""),
            hourly_amount=item["hourly_amount"],
        )
        for item in cost_items
    )
    bump_content_version()  # bulk_create: no post_save


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    by: User,
    data: dict[str, Any],
    cost_items: Sequence[dict] | None = None,
    allowed: Sequence[Organisation] | None = None,
) -> Resource:
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not permissions.can_manage_resource(by, resource):
        raise PermissionDenied
    changed = [
        name
        for name in EDITABLE_FIELDS
        if name in data and getattr(resource, name) != data[name]
    ]
    old_quantity = resource.quantity
    for name in changed:
        setattr(resource, name, data[name])
    _check_staff_person(resource)
    _check_staff_at_cost(resource, cost_items)
    if resource.quantity != old_quantity:
        rules.check_quantity_change(resource)
    _save(resource, by=by, action="resources.resource.update", changed=changed)
    if allowed is not None:
        resource.allowed_organisations.set(allowed)
    if cost_items is not None:
        _replace_cost_items(resource, cost_items)
    return resource


@transaction.atomic
def resource_set_status(
    *, resource: Resource, by: User, status: str, reason: str = ""
) -> Resource:
    """Pause (no new booking), withdraw (hidden from the catalogue) or reactivate.

    Existing bookings are kept: the owner cancels them one by one if needed.
    """
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not permissions.can_manage_resource(by, resource):
        raise PermissionDenied
    if status not in Resource.Status.values:
        raise ValidationError(_("Unknown status."))
    before = resource.status
    resource.status = status
    resource.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by,
        action="resources.resource.status",
        target=resource,
        before=before,
        after=status,
        reason=reason[:2000],
        scope=resource.owner,
    )
    return resource


@transaction.atomic
def opening_hours_set(
    *, resource: Resource, by: User, periods: Sequence[tuple[int, time, time]]
) -> None:
    if not permissions.can_manage_resource(by, resource):
        raise PermissionDenied
    for weekday, opens, closes in periods:
        if not 0 <= weekday <= 6 or not (closes > opens or closes == time(0)):
            raise ValidationError(_("Each period must close after it opens."))
    resource.opening_periods.all().delete()
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(resource=resource, weekday=w, opens=o, closes=c)
        for w, o, c in periods
    )
    bump_content_version()  # bulk_create: no post_save
    audit_record(
        actor=by,
        action="resources.resource.hours",
        target=resource,
        scope=resource.owner,
        data={"periods": [[w, f"{o:%H:%M}", f"{c:%H:%M}"] for w, o, c in periods]},
    )


@transaction.atomic
def closure_add(
    *, resource: Resource, by: User, start: datetime, end: datetime, reason: str
) -> Closure:
    """Close a resource; active bookings in the period stay (the owner cancels them)."""
    if not permissions.can_manage_resource(by, resource):
        raise PermissionDenied
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the closure."))
    if end <= start:
        raise ValidationError(_("The end must be after the start."))
    closure = Closure(
        resource=resource, start=start, end=end, reason=reason[:200], created_by=by
    )
    closure.full_clean()
    closure.save()
    audit_record(
        actor=by,
        action="resources.closure.add",
        target=resource,
        reason=reason,
        scope=resource.owner,
        data={"start": start.isoformat(), "end": end.isoformat()},
    )
    return closure


@transaction.atomic
def closure_remove(*, closure: Closure, by: User) -> None:
    if not permissions.can_manage_resource(by, closure.resource):
        raise PermissionDenied
    audit_record(
        actor=by,
        action="resources.closure.remove",
        target=closure.resource,
        reason=closure.reason,
        scope=closure.resource.owner,
    )
    closure.delete()


@transaction.atomic
def managers_set(*, resource: Resource, by: User, users: Sequence[User]) -> None:
    """Name the resource's managers: people of the owner structure only."""
    if not permissions.can_name_managers(by, resource):
        raise PermissionDenied
    allowed = set(
        Membership.objects.filter(organisation_id=resource.owner_id).values_list(
            "user_id", flat=True
        )
    )
    if any(user.pk not in allowed for user in users):
        raise ValidationError(_("Managers must act for the owner structure."))
    resource.manager_links.exclude(user__in=users).delete()
    existing = set(resource.manager_links.values_list("user_id", flat=True))
    ResourceManager.objects.bulk_create(
        ResourceManager(
            resource=resource, user=user, named_by=by, created_at=timezone.now()
        )
        for user in users
        if user.pk not in existing
    )
    # bulk_create sends no post_save: what is cached per named person is forgotten
    # by the receivers (their managed resources here, pooling's pending count), and
    # the pages kept per content version see the new managers.
    bump_content_version()
    managers_named.send(
        sender=Resource,
        resource=resource,
        user_pks=[user.pk for user in users if user.pk not in existing],
    )
    audit_record(
        actor=by,
        action="resources.resource.managers",
        target=resource,
        scope=resource.owner,
        data={"managers": sorted(user.pk for user in users)},
    )
