"""The PTCE's identity: who the site speaks for and where it lives.

`absolute_url(path)` turns a site path into the link an e-mail or an export carries.
"""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """The link to a site path ("" and links already absolute are kept as they are)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"
