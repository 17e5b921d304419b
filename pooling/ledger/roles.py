"""What the PTCE-wide groups may do with the ledger in the admin (see ptce.roles).

Coordinators set quotas (through quota_services) and read ledger lines and closed
months; lines are never added, changed or deleted from the admin (its permission
policy refuses it whatever a group holds), and months close through the service.
"""

from ptce.roles import COORDINATORS, grant

grant(
    COORDINATORS,
    *(f"pooling_ledger.{a}_quota" for a in ("view", "add", "change", "delete")),
    "pooling_ledger.view_ledgerline",
    "pooling_ledger.view_closedmonth",
)
