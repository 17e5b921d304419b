"""Request-wide guards that every app inherits."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info:
        return True
    data = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        data.append(request.POST)
    return any(
        NUL in key or any(NUL in value for value in values)
        for query in data
        for key, values in query.lists()
    )


class RefuseNulBytesMiddleware:
    """Answer 400 to any text input holding a NUL byte, before a view sees it.

    Django's forms already refuse NUL (ProhibitNullCharactersValidator), but a view
    reading request.GET or request.POST directly would hand it to the database:
    PostgreSQL rejects NUL in text and the page answers 500. One check here covers
    every filter, query string and form, today's and future apps' alike.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)
