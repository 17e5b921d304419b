"""Notification kinds of the forum (autodiscovered by notifications)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EmailChoice, Kind, register

POST_PENDING = "forum.post_pending"
POST_DECIDED = "forum.post_decided"
POST_PUBLISHED = "forum.post_published"
REMINDER = "forum.moderation_reminder"
SUSPENDED = "forum.suspended"
GUEST = "forum.guest"

register(
    Kind(
        key=POST_PENDING,
        label=_("A forum post waits for moderation (moderators)"),
        template_prefix="forum/notifications/post_pending",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=REMINDER,
        label=_("Forum posts waiting for more than a day (moderators)"),
        template_prefix="forum/notifications/reminder",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=POST_DECIDED,
        label=_("My forum post was approved or rejected"),
        template_prefix="forum/notifications/post_decided",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=POST_PUBLISHED,
        label=_("A new post in a thread I follow"),
        template_prefix="forum/notifications/post_published",
        default_email=EmailChoice.DAILY,
    )
)
register(
    Kind(
        key=SUSPENDED,
        label=_("I was suspended from posting in the forums"),
        template_prefix="forum/notifications/suspended",
        default_email=EmailChoice.IMMEDIATE,
        user_configurable=False,
    )
)
# E-mails to visitors who commented under a page (a bare address, no account): the
# confirmation link and the moderators' decision. Sent once, on their own request.
register(
    Kind(
        key=GUEST,
        label=_("E-mails to visitors who comment"),
        template_prefix="forum/email/guest_confirm",
        default_email=EmailChoice.IMMEDIATE,
        user_configurable=False,
    )
)
