"""{% series_actions booking can_cancel %}: a booking's series and "cancel this and
all following" (one query)."""

from __future__ import annotations

from django import template

from pooling.calendars.series import series_of

register = template.Library()


@register.inclusion_tag("pooling/calendars/_series_actions.html")
def series_actions(booking, can_cancel: bool):
    return {
        "booking": booking,
        "series_link": series_of(booking),
        "can_cancel": can_cancel,
    }
