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
from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
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
    """The feed's addresses, once per request (the page's <head> and its body both
    show them)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.is_active):
        return None
    known = request.__dict__.setdefault("_feed_links", {})
    key = (kind, getattr(subject, "pk", None))
    if key not in known:
        known[key] = _feed_links(request, kind, subject)
    return known[key]


def _feed_links(request, kind: str, subject) -> FeedLink:
    # Cached per person, read with the header's values: no query (services).
    token = services.request_calendar_token(request)
    https = settings.SITE_URL + _path(kind, token, subject)
    webcal = "webcal://" + https.split("://", 1)[1]
    return FeedLink(_title(kind, subject), https, webcal)


# Written in Python (on every page that has a feed: the week, Mon espace, a
# statement…): two inclusion templates cost more than the rest of the page's own work.
@register.simple_tag(takes_context=True)
def calendar_feed_head(context, kind: str, subject=None) -> str:
    feed = feed_links(context["request"], kind, subject)
    if feed is None:
        return ""
    return format_html(
        '<link rel="alternate" type="text/calendar" title="{}" href="{}">',
        feed.title,
        feed.https,
    )


@register.simple_tag(takes_context=True)
def calendar_feed_links(context, kind: str, subject=None) -> str:
    feed = feed_links(context["request"], kind, subject)
    if feed is None:
        return ""
    return format_html(
        '<p class="calendar-feed">\n  <span>{}</span>\n  <a href="{}">{}</a>\n'
        '  · <a href="{}" type="text/calendar">{}</a>\n  · <a href="{}">{}</a>\n</p>',
        _("Calendar feed (%(title)s):") % {"title": feed.title},
        feed.webcal,
        _("Subscribe in my calendar (webcal)"),
        feed.https,
        _("ICS address (https)"),
        _index_url(),
        _("About calendar feeds"),
    )


@lru_cache(maxsize=8)
def _index_url_for(prefix: str) -> str:
    return reverse("pooling_calendars:index")


def _index_url() -> str:
    return _index_url_for(get_script_prefix())
