"""Shared resources in the site's search box (see ptce.search_providers)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.search_providers import Provider, SearchHit, register

from .models import Resource
from .selectors import matching


def search_resources(terms: list[str], *, user, limit: int) -> list[SearchHit]:
    """Bookable resources whose words start with every term (accents and case
    ignored, see selectors.matching); one query."""
    if not terms:
        return []
    resources = matching(
        Resource.objects.filter(
            status=Resource.Status.ACTIVE, owner__status="member"
        ).select_related("owner"),
        " ".join(terms),
    )
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
        shared=True,
    )
)
