"""How members' audit events read (ptce.audit_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.audit_labels import register

from .models import JoinRequest, Membership, Organisation

register(
    "members",
    actions={
        "members.application.submit": _("Membership application sent"),
        "members.application.accept": _("Membership application accepted"),
        "members.application.decline": _("Membership application declined"),
        "members.join_request.create": _("Request to join sent"),
        "members.join_request.accept": _("Request to join accepted"),
        "members.join_request.decline": _("Request to join declined"),
        "members.membership.role": _("Role changed"),
        "members.membership.visibility": _("Directory visibility changed"),
        "members.membership.remove": _("Person removed"),
        "members.membership.erase": _("Person left (account deleted)"),
        "members.account.update": _("Account details changed"),
        "members.account.erase": _("Account deleted"),
        "members.invitation.send": _("Invitation sent"),
        "members.invitation.revoke": _("Invitation withdrawn"),
        "members.invitation.accept": _("Invitation accepted"),
    },
    states={
        **dict(Organisation.Status.choices),
        **dict(Membership.Role.choices),
        **dict(JoinRequest.Status.choices),
    },
)
