"""What the PTCE-wide groups may do with notifications (see ptce.roles)."""

from ptce.roles import COORDINATORS, grant

# Coordinators watch the e-mail outbox and write announcements to every member.
grant(
    COORDINATORS,
    "notifications.view_emaildelivery",
    "notifications.send_announcement",
)
