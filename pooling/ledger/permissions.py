"""Who may read statements, close months and set quotas."""

from __future__ import annotations

from members.permissions import is_coordinator, is_referent


def can_view_statement(user, organisation) -> bool:
    """A structure's statement: its référents and the coordinators."""
    return is_coordinator(user) or is_referent(user, organisation)


def can_view_ptce_statement(user) -> bool:
    return is_coordinator(user)


def can_close_month(user) -> bool:
    return is_coordinator(user)


def can_set_quota(user, *, owner=None) -> bool:
    """Coordinators cap any structure; an owner's référents cap use of their resources.

    `owner` is the structure whose resources the quota covers (None: everyone's).
    """
    if is_coordinator(user):
        return True
    return owner is not None and is_referent(user, owner)
