"""The client's address, for every rate limit by address (forum, contact form,
allauth's sign-in limits).

Behind reverse proxies, REMOTE_ADDR is the nearest proxy's address: each proxy
appends the address it received the request from to X-Forwarded-For. With
`TRUSTED_PROXY_COUNT` = n (settings, from the environment), the client is the n-th
address from the right of that header; addresses further left were written by the
client and are never trusted. With 0 (the default, no proxy), the header is ignored
and REMOTE_ADDR is the client: a client cannot escape a limit by sending the header.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    value = (value or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def trusted_proxy_count() -> int:
    try:
        return max(0, int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0))
    except (TypeError, ValueError):
        return 0


def client_address(request) -> str | None:
    """The client's IP address as the last trusted proxy saw it (None if unknown)."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    proxies = trusted_proxy_count()
    if not proxies:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped some; take the leftmost.
    return _address(forwarded[-min(proxies, len(forwarded))]) or remote
