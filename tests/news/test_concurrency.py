"""Co-signing under concurrent clicks, on real PostgreSQL connections."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import WorkflowState

from members.models import Membership
from news import services
from news.models import CosignApproval
from news.selectors import cosign_task_states_for
from news.services import Submission
from notifications.models import Notification
from tests.concurrency import needs_postgresql, run_concurrently
from tests.factories import MembershipFactory

pytestmark = [
    needs_postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _submit(member, structures):
    return services.news_submit(
        by=member,
        submission=Submission(
            title="Course",
            introduction="Intro.",
            body="Texte.",
            structure=structures[0],
            cosigners=[structures[1]],
        ),
    )


def test_referents_racing_to_cosign_give_one_approval_and_one_turn_message(
    news_index, member, structures, referents
):
    _submit(member, structures)
    second = MembershipFactory(
        organisation=structures[0], role=Membership.Role.REFERENT
    ).user
    (state,) = cosign_task_states_for(user=referents[0])
    deciders = [referents[0], second] * 5

    def approve(index: int):
        return services.cosign_approve(task_state=state, by=deciders[index]).pk

    results = run_concurrently(10, approve)
    approvals = [r for r in results if not isinstance(r, Exception)]
    assert len(approvals) == 1, results
    # The others are told it is no longer their structure's turn.
    failures = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, PermissionDenied | ValidationError) for r in failures)
    assert CosignApproval.objects.count() == 1
    # The next structure is told once.
    assert (
        Notification.objects.filter(
            recipient=referents[1], kind="news.cosign_requested"
        ).count()
        == 1
    )


def test_a_resubmission_clicked_five_times_starts_one_workflow(
    news_index, member, structures, referents
):
    page = _submit(member, structures)
    (state,) = cosign_task_states_for(user=referents[0])
    services.cosign_reject(task_state=state, by=referents[0], comment="Non.")

    def resubmit(index: int):
        return services.news_resubmit(
            page=page,
            by=member,
            submission=Submission(
                title="Course corrigée",
                introduction="Intro.",
                body="Texte.",
                structure=structures[0],
            ),
        ).pk

    results = run_concurrently(5, resubmit)
    assert len([r for r in results if not isinstance(r, Exception)]) == 1, results
    assert (
        WorkflowState.objects.filter(
            object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
        ).count()
        == 1
    )
