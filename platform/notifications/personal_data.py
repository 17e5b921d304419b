"""What notifications holds about a person, registered with ptce.personal_data."""

from __future__ import annotations

from typing import Any

from ptce.personal_data import register, user_addresses

from .selectors import user_notifications_export
from .services import user_notifications_erase


def _erase(user: Any) -> None:
    # Runs before members deletes the addresses it matches e-mails on.
    user_notifications_erase(user=user, addresses=user_addresses(user))


register(
    key="notifications",
    models=(
        "notifications.Notification",
        "notifications.EmailDelivery",
        "notifications.DigestItem",
        "notifications.Preference",
        # Announcements stay (everyone received them); erasure unlinks their author.
        "notifications.Announcement",
    ),
    export=lambda user: user_notifications_export(user=user),
    erase=_erase,
    order=70,
)
