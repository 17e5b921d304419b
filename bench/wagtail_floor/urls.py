from __future__ import annotations

from django.shortcuts import render
from django.urls import include, path
from wagtail import urls as wagtail_urls

ITEMS = [f"Structure {number}" for number in range(20)]


def django_page(request):
    """The Django floor for the platform's non-Wagtail pages (directory, glossary, Mon
    espace…): the same middleware, session and auth, a template with a 20-item loop."""
    return render(request, "django_page.html", {"items": ITEMS})


urlpatterns = [
    path("django/", django_page),
    path("", include(wagtail_urls)),
]
