"""Published forum posts in the site search (never waiting or rejected ones)."""

from __future__ import annotations

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ptce.personcache import request_value
from ptce.search_providers import Provider, SearchHit, register

from . import markup, permissions, selectors
from .services import IS_MEMBER


def search_forum(terms: list[str], *, user, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            title=post.thread.title,
            url=post.get_absolute_url(),
            summary=Truncator(markup.plain_text(post.body_html)).chars(200),
        )
        for post in selectors.search_posts(terms, user=user, limit=limit)
    ]


def audience(request) -> str:
    """Who reads the same posts: members read every forum, others the public ones
    (selectors.search_posts). Cached per person (apps.py forgets it)."""
    user = request.user
    if not user.is_authenticated:
        return "public"
    member = request_value(request, IS_MEMBER, lambda: permissions.is_member(user))
    return "members" if member else "public"


register(
    Provider(
        key="forum", label=_("Forum"), order=60, search=search_forum, audience=audience
    )
)
