from __future__ import annotations

import hashlib
from dataclasses import dataclass
from http import HTTPStatus

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from ptce.pagecache import LocalTier, versioned
from ptce.search_providers import MAX_QUERY_LENGTH, SearchHit, parse_terms, providers

from . import selectors
from .health import run_checks

SEARCH_RESULTS_PER_KIND = 10


@never_cache
def health(request):
    healthy, checks = run_checks()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE,
    )


@dataclass(frozen=True)
class SearchGroup:
    key: str
    label: str
    hits: list[SearchHit]
    more_url: str


# What visitors type keys these: their own process memory, so that a flood of
# queries cannot push the header's fragments out of the shared one.
_search_tier = LocalTier(max_entries=1_000)


def _audience(request, provider) -> str | None:
    """Who gets the same hits from `provider`: everyone, one audience, or — None —
    only this person."""
    if provider.shared:
        return "everyone"
    if provider.audience is not None:
        return provider.audience(request)
    return None


def _hits(request, provider, audience, terms: list[str]) -> list[SearchHit]:
    """The provider's hits; those the same for everyone (`shared`), or for everyone
    of one audience (`audience`), kept per content version, language and query."""

    def search() -> tuple[SearchHit, ...]:
        return (
            *provider.search(terms, user=request.user, limit=SEARCH_RESULTS_PER_KIND),
        )

    if audience is None:
        return list(search())
    key = (
        "search",
        provider.key,
        audience,
        get_language(),
        SEARCH_RESULTS_PER_KIND,
        *terms,
    )
    return list(versioned(request, key, search, tier=_search_tier))


def search(request):
    query = " ".join(request.GET.get("q", "").replace("\x00", " ").split())
    query = query[:MAX_QUERY_LENGTH]
    terms = parse_terms(query)
    searched = [(p, _audience(request, p)) for p in providers()] if terms else []

    def results() -> str:
        groups = []
        for provider, audience in searched:
            hits = _hits(request, provider, audience, terms)
            if hits:
                more = len(hits) >= SEARCH_RESULTS_PER_KIND and provider.more_url
                groups.append(
                    SearchGroup(
                        key=provider.key,
                        label=str(provider.label),
                        hits=hits,
                        more_url=provider.more_url(query) if more else "",
                    )
                )
        context = {
            "query": query,
            "terms": terms,
            "groups": groups,
            "count": sum(len(group.hits) for group in groups),
        }
        return render_to_string("home/_search_results.html", context, request=request)

    audiences = [audience for _provider, audience in searched]
    if None in audiences:  # one provider's hits are this person's own
        html = results()
    else:  # the same for everyone of these audiences: rendered once
        # Hashed: what visitors type has spaces and quotes, unfit for a cache key.
        digest = hashlib.sha256(query.encode()).hexdigest()
        key = ("search-page", get_language(), *audiences, digest)
        html = versioned(request, key, results, tier=_search_tier, shared=False)
    return render(
        request, "home/search.html", {"query": query, "results": mark_safe(html)}
    )


def glossary(request):
    return render(
        request,
        "home/glossary.html",
        # Called by the template inside its shared fragment: no query on a hit.
        {"letters": selectors.glossary_by_letter},
    )


def favicon(request):
    return HttpResponsePermanentRedirect(static("img/favicon.png"))
