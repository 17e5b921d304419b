"""How a structure's history (ptce's audit trail) reads on its management page.

Every app's events show there (bookings of the structure too): their words come from
each app's `audit_labels.py` (ptce.audit_labels), members' from members/audit_labels.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ptce.audit_labels import action_label, state_label


@dataclass(frozen=True)
class HistoryLine:
    date: object
    actor: str
    action: str
    subject: str
    before: str
    after: str
    reason: str


def history_line(event) -> HistoryLine:
    return HistoryLine(
        date=event.created_at,
        actor=str(event.actor) if event.actor_id else str(_("The platform")),
        action=action_label(event.action),
        subject=event.target_label,
        before=state_label(event.action, event.before),
        after=state_label(event.action, event.after),
        reason=event.reason,
    )
