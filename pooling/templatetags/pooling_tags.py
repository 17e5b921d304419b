from __future__ import annotations

from django import template

from pooling import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def pooling_pending_count(context) -> int:
    """The count the header's pooling link shows (what a cached header varies on)."""
    request = context.get("request")
    return 0 if request is None else selectors.pending_count_for(request)


@register.inclusion_tag("pooling/includes/header_link.html", takes_context=True)
def pooling_header_link(context):
    """The header's pooling link, with the count of requests awaiting my decision."""
    request = context.get("request")
    user = getattr(request, "user", None)
    count = 0
    if user is not None and user.is_authenticated:
        count = selectors.pending_count_for(request)
    current = getattr(getattr(request, "resolver_match", None), "app_name", "")
    return {"count": count, "current": current in ("pooling", "resources")}


@register.filter
def status_label(value: str) -> str:
    """A booking status as people read it ("pending" → « En attente de validation »)."""
    from pooling.models import Booking

    return dict(Booking.Status.choices).get(value, value)


@register.filter
def change_lines(event) -> list[str]:
    """What a change recorded in the audit trail altered, in words."""
    from pooling.services import change_lines as lines

    data = event.data or {}
    if not isinstance(data.get("before"), dict) or not isinstance(
        data.get("after"), dict
    ):
        return []
    return lines(data["before"], data["after"])
