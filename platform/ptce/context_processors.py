from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .identity import get_identity


def identity(request) -> dict:
    """`site_identity` in every template: the PTCE's name, contact and legal pages,
    kept in the process's memory for the content version (saving the identity bumps
    it): no round trip to the cache."""
    from .pagecache import versioned

    return {
        "site_identity": SimpleLazyObject(
            lambda: versioned(request, ("ptce:identity",), get_identity)
        )
    }


def content_version(request) -> dict:
    """`content_version` and `fragment_timeout`: what cached fragments are keyed on.

    {% cache fragment_timeout "name" LANGUAGE_CODE content_version %} (see
    ptce.pagecache). A Wagtail preview renders a draft: its timeout is 0, so it
    neither reads nor leaves anything in the cache.
    """
    from .pagecache import FRAGMENT_TIMEOUT, request_content_version

    return {
        "content_version": SimpleLazyObject(
            lambda: request_content_version(request) or "none"
        ),
        # Context processors run at render time, after Wagtail marks a preview.
        "fragment_timeout": 0
        if getattr(request, "is_preview", False)
        else FRAGMENT_TIMEOUT,
    }
