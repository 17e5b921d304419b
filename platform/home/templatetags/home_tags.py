from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ptce.identity import get_identity

register = template.Library()


@dataclass(frozen=True)
class FooterLink:
    label: str
    url: str


@register.simple_tag(takes_context=True)
def footer_links(context) -> list[FooterLink]:
    """The footer's legal links: only pages set and published (never a dead link)."""
    request = context.get("request")
    identity = get_identity()
    links = []
    pages = [
        (identity.legal_notice_page, _("Legal notice")),
        (
            identity.accessibility_page,
            # RGAA asks for the compliance status right in the footer link.
            _("Accessibility: %(status)s")
            % {"status": identity.get_accessibility_status_display()},
        ),
        (identity.privacy_page, _("Personal data")),
    ]
    seen: set[int] = set()
    for page, label in pages:
        if page is not None and page.live and page.pk not in seen:
            seen.add(page.pk)
            links.append(FooterLink(label, page.get_url(request=request)))
    links.append(FooterLink(_("Glossary"), reverse("home:glossary")))
    if identity.charter_id:
        links.append(FooterLink(_("PTCE charter"), identity.charter.url))
    return links
