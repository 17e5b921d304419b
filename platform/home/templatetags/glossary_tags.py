from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from home.glossary import annotate
from home.selectors import glossary_entries, glossary_protected_phrases

register = template.Library()


@register.filter
def glossary(html):
    """Mark each glossary term's first occurrence: `{{ page.body|richtext|glossary }}`.

    Plain (unsafe) strings are escaped first, so the filter never trusts raw input.
    """
    safe_html = conditional_escape(html)
    return mark_safe(
        annotate(str(safe_html), glossary_entries(), glossary_protected_phrases())
    )  # noqa: S308 — rebuilt by the parser
