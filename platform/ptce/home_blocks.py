"""Home-page blocks: the key figures and cards that apps offer to the home page.

Contract — an app declares, in its own `home_blocks.py`:

    from ptce.home_blocks import Card, Figure, register_card, register_figure

    register_figure(Figure(
        key="pooling.resources", order=30, label=_("ressources partagées"),
        value=selectors.resources_shared_count,          # () -> int, from a selector
    ))
    register_card(Card(
        key="pooling", order=30, template="pooling/home_card.html",
        context=selectors.home_card_context,             # () -> dict, no request
        stylesheets=("pooling/pooling.css",),            # static paths, in the <head>
    ))

Values and contexts come from the app's own selectors, take no request (they are the
same for every visitor, so the home page may cache them) and cost a fixed number of
queries. The home page shows what is registered, ordered by `order`. A card's
stylesheets are linked in the page's <head> (`card_stylesheets()`), never from the
card's own markup in the body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    value: Callable[[], int]
    order: int = 100


@dataclass(frozen=True)
class Card:
    key: str
    template: str
    context: Callable[[], dict[str, Any]]
    order: int = 100
    stylesheets: tuple[str, ...] = ()


_figures: dict[str, Figure] = {}
_cards: dict[str, Card] = {}


def _put(registry: dict, item) -> None:
    existing = registry.get(item.key)
    if existing is not None and existing != item:
        raise ValueError(f"Home block {item.key!r} is registered twice.")
    registry[item.key] = item


def register_figure(figure: Figure) -> Figure:
    _put(_figures, figure)
    return figure


def register_card(card: Card) -> Card:
    _put(_cards, card)
    return card


def figures() -> list[Figure]:
    return sorted(_figures.values(), key=lambda f: (f.order, f.key))


def cards() -> list[Card]:
    return sorted(_cards.values(), key=lambda c: (c.order, c.key))


def card_stylesheets() -> list[str]:
    """The static paths of the cards' stylesheets, once each, in the cards' order."""
    return list(dict.fromkeys(path for card in cards() for path in card.stylesheets))
