"""Reads for the catalogue, each with a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ptce.search_providers import fold, parse_terms

from .models import Closure, Resource, ResourceManager


def matching(resources: QuerySet[Resource], text: str) -> QuerySet[Resource]:
    """The resources whose words (or owner's name) start with every word of `text`.

    Accent- and case-insensitive ("velo", "VÉLO" and "vélo" find "Atelier vélo"),
    word by word, on the folded columns (Resource.search_text, filled in save();
    Organisation.name_sort): a plain LIKE, alike on SQLite and PostgreSQL, one query.
    """
    for term in parse_terms(text):
        folded = fold(term)
        resources = resources.filter(
            Q(search_text__contains=f" {folded}")
            | Q(owner__name_sort__startswith=folded)
            | Q(owner__name_sort__contains=f" {folded}")
        )
    return resources


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
    resources = matching(resources, text)
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
