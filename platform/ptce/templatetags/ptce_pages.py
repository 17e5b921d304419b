"""`{% pagination %}`: the « Page n of m » navigation under a paginated list.

    {% load ptce_pages %}
    {% pagination %}                          page_obj and extra from the context
    {% pagination statement.lines_page %}     another page
    {% pagination history "#history" %}       and what follows ?page=n

`extra` (from the context when not given) is appended to each link: the list's
filters (`&q=…`, already URL-encoded) or an anchor. Written in Python and kept per
page number, page count, `extra` and language: an included template cost ~0.1 ms on
every paginated page (the notification centre, the forum, the directory…).
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def pagination(context, page_obj=None, extra=None) -> str:
    page_obj = context.get("page_obj") if page_obj is None else page_obj
    if page_obj is None:
        return ""
    return navigation(page_obj, context.get("extra") if extra is None else extra)


def navigation(page_obj, extra: str | None = "") -> SafeString:
    """The tag's HTML, for a view that renders without a template."""
    return _navigation(
        page_obj.number, page_obj.paginator.num_pages, str(extra or ""), get_language()
    )


@lru_cache(maxsize=4096)
def _navigation(
    number: int, pages: int, extra: str, language: str | None
) -> SafeString:
    if pages <= 1:
        return mark_safe("")
    # Translated outside the f-strings, where makemessages would not see them.
    label, previous, following = _("Pagination"), _("Previous page"), _("Next page")
    current = _("Page %(number)s of %(total)s") % {"number": number, "total": pages}
    extra = escape(extra)
    items = []
    if number > 1:
        items.append(
            f'<li><a href="?page={number - 1}{extra}" rel="prev">'
            f"{escape(previous)}</a></li>"
        )
    items.append(f'<li aria-current="page">{escape(current)}</li>')
    if number < pages:
        items.append(
            f'<li><a href="?page={number + 1}{extra}" rel="next">'
            f"{escape(following)}</a></li>"
        )
    return mark_safe(  # every value is escaped above
        f'<nav aria-label="{escape(label)}">\n  <ul class="pagination">\n'
        + "\n".join(f"    {item}" for item in items)
        + "\n  </ul>\n</nav>"
    )
