"""The news card of the home page: the three latest published news items."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.home_blocks import Card, Figure, register_card, register_figure

from . import selectors


def home_card_context() -> dict:
    return {
        "latest_news": selectors.latest_news(limit=3),
        "news_index": selectors.news_index(),
    }


register_card(
    Card(
        key="news", order=40, template="news/home_card.html", context=home_card_context
    )
)
register_figure(
    Figure(
        key="news.published",
        order=40,
        label=_("news items published"),
        value=lambda: selectors.published_news().count(),
    )
)
