from __future__ import annotations

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications_count(context) -> int:
    """One COUNT query per request, however many times the page asks."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    if request is None:
        return selectors.unread_count(user=user)
    if not hasattr(request, "_notifications_unread"):
        request._notifications_unread = selectors.unread_count(user=user)
    return request._notifications_unread
