"""Notification kinds of the public site (autodiscovered by notifications)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EmailChoice, Kind, register
from ptce.roles import COORDINATORS

CONTACT_MESSAGE = "home.contact_message"

register(
    Kind(
        key=CONTACT_MESSAGE,
        label=_("A message written on the contact page (coordinators)"),
        template_prefix="home/notifications/contact_message",
        default_email=EmailChoice.IMMEDIATE,
        audience=COORDINATORS,
    )
)
