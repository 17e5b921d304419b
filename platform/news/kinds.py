"""Notification kinds of the news app (autodiscovered by notifications)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EmailChoice, Kind, register

COSIGN_REQUESTED = "news.cosign_requested"
MODERATION_REQUESTED = "news.moderation_requested"
CHANGES_REQUESTED = "news.changes_requested"
PUBLISHED = "news.published"

register(
    Kind(
        key=COSIGN_REQUESTED,
        label=_("A news item awaits my structure's co-signature"),
        template_prefix="news/notifications/cosign_requested",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=MODERATION_REQUESTED,
        label=_("A proposed news item awaits validation (coordinators)"),
        template_prefix="news/notifications/moderation_requested",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=CHANGES_REQUESTED,
        label=_("Changes are requested on a news item I proposed"),
        template_prefix="news/notifications/changes_requested",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=PUBLISHED,
        label=_("A news item I proposed is published"),
        template_prefix="news/notifications/published",
        default_email=EmailChoice.IMMEDIATE,
    )
)
