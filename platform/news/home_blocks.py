"""The news card of the home page: the three latest published news items."""

from __future__ import annotations

from ptce.home_blocks import Card, register_card

from . import selectors


def home_card_context() -> dict:
    return {
        "latest_news": selectors.latest_news(limit=3),
        "news_index": selectors.news_index(),
    }


register_card(
    Card(
        key="news",
        order=40,
        template="news/home_card.html",
        context=home_card_context,
        stylesheets=("news/news.css",),
    )
)
