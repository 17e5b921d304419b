"""The registry of notification kinds.

Each app declares its kinds in its own `kinds.py` (autodiscovered when Django starts):

    from django.utils.translation import gettext_lazy as _
    from notifications.kinds import EmailChoice, Kind, register

    register(Kind(
        key="members.join_request",
        label=_("Someone asks to join one of my structures"),
        template_prefix="members/notifications/join_request",
        default_email=EmailChoice.IMMEDIATE,
    ))

A kind's templates, looked up with `template_prefix`:
    <prefix>_subject.txt   one line, the e-mail subject
    <prefix>_message.txt   the e-mail's plain-text body
    <prefix>_message.html  optional, the e-mail's HTML body (extends the e-mail layout)
    <prefix>_inapp.txt     one line shown in the notification centre
A kind sent only to one group (coordinators, moderators) says so with `audience=`
(a ptce.roles group name): it is then offered only to that group's members (and
superusers) on the preferences page.

Each is rendered with the context passed to notify(), plus `recipient`, `target`,
`target_url` and `site` (the PTCE's identity).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class EmailChoice(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    NEVER = "never", _("Never (in the site only)")


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    template_prefix: str
    default_email: str = EmailChoice.IMMEDIATE
    # Kinds a person cannot opt out of by e-mail (e.g. account security).
    user_configurable: bool = True
    # The group (ptce.roles) whose members alone receive this kind, e.g. COORDINATORS:
    # nobody else sees it in their preferences. None: anyone may receive it.
    audience: str | None = None
    # E-mails that carry a key (password reset, address confirmation, invitation
    # links): their bodies are never shown to anyone and are forgotten once sent.
    secret: bool = False


_registry: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    existing = _registry.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {kind.key!r} is declared twice.")
    _registry[kind.key] = kind
    return kind


def get_kind(key: str) -> Kind:
    try:
        return _registry[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}.") from None


def all_kinds() -> list[Kind]:
    return sorted(_registry.values(), key=lambda kind: kind.key)


def secret_kinds() -> list[str]:
    """Keys of the kinds whose e-mails carry a key (see Kind.secret)."""
    return sorted(key for key, kind in _registry.items() if kind.secret)


# --- This app's own kinds ------------------------------------------------------------
ACCOUNT = "account"
ANNOUNCEMENT = "notifications.announcement"
DIGEST = "notifications.digest"

register(
    Kind(
        key=ACCOUNT,
        label=_("Account e-mails (confirmation, password reset)"),
        # email_enqueue() passes each account e-mail's own templates (allauth's).
        template_prefix="account/email/generic",
        default_email=EmailChoice.IMMEDIATE,
        user_configurable=False,
        secret=True,
    )
)
register(
    Kind(
        key=ANNOUNCEMENT,
        label=_("Announcements from the coordination team"),
        template_prefix="notifications/notifications/announcement",
        default_email=EmailChoice.IMMEDIATE,
    )
)
register(
    Kind(
        key=DIGEST,
        label=_("Daily digest"),
        template_prefix="notifications/email/digest",
        default_email=EmailChoice.IMMEDIATE,
        user_configurable=False,
    )
)
