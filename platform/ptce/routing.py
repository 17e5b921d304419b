"""Wagtail pages served without routing queries while the content is unchanged.

Wagtail's `serve` finds the site (1 query), walks the page tree from the site's root
down to the page (1 query per level, plus the specific page), then its
`check_view_restrictions` hook reads the page's ancestors and their view
restrictions (2 queries): 4–6 queries before the page's own work, the same for every
request to the same URL. Here the answer is kept in this process's memory under the
content version (`ptce.pagecache`), which every publish, move, unpublish, deletion or
restriction change bumps:

- the site for the request's host and port, and the route result (the specific page,
  and a routable page's sub-view) for the site, the path and the language, are put
  where Wagtail itself keeps them for the request (`request._wagtail_site`,
  `request._wagtail_route_for_request`), so `Page.route_for_request` and
  `Site.find_for_request` answer without a query wherever they are called;
- a page with a view restriction, on itself or an ancestor, is served by Wagtail's own
  view, which checks them as always; for a page without any, the restriction hook is
  left out of the chain: with no restriction it does nothing.

Each request gets its own copy of the page object, so an attribute one request sets
on its page never reaches another. Only GET and HEAD take this path (a form page's
POST is routed by Wagtail); the cache down means no version, and Wagtail's own view.
"""

from __future__ import annotations

import copy

from django.http import Http404, HttpResponse
from django.utils import translation
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.wagtail_hooks import check_view_restrictions

from .pagecache import LocalTier, request_content_version

# Process memory only: page objects are not pickled into the shared cache.
_tier = LocalTier(max_entries=5_000)
_TIMEOUT = 10 * 60
_NOT_FOUND = "not-found"


def serve(request, path):
    """Wagtail's `wagtail.views.serve`, with the route and restrictions remembered."""
    if request.method not in ("GET", "HEAD"):
        return wagtail_views.serve(request, path)
    version = request_content_version(request)
    if version is None:  # cache unreachable: nothing remembered
        return wagtail_views.serve(request, path)
    route, restricted = _remembered_route(request, path, version)
    if route is None:
        raise Http404
    page, args, kwargs = route
    route = (copy.copy(page), args, kwargs)
    request._wagtail_route_for_request = route
    if restricted:
        return wagtail_views.serve(request, path)
    page = route[0]
    on_serve_chain = wagtail_views.serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        if fn is not check_view_restrictions:
            on_serve_chain = fn(on_serve_chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return on_serve_chain(page, request, args, kwargs)


def _remembered_route(request, path: str, version: str):
    raw_host = request._get_raw_host()
    port = request.get_port()
    site_key = f"{version}:site:{raw_host}:{port}"
    site = _tier.get(site_key)
    if site is None:
        site = Site.find_for_request(request) or _NOT_FOUND
        _tier.set(site_key, site, _TIMEOUT)
    if site == _NOT_FOUND:
        return None, False
    request._wagtail_site = site  # where Site.find_for_request keeps it
    language = translation.get_language()
    route_key = f"{version}:route:{site.pk}:{language}:{path}"
    remembered = _tier.get(route_key)
    if remembered is None:
        route = Page.route_for_request(request, path)
        restricted = route is not None and _has_restrictions(route[0])
        remembered = (route, restricted) if route is not None else _NOT_FOUND
        _tier.set(route_key, remembered, _TIMEOUT)
    if remembered == _NOT_FOUND:
        return None, False
    return remembered


def _has_restrictions(page) -> bool:
    """Whether a view restriction applies to `page` (Wagtail's own reading of it:
    its ancestors, aliases resolved to their source)."""
    if not PageViewRestriction.objects.exists():
        return False
    return page.get_view_restrictions().exists()
