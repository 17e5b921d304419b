"""How notifications' audit events read (ptce.audit_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.audit_labels import register

register(
    "notifications",
    actions={"notifications.announcement.send": _("Announcement sent")},
)
