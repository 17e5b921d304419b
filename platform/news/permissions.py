"""Who may do what with news items; used by views, templates, tasks and services."""

from __future__ import annotations

from members.models import Membership, Organisation
from members.permissions import is_coordinator, is_referent

__all__ = [
    "can_cosign",
    "can_edit_submission",
    "can_submit_news",
    "is_coordinator",
    "submitting_structures",
]


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def submitting_structures(user) -> list[Organisation]:
    """The member structures on whose behalf `user` may propose news: 1 query."""
    if not _signed_in(user):
        return []
    return list(
        Organisation.objects.filter(
            status=Organisation.Status.MEMBER, memberships__user=user
        ).order_by("name")
    )


def can_submit_news(user) -> bool:
    return _signed_in(user) and (
        Membership.objects.filter(
            user=user, organisation__status=Organisation.Status.MEMBER
        ).exists()
    )


def can_edit_submission(user, page, workflow_state) -> bool:
    """The author may correct a proposal that was never published and is not under
    review (draft, or sent back with changes requested)."""
    if not _signed_in(user) or page.owner_id != user.pk or page.live:
        return False
    if page.first_published_at is not None:
        return False
    return workflow_state is None or workflow_state.status in (
        workflow_state.STATUS_NEEDS_CHANGES,
        workflow_state.STATUS_CANCELLED,
    )


def can_cosign(user, organisation: Organisation | None) -> bool:
    """Only a référent acts for a structure: its members cannot co-sign for it."""
    return organisation is not None and is_referent(user, organisation)
