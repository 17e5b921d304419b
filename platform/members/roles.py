"""What the PTCE-wide groups may do with structures and people (see ptce.roles)."""

from ptce.roles import COORDINATORS, MODERATORS, grant

MODELS = ("organisation", "membership", "invitation", "joinrequest")

# Decisions (applications, join requests, roles) go through the services, from the
# site or admin actions: coordinators get no delete, moderators only read.
grant(
    COORDINATORS,
    *(
        f"members.{action}_{model}"
        for model in MODELS
        for action in ("view", "add", "change")
    ),
)
grant(MODERATORS, *(f"members.view_{model}" for model in MODELS))
