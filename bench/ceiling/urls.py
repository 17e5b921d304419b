from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

ITEMS = [f"Structure {number}" for number in range(20)]


def tiny(request):
    return HttpResponse("<!DOCTYPE html><title>ok</title><p>ok</p>")


def template(request):
    return render(request, "list.html", {"items": ITEMS})


urlpatterns = [path("tiny/", tiny), path("template/", template)]
