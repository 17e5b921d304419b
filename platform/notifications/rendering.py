"""Rendering a kind's templates once per notify() call, in the site's language.

Text parts are rendered with autoescaping off (they are not HTML); the HTML part falls
back to the e-mail layout wrapping the text when a kind has no HTML template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.template import Context, TemplateDoesNotExist, engines
from django.template.base import Template
from django.urls import reverse

from ptce.identity import absolute_url

FALLBACK_HTML = "email/notification.html"
_BREAKING_SPACE = re.compile(r"[ \t\r\n\f\v]+")


def _engine():
    return engines["django"].engine


def _optional(name: str) -> Template | None:
    try:
        return _engine().get_template(name)
    except TemplateDoesNotExist:
        return None


@dataclass
class EmailParts:
    subject: str
    text: str
    html: str


class KindTemplates:
    """The compiled templates of one prefix, looked up once and rendered per person."""

    def __init__(self, prefix: str, *, inapp: bool = False) -> None:
        engine = _engine()
        self.subject = engine.get_template(f"{prefix}_subject.txt")
        self.message = engine.get_template(f"{prefix}_message.txt")
        self.html = _optional(f"{prefix}_message.html") or engine.get_template(
            FALLBACK_HTML
        )
        self.inapp = engine.get_template(f"{prefix}_inapp.txt") if inapp else None

    def render_subject(self, context: dict) -> str:
        return _one_line(self.subject, context)

    def render_inapp(self, context: dict) -> str:
        assert self.inapp is not None
        return _one_line(self.inapp, context)

    def render_email(self, context: dict) -> EmailParts:
        subject = self.render_subject(context)
        text = self.message.render(Context(context, autoescape=False)).strip()
        html_context = {**context, "subject": subject, "body_text": text}
        html = self.html.render(Context(html_context, autoescape=True))
        return EmailParts(subject=subject, text=text, html=html)


def _one_line(template: Template, context: dict) -> str:
    # One line whatever the template's whitespace; non-breaking spaces (French
    # typography, « : ») are kept, which str.split() would turn into plain ones.
    text = template.render(Context(context, autoescape=False))
    return _BREAKING_SPACE.sub(" ", text).strip()


def preferences_url() -> str:
    return absolute_url(reverse("notifications:preferences"))


def unsubscribe_url(token: str) -> str:
    return absolute_url(reverse("notifications:unsubscribe", args=[token]))


@dataclass(frozen=True)
class EmailSite:
    """What allauth's e-mail templates read as `current_site`."""

    name: str
    domain: str


def email_site(identity) -> EmailSite:
    return EmailSite(name=identity.name, domain=urlsplit(settings.SITE_URL).netloc)


def sender_address(identity) -> str:
    """DEFAULT_FROM_EMAIL's address under the PTCE's name."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((identity.name, address or settings.DEFAULT_FROM_EMAIL))
