"""Shared resources in the site's search box (see ptce.search_providers)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ptce.search_providers import Provider, SearchHit, register

from .models import Resource

FIELDS = ("name", "summary", "description", "equipment_present", "staff_role")


def search_resources(terms: list[str], *, user, limit: int) -> list[SearchHit]:
    if not terms:
        return []
    resources = Resource.objects.filter(
        status=Resource.Status.ACTIVE, owner__status="member"
    ).select_related("owner")
    for term in terms:
        condition = Q(owner__name__icontains=term)
        for name in FIELDS:
            condition |= Q(**{f"{name}__icontains": term})
        resources = resources.filter(condition)
    return [
        SearchHit(
            title=resource.name,
            url=resource.get_absolute_url(),
            summary=f"{resource.get_kind_display()} — {resource.owner.name}",
        )
        for resource in resources.order_by("name")[:limit]
    ]


register(
    Provider(
        key="resources",
        label=_("Shared resources"),
        order=30,
        search=search_resources,
    )
)
