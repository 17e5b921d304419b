"""Calendar feeds at private token URLs (no session needed), and the page that lists
a person's feeds with a way to regenerate their address."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members.models import Organisation
from members.permissions import is_coordinator, is_member_of
from pooling.ics import render_calendar
from resources.models import Resource

from . import selectors, services
from .templatetags.calendar_feeds import feed_links


def _feed(user, bookings, *, name: str, filename: str) -> HttpResponse:
    with translation.override(settings.LANGUAGE_CODE):
        events = selectors.feed_events(
            bookings, visible=selectors.details_visible_to(user)
        )
        body = render_calendar(events, name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    # Private to the token's owner: no shared cache may keep it, no search engine.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _user(token: str):
    user = selectors.user_for_token(token)
    if user is None:
        raise Http404
    return user


@require_GET
def person_feed(request, token: str):
    user = _user(token)
    with translation.override(settings.LANGUAGE_CODE):
        name = _("My bookings — %(name)s") % {"name": user.display_name}
    return _feed(
        user, selectors.person_bookings(user), name=name, filename="mes-reservations"
    )


@require_GET
def organisation_feed(request, token: str, slug: str):
    user = _user(token)
    organisation = get_object_or_404(Organisation, slug=slug)
    if not (is_member_of(user, organisation) or is_coordinator(user)):
        raise Http404
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Bookings of %(name)s") % {"name": organisation.name}
    return _feed(
        user,
        selectors.organisation_bookings(organisation),
        name=name,
        filename=organisation.slug,
    )


@require_GET
def resource_feed(request, token: str, pk: int):
    user = _user(token)
    resource = get_object_or_404(Resource.objects.select_related("owner"), pk=pk)
    if resource.status == Resource.Status.WITHDRAWN and not (
        is_member_of(user, resource.owner) or is_coordinator(user)
    ):
        raise Http404
    return _feed(
        user,
        selectors.resource_bookings(resource),
        name=resource.name,
        filename=f"ressource-{resource.pk}",
    )


@login_required
def calendars(request):
    """Every feed of the person, with webcal:// and https links."""
    organisations = list(
        Organisation.objects.filter(memberships__user=request.user).order_by("name")
    )
    feeds = [feed_links(request, "person")]
    feeds += [feed_links(request, "organisation", org) for org in organisations]
    return render(request, "pooling/calendars/calendars.html", {"feeds": feeds})


@require_POST
@login_required
def token_regenerate(request):
    services.calendar_token_regenerate(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar addresses have changed: the old ones no longer work. "
            "Subscribe again with the new ones."
        ),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "pooling_calendars:index"
    return redirect(target)
