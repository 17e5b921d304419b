from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


def same_origin(request: HttpRequest) -> bool:
    """Does this POST come from one of our own pages (Origin, else Referer)?

    What replaces the CSRF token in the few forms visitors get inside shared,
    cached pages (the language switcher, a visitor's comment under a page).
    """
    origin = request.headers.get("Origin")
    if origin is None:
        # Current browsers send Origin with every form POST; older ones a Referer
        # (Referrer-Policy: same-origin keeps it for our own pages).
        if request.headers.get("Sec-Fetch-Site") == "same-origin":
            return True
        referer = urlsplit(request.headers.get("Referer", ""))
        origin = f"{referer.scheme}://{referer.netloc}"
    allowed = {
        f"{request.scheme}://{request.get_host()}",
        *settings.CSRF_TRUSTED_ORIGINS,
    }
    return origin in allowed


@csrf_exempt
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language without a CSRF token, for same-origin requests only.

    The language switcher sits on every page: with a token in it, no page could be
    shared between visitors (ptce.pagecache). A cross-site form cannot pass the
    Origin check, and all it could do is change a visitor's language.
    """
    if not same_origin(request):
        return HttpResponseForbidden()
    return set_language(request)
