"""Notification kinds of the members app (autodiscovered by notifications)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EmailChoice, Kind, register
from ptce.roles import COORDINATORS

register(
    Kind(
        key="members.join_request",
        label=_("Someone asks to join one of my structures"),
        template_prefix="members/notifications/join_request",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key="members.join_request_decided",
        label=_("My request to join a structure was answered"),
        template_prefix="members/notifications/join_request_decided",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key="members.organisation_application",
        label=_("A structure applies to join the PTCE (coordinators)"),
        template_prefix="members/notifications/organisation_application",
        default_email=EmailChoice.IMMEDIATE,
        audience=COORDINATORS,
    )
)
register(
    Kind(
        key="members.organisation_application_decided",
        label=_("My structure's application was answered"),
        template_prefix="members/notifications/organisation_application_decided",
        default_email=EmailChoice.IMMEDIATE,
    )
)
# Invitations go to a bare address (email_enqueue), possibly of someone with no
# account yet: nobody can opt out of them, they are sent once, on a référent's request.
register(
    Kind(
        key="members.invitation",
        label=_("Invitation to act for a structure"),
        template_prefix="members/email/invitation",
        default_email=EmailChoice.IMMEDIATE,
        user_configurable=False,
        # The link lets whoever holds it join the structure: see Kind.secret.
        secret=True,
    )
)
