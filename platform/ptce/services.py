from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


def _ref(obj: models.Model | None) -> tuple[ContentType | None, str]:
    if obj is None:
        return None, ""
    return ContentType.objects.get_for_model(obj, for_concrete_model=False), str(obj.pk)


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    before: str = "",
    after: str = "",
    reason: str = "",
    scope: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one change; call inside the transaction that makes the change.

    `actor` is the user who acted (None for the system: a task, an expiry). `action`
    is "<app>.<object>.<verb>" (e.g. "members.application.accept"); `before`/`after`
    are the states, `reason` what the person said.
    """
    target_type, target_id = _ref(target)
    scope_type, scope_id = _ref(scope)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=str(target)[:255],
        scope_type=scope_type,
        scope_id=scope_id,
        before=str(before)[:100],
        after=str(after)[:100],
        reason=str(reason or "")[:2000],
        data=data or {},
    )
