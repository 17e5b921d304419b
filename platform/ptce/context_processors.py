from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .identity import get_identity


def identity(request) -> dict:
    """`site_identity` in every template: the PTCE's name, contact and legal pages."""
    return {"site_identity": SimpleLazyObject(get_identity)}
