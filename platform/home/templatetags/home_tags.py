from __future__ import annotations

from dataclasses import dataclass

from django import template

from home import selectors

register = template.Library()


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    current: bool


def _is_current(url: str, path: str) -> bool:
    # A section is current on its own pages too ("/le-ptce/" on "/le-ptce/charte/").
    return path == url or (url not in ("", "/") and path.startswith(url))


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[MenuItem]:
    """The main menu (selectors.main_menu, the same for all) with the current page."""
    request = context.get("request")
    path = request.path if request is not None else ""
    return [
        MenuItem(link.label, link.url, _is_current(link.url, path))
        for link in selectors.main_menu(request)
    ]


@register.simple_tag(takes_context=True)
def main_menu_current(context) -> str:
    """Which of the main menu's links are current, as a string of 0s and 1s: what
    a cached copy of the menu varies on (not the path: one copy serves every page
    of a section)."""
    return "".join(str(int(item.current)) for item in main_menu(context))


@register.simple_tag(takes_context=True)
def footer_links(context) -> tuple[selectors.Link, ...]:
    return selectors.footer_links(context.get("request"))


@register.simple_tag(takes_context=True)
def page_breadcrumbs(context, page) -> tuple[selectors.Link, ...]:
    return selectors.breadcrumbs(page, context.get("request"))
