"""The PTCE's identity: who the site speaks for and where it lives.

- `get_identity()` — the one `SiteIdentity` (name, territory, contact, legal pages),
  read from the Django cache; every page and e-mail uses it, so after the first
  request it costs no query. The cache is dropped when the identity, a page, an
  image or a document is saved or deleted (the footer links to those), and at
  commit, so a concurrent reader cannot keep an uncommitted or stale copy.
- `absolute_url(path)` — the link an e-mail or an export carries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

if TYPE_CHECKING:
    from .models import SiteIdentity

CACHE_KEY = "ptce:identity:v2"  # v2: legal_name
# Every change invalidates at once in a shared cache (Redis); the timeout bounds how
# long another process's local-memory cache (no Redis) may show an old identity.
CACHE_TIMEOUT = 10 * 60


def get_identity() -> SiteIdentity:
    identity = cache.get(CACHE_KEY)
    if identity is None:
        from .models import SiteIdentity

        identity = SiteIdentity.load()
        cache.set(CACHE_KEY, identity, CACHE_TIMEOUT)
    return identity


def forget_identity(**kwargs) -> None:
    """Drop the cached identity now and again when the current transaction commits."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def absolute_url(path: str) -> str:
    """The link to a site path ("" and links already absolute are kept as they are)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"
