"""What the PTCE-wide groups may do with the catalogue (see ptce.roles).

Coordinators browse, search and export resources in the Wagtail admin and change their
description; rule-carrying fields are read-only there and go through the services.
"""

from ptce.roles import COORDINATORS, MODERATORS, grant

grant(
    COORDINATORS,
    *(
        f"resources.{action}_{model}"
        for model in ("resource", "closure", "openingperiod", "resourcemanager")
        for action in ("view", "change")
    ),
)
grant(MODERATORS, "resources.view_resource")
grant(
    COORDINATORS,
    *(f"resources.{a}_resourcephoto" for a in ("view", "add", "change", "delete")),
)
