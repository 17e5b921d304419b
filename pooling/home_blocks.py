"""Pooling on the home page: its key figures (see ptce.home_blocks).

The "Shared resources" card of the home page links to the catalogue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.home_blocks import Figure, register_figure

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
