"""What members offers the home page (see ptce.home_blocks): its figures and cards."""

from django.utils.translation import gettext_lazy as _

from ptce.home_blocks import Card, Figure, register_card, register_figure

from . import selectors

register_figure(
    Figure(
        key="members.structures",
        order=10,
        label=_("member structures"),
        value=selectors.member_count,
    )
)
register_card(
    Card(
        key="members.categories",
        order=10,
        template="members/home_categories.html",
        context=selectors.home_categories,
    )
)
