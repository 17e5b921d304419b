from __future__ import annotations

from django import template

from ptce.personcache import request_value

from .. import selectors
from ..cached import UNREAD

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications_count(context) -> int:
    """The bell's count: a cache read per request (a COUNT query when it changed)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    if request is None:
        return selectors.unread_count(user=user)
    # Cached per person, read with the other header values (registered in apps.py);
    # every service that changes the count forgets it.
    return request_value(request, UNREAD, lambda: selectors.unread_count(user=user))
