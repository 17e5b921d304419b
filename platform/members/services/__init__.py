"""Every write on member structures and people, with its business rules, by concern:

- applications.py — a structure applies, the coordination decides;
- people.py — roles and removals in a structure, join requests;
- invitations.py — invitations by e-mail and their signed links;
- profile.py — a structure's public profile;
- accounts.py — a person's own details, RGPD export and erasure (parts in
  members/personal_data.py).

Services check permissions first, run in one transaction and enqueue notifications
through notifications.services (an outbox written in the same transaction). Callers
import them from here: `from members import services`.
"""

from __future__ import annotations

from ..selectors import coordinators, organisation_referents
from .accounts import (
    account_update,
    organisations_blocking_erasure,
    user_data_export,
    user_erase,
)
from .applications import organisation_application_decide, organisation_apply
from .invitations import (
    INVITATION_SALT,
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_max_age,
    invitation_revoke,
    invitation_token,
    wrong_address_message,
)
from .people import (
    join_request_create,
    join_request_decide,
    membership_remove,
    membership_update,
)
from .profile import organisation_update_profile

__all__ = [
    "INVITATION_SALT",
    "InvitationError",
    "account_update",
    "coordinators",
    "invitation_accept",
    "invitation_create",
    "invitation_from_token",
    "invitation_max_age",
    "invitation_revoke",
    "invitation_token",
    "join_request_create",
    "join_request_decide",
    "membership_remove",
    "membership_update",
    "organisation_application_decide",
    "organisation_apply",
    "organisation_referents",
    "organisation_update_profile",
    "organisations_blocking_erasure",
    "user_data_export",
    "user_erase",
    "wrong_address_message",
]
