from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import Organisation


def organisation_list(request):
    organisations = Organisation.objects.filter(status=Organisation.Status.MEMBER)
    return render(
        request, "members/organisation_list.html", {"organisations": organisations}
    )


def organisation_detail(request, slug: str):
    organisation = get_object_or_404(
        Organisation, slug=slug, status=Organisation.Status.MEMBER
    )
    return render(
        request, "members/organisation_detail.html", {"organisation": organisation}
    )


@login_required
def dashboard(request):
    memberships = request.user.memberships.select_related("organisation")
    return render(request, "members/dashboard.html", {"memberships": memberships})
