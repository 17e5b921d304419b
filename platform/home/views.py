from __future__ import annotations

from http import HTTPStatus

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from . import selectors
from .health import run_checks

SEARCH_RESULTS_PER_PAGE = 10
SEARCH_QUERY_MAX_LENGTH = 200


@never_cache
def health(request):
    healthy, checks = run_checks()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE,
    )


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:SEARCH_QUERY_MAX_LENGTH]
    page_obj = None
    results = []
    if query:
        paginator = Paginator(selectors.search_pages(query), SEARCH_RESULTS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        results = [selectors.search_result(page) for page in page_obj.object_list]
    return render(
        request,
        "home/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "results": results,
            "pagination_extra": "&" + urlencode({"q": query}),
        },
    )


def glossary(request):
    return render(
        request,
        "home/glossary.html",
        {"letters": selectors.glossary_by_letter()},
    )
