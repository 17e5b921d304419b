"""Pooling on the home page: key figures and the live "shared resources" card."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.home_blocks import Card, Figure, register_card, register_figure

from . import selectors

register_figure(
    Figure(
        key="pooling.resources",
        order=30,
        label=_("resources shared"),
        value=selectors.resources_shared_count,
    )
)
register_figure(
    Figure(
        key="pooling.hours",
        order=31,
        label=_("hours booked this month"),
        value=selectors.hours_booked_this_month,
    )
)
register_card(
    Card(
        key="pooling",
        order=30,
        template="pooling/home_card.html",
        context=selectors.home_card_context,
    )
)
