"""Reads for the catalogue, each with a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ptce.search_providers import parse_terms

from .models import Closure, Resource, ResourceManager

TEXT_FIELDS = (
    "name",
    "summary",
    "description",
    "equipment_present",
    "staff_role",
    "staff_skills",
    "owner__name",
)


def catalogue(
    *,
    text: str = "",
    kind: str = "",
    owner=None,
    capacity: int | None = None,
    accessible: bool = False,
) -> QuerySet[Resource]:
    resources = Resource.objects.filter(
        status__in=(Resource.Status.ACTIVE, Resource.Status.PAUSED),
        owner__status="member",
    ).select_related("owner")
    if kind:
        resources = resources.filter(kind=kind)
    if owner is not None:
        resources = resources.filter(owner=owner)
    if capacity:
        resources = resources.filter(capacity__gte=capacity)
    if accessible:
        resources = resources.filter(wheelchair_accessible=True)
    for term in parse_terms(text):
        condition = Q()
        for name in TEXT_FIELDS:
            condition |= Q(**{f"{name}__icontains": term})
        resources = resources.filter(condition)
    # Photos with their renditions: the cards' images cost no query per card.
    return resources.prefetch_related("photos__image__renditions").order_by(
        "kind", "name", "pk"
    )


def resource_for_page(*, pk: int) -> Resource | None:
    return (
        Resource.objects.select_related("owner", "staff_person")
        .prefetch_related(
            "opening_periods",
            "cost_items",
            "photos__image__renditions",
            "allowed_organisations",
            Prefetch(
                "manager_links",
                queryset=ResourceManager.objects.select_related("user"),
            ),
            Prefetch(
                "closures",
                queryset=Closure.objects.filter(end__gt=timezone.now()).order_by(
                    "start"
                ),
                to_attr="upcoming_closures",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def organisation_resources(organisation) -> QuerySet[Resource]:
    return Resource.objects.filter(owner=organisation).order_by("status", "name")
