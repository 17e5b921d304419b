"""A structure's public profile, edited by its référents or the coordination."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .. import permissions
from ..models import Organisation, User


@transaction.atomic
def organisation_update_profile(
    *, organisation: Organisation, by: User, data: dict[str, Any]
) -> Organisation:
    if not permissions.can_manage_organisation(by, organisation):
        raise PermissionDenied
    for name, value in data.items():
        # save_form_data understands a cleared file input (False) as "no logo".
        Organisation._meta.get_field(name).save_form_data(organisation, value)
    organisation.full_clean()
    organisation.save()
    return organisation
