"""What the catalogue holds about a person (see ptce.personal_data)."""

from __future__ import annotations

from typing import Any

from ptce.personal_data import register

from .models import Closure, Resource, ResourceManager


def _export(user) -> dict[str, Any]:
    return {
        "managed_resources": [
            {"resource": link.resource.name, "since": link.created_at.isoformat()}
            for link in ResourceManager.objects.filter(user=user).select_related(
                "resource"
            )
        ],
        "staff_time_offered": [
            {"resource": r.name, "role": r.staff_role, "skills": r.staff_skills}
            for r in Resource.objects.filter(staff_person=user)
        ],
    }


def _erase(user) -> None:
    # Managing a resource ends with the account; the resource and its history stay.
    ResourceManager.objects.filter(user=user).delete()
    ResourceManager.objects.filter(named_by=user).update(named_by=None)
    Resource.objects.filter(staff_person=user).update(
        staff_person=None, status=Resource.Status.PAUSED
    )
    Closure.objects.filter(created_by=user).update(created_by=None)


register(
    key="resources",
    models=(
        "resources.ResourceManager",
        "resources.Resource",
        "resources.Closure",
    ),
    export=_export,
    erase=_erase,
    order=60,
)
