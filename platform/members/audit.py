"""How a structure's history (ptce's audit trail) reads on its management page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import JoinRequest, Membership, Organisation

ACTIONS = {
    "members.application.submit": _("Membership application sent"),
    "members.application.accept": _("Membership application accepted"),
    "members.application.decline": _("Membership application declined"),
    "members.join_request.create": _("Request to join sent"),
    "members.join_request.accept": _("Request to join accepted"),
    "members.join_request.decline": _("Request to join declined"),
    "members.membership.role": _("Role changed"),
    "members.membership.remove": _("Person removed"),
    "members.membership.erase": _("Person left (account deleted)"),
    "members.invitation.send": _("Invitation sent"),
    "members.invitation.revoke": _("Invitation withdrawn"),
    "members.invitation.accept": _("Invitation accepted"),
}
STATES = {
    **dict(Organisation.Status.choices),
    **dict(Membership.Role.choices),
    **dict(JoinRequest.Status.choices),
}


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
        action=str(ACTIONS.get(event.action, event.action)),
        subject=event.target_label,
        before=str(STATES.get(event.before, event.before)),
        after=str(STATES.get(event.after, event.after)),
        reason=event.reason,
    )
