"""How home's audit events read (ptce.audit_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.audit_labels import register

register("home", actions={"home.contact.send": _("Message sent to the coordination")})
