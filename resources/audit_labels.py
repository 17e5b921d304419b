"""How the catalogue's audit events read (ptce.audit_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.audit_labels import register

from .models import Resource

register(
    "resources",
    actions={
        "resources.resource.create": _("Resource added"),
        "resources.resource.update": _("Resource changed"),
        "resources.resource.status": _("Resource availability changed"),
        "resources.resource.hours": _("Opening hours changed"),
        "resources.resource.managers": _("Resource managers changed"),
        "resources.closure.add": _("Closure added"),
        "resources.closure.remove": _("Closure removed"),
        "resources.photo.add": _("Photo added"),
        "resources.photo.describe": _("Photo description changed"),
        "resources.photo.move": _("Photo moved"),
        "resources.photo.remove": _("Photo removed"),
    },
    states=dict(Resource.Status.choices),
)
