from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent

ModelT = TypeVar("ModelT", bound=models.Model)


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


def model_update(
    *, instance: ModelT, fields: Iterable[str], data: dict[str, Any]
) -> tuple[ModelT, list[str]]:
    """Write onto `instance` the values of `data` for the whitelisted `fields` only.

    The service names the fields it may write (HackSoft's model_update): a key of
    `data` outside them is a caller's bug and raises ValueError, nothing written.
    Values are set like a model form does (a cleared file input, False, empties the
    file), the instance is validated, then saved with update_fields (plus any
    auto_now field). Returns the instance and the fields whose value changed.
    """
    allowed = set(fields)
    unexpected = sorted(set(data) - allowed)
    if unexpected:
        raise ValueError(f"Fields not writable here: {', '.join(unexpected)}.")
    changed = []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        before = getattr(instance, field.attname)
        field.save_form_data(instance, value)
        if getattr(instance, field.attname) != before:
            changed.append(name)
    if changed:
        instance.full_clean()
        auto_now = [
            f.name
            for f in instance._meta.concrete_fields
            if getattr(f, "auto_now", False)
        ]
        instance.save(update_fields=[*changed, *auto_now])
    return instance, changed
