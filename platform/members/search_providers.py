"""Member structures in the site search."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ptce.search_providers import Provider, SearchHit, register

from . import selectors


def search_structures(terms: list[str], *, user, limit: int) -> list[SearchHit]:
    """Member structures only (the directory is public): 1 query."""
    organisations = selectors.organisations_matching(
        selectors.member_organisations(), terms
    ).only("name", "slug", "summary", "city")[:limit]
    return [
        SearchHit(
            title=organisation.name,
            url=organisation.get_absolute_url(),
            summary=" — ".join(filter(None, [organisation.summary, organisation.city])),
        )
        for organisation in organisations
    ]


def directory_url(query: str) -> str:
    return f"{reverse('members:organisation_list')}?{urlencode({'q': query})}"


register(
    Provider(
        key="structures",
        label=_("Member structures"),
        order=10,
        search=search_structures,
        more_url=directory_url,
        shared=True,
    )
)
