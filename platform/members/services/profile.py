"""A structure's public profile, edited by its référents or the coordination."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ptce.services import model_update

from .. import permissions
from ..models import Organisation, User

# What a structure's référents edit themselves, and what its public page shows.
PROFILE_FIELDS = (
    "summary",
    "description",
    "logo",
    "address",
    "postal_code",
    "city",
    "website",
    "public_email",
    "public_phone",
)


@transaction.atomic
def organisation_update_profile(
    *, organisation: Organisation, by: User, data: dict[str, Any]
) -> Organisation:
    if not permissions.can_manage_organisation(by, organisation):
        raise PermissionDenied
    organisation, _changed = model_update(
        instance=organisation, fields=PROFILE_FIELDS, data=data
    )
    return organisation
