"""Feed links for any page that has a calendar feed.

    {% load calendar_feeds %}
    {% block extra_head %}{% calendar_feed_head "resource" resource %}{% endblock %}
    …
    {% calendar_feed_links "resource" resource %}

`kind` is "person" (the signed-in person's bookings), "organisation" or "resource".
Nothing is shown to visitors who are not signed in (feeds belong to a person).
The token is created on first use; the feed URL carries it, so a calendar client
needs no session. It is cached per person (services.request_calendar_token) and
forgotten whenever it is regenerated or deleted (apps.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from pooling.calendars import services

register = template.Library()


@dataclass(frozen=True)
class FeedLink:
    title: str
    https: str
    webcal: str


def _path(kind: str, token: str, subject) -> str:
    if kind == "person":
        return reverse("pooling_calendars:person", kwargs={"token": token})
    if kind == "organisation":
        return reverse(
            "pooling_calendars:organisation",
            kwargs={"token": token, "slug": subject.slug},
        )
    if kind == "resource":
        return reverse(
            "pooling_calendars:resource", kwargs={"token": token, "pk": subject.pk}
        )
    raise ValueError(kind)


def _title(kind: str, subject) -> str:
    if kind == "person":
        return _("My bookings")
    if kind == "organisation":
        return _("Bookings of %(name)s") % {"name": subject.name}
    return _("Calendar of %(name)s") % {"name": subject.name}


def feed_links(request, kind: str, subject=None) -> FeedLink | None:
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.is_active):
        return None
    # Cached per person, read with the header's values: no query (services).
    token = services.request_calendar_token(request)
    https = settings.SITE_URL + _path(kind, token, subject)
    webcal = "webcal://" + https.split("://", 1)[1]
    return FeedLink(_title(kind, subject), https, webcal)


@register.inclusion_tag("pooling/calendars/_feed_head.html", takes_context=True)
def calendar_feed_head(context, kind: str, subject=None):
    return {"feed": feed_links(context["request"], kind, subject)}


@register.inclusion_tag("pooling/calendars/_feed_links.html", takes_context=True)
def calendar_feed_links(context, kind: str, subject=None):
    return {"feed": feed_links(context["request"], kind, subject)}
