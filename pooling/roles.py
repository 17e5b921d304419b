"""What the PTCE-wide groups may do with bookings (see ptce.roles).

No delete: bookings are cancelled or declined, never deleted; decisions are admin
actions that call the services.
"""

from ptce.roles import COORDINATORS, grant

grant(COORDINATORS, "pooling.view_booking", "pooling.change_booking")
