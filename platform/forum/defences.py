"""Spam defences: rate limits per person and per address, duplicates, links, words."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache

from ptce.search_providers import fold

logger = logging.getLogger(__name__)

# (posts, seconds) — overridable in settings.FORUM_RATE_LIMITS.
DEFAULT_RATE_LIMITS = {"person": (6, 10 * 60), "address": (12, 10 * 60)}
GUEST_MAX_LINKS = 2
DUPLICATE_WINDOW = timedelta(days=1)


def _limit(scope: str) -> tuple[int, int]:
    limits = getattr(settings, "FORUM_RATE_LIMITS", {}) or {}
    return tuple(limits.get(scope, DEFAULT_RATE_LIMITS[scope]))


def rate_limit_hit(*, scope: str, key: str) -> bool:
    """Count one post for `key`; True when over the limit.

    A cache that is down must not stop people from posting: the limit is then
    skipped (and logged), the other defences and moderation still apply.
    """
    if not key:
        return False
    limit, window = _limit(scope)
    cache_key = f"forum:rate:{scope}:{key}"
    try:
        if cache.add(cache_key, 1, timeout=window):
            return limit < 1
        count = cache.incr(cache_key)
    except Exception as exc:  # any cache backend error: degrade, never fail
        logger.warning("Forum rate limit skipped, cache unavailable: %s", exc)
        return False
    return count > limit


def contains_watched_word(text: str, words: list[str]) -> bool:
    folded = fold(text)
    for word in words:
        pattern = r"(?<!\w)" + re.escape(fold(word)) + r"(?!\w)"
        if re.search(pattern, folded):
            return True
    return False


def normalised_for_duplicates(text: str) -> str:
    return " ".join(fold(text).split())
