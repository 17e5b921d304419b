from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import AuditEvent


def _for(field: str, obj: models.Model) -> QuerySet[AuditEvent]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEvent.objects.filter(
        **{f"{field}_type": content_type, f"{field}_id": str(obj.pk)}
    ).select_related("actor")


def audit_for_target(obj: models.Model) -> QuerySet[AuditEvent]:
    """The history of one object (a booking, a post), newest first."""
    return _for("target", obj)


def audit_for_scope(obj: models.Model) -> QuerySet[AuditEvent]:
    """Everything recorded about an object and what belongs to it (a structure)."""
    return _for("scope", obj)


def audit_by_actor(user) -> QuerySet[AuditEvent]:
    """What a person did: their own acts, for the personal-data export."""
    return AuditEvent.objects.filter(actor=user)
