"""Member submissions, co-signing in turn, coordination, rejection and resubmission."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import TaskState, WorkflowState

from news import kinds, services
from news.models import CosignApproval, NewsPage
from news.selectors import cosign_task_states_for, published_news
from news.services import Submission
from notifications.models import Notification
from ptce.models import AuditEvent
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def submission(structure, cosigners=(), **overrides) -> Submission:
    values = {
        "title": "Portes ouvertes à la recyclerie",
        "introduction": "Venez découvrir l’atelier.",
        "body": "Premier paragraphe.\n\nSecond <b>paragraphe</b>.",
        "structure": structure,
        "cosigners": list(cosigners),
        "tags": ["réemploi", "portes ouvertes"],
    }
    values.update(overrides)
    return Submission(**values)


def kinds_for(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def current_state(page) -> TaskState:
    return NewsPage.objects.get(pk=page.pk).current_workflow_task_state


def approve_coordination(page, coordinator) -> None:
    state = current_state(page)
    assert state.task.name == "Validation par la coordination"
    state.task.specific.on_action(state, coordinator, "approve")


def test_cosigned_news_goes_live_after_each_structure_in_turn_then_coordination(
    news_index, member, structures, referents, coordinator
):
    page = services.news_submit(
        by=member, submission=submission(structures[0], structures[1:])
    )
    assert not page.live
    # Only the first structure's référents are asked; it is nobody else's turn yet.
    assert kinds_for(referents[0]) == [kinds.COSIGN_REQUESTED]
    assert kinds_for(referents[1]) == []
    assert cosign_task_states_for(user=referents[1]) == []
    with pytest.raises(PermissionDenied):
        services.cosign_approve(task_state=current_state(page), by=referents[1])

    for index, referent in enumerate(referents):
        (state,) = cosign_task_states_for(user=referent)
        services.cosign_approve(task_state=state, by=referent)
        if index + 1 < len(referents):
            assert kinds_for(referents[index + 1]) == [kinds.COSIGN_REQUESTED]
        assert not NewsPage.objects.get(pk=page.pk).live

    assert kinds_for(coordinator) == [kinds.MODERATION_REQUESTED]
    assert CosignApproval.objects.count() == 3
    approve_coordination(page, coordinator)

    page = NewsPage.objects.get(pk=page.pk)
    assert page.live
    assert [link.organisation for link in page.cosigners.all()] == structures
    assert sorted(t.name for t in page.tags.all()) == ["portes ouvertes", "réemploi"]
    # Submitted text is escaped, never markup.
    assert "&lt;b&gt;paragraphe&lt;/b&gt;" in str(page.body)
    assert kinds_for(member)[-1] == kinds.PUBLISHED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"news.submission.create", "news.cosign.approve", "news.page.publish"} <= (
        actions
    )
    # Wagtail's own workflow e-mails are replaced by notify() for news.
    assert all("wagtail" not in (m.subject or "").lower() for m in mail.outbox)


def test_referent_who_submits_for_own_structure_has_approved_it(
    news_index, structures, referents, coordinator
):
    page = services.news_submit(
        by=referents[0], submission=submission(structures[0], [structures[1]])
    )
    assert kinds_for(referents[0]) == []
    assert kinds_for(referents[1]) == [kinds.COSIGN_REQUESTED]
    (state,) = cosign_task_states_for(user=referents[1])
    services.cosign_approve(task_state=state, by=referents[1])
    approve_coordination(page, coordinator)
    assert NewsPage.objects.get(pk=page.pk).live


def test_rejection_tells_author_the_comment_and_resubmission_restarts_cosigning(
    news_index, member, structures, referents, coordinator
):
    page = services.news_submit(
        by=member, submission=submission(structures[0], [structures[1]])
    )
    (state,) = cosign_task_states_for(user=referents[0])
    services.cosign_approve(task_state=state, by=referents[0])
    (state,) = cosign_task_states_for(user=referents[1])
    with pytest.raises(ValidationError):
        services.cosign_reject(task_state=state, by=referents[1], comment="  ")
    services.cosign_reject(
        task_state=state, by=referents[1], comment="Retirez notre logo, merci."
    )

    page = NewsPage.objects.get(pk=page.pk)
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    note = Notification.objects.filter(recipient=member).latest("pk")
    assert note.kind == kinds.CHANGES_REQUESTED
    assert "Retirez notre logo" in note.text
    assert not published_news().filter(pk=page.pk).exists()

    # The author corrects and sends it again: every structure approves again.
    services.news_resubmit(
        page=page,
        by=member,
        submission=submission(
            structures[0], [structures[1]], title="Portes ouvertes (corrigé)"
        ),
    )
    page = NewsPage.objects.get(pk=page.pk)
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert cosign_task_states_for(user=referents[1]) == []
    (state,) = cosign_task_states_for(user=referents[0])
    assert state.revision.as_object().title == "Portes ouvertes (corrigé)"
    services.cosign_approve(task_state=state, by=referents[0])
    (state,) = cosign_task_states_for(user=referents[1])
    services.cosign_approve(task_state=state, by=referents[1])
    approve_coordination(page, coordinator)
    page = NewsPage.objects.get(pk=page.pk)
    assert page.live and page.title == "Portes ouvertes (corrigé)"


def test_coordinator_rejection_reaches_author_with_comment(
    news_index, referents, structures, coordinator
):
    page = services.news_submit(by=referents[0], submission=submission(structures[0]))
    state = current_state(page)
    state.task.specific.on_action(
        state, coordinator, "reject", comment="Précisez la date, s’il vous plaît."
    )
    note = Notification.objects.filter(recipient=referents[0]).latest("pk")
    assert note.kind == kinds.CHANGES_REQUESTED
    assert "Précisez la date" in note.text
    assert not NewsPage.objects.get(pk=page.pk).live


def test_nobody_outside_the_turn_can_cosign_or_reject(
    news_index, member, structures, referents, coordinator
):
    page = services.news_submit(
        by=member, submission=submission(structures[0], [structures[1]])
    )
    state = current_state(page)
    plain_member = MembershipFactory(organisation=structures[0]).user
    for intruder in (member, plain_member, referents[1], referents[2], UserFactory()):
        with pytest.raises(PermissionDenied):
            services.cosign_approve(task_state=state, by=intruder)
        with pytest.raises(PermissionDenied):
            services.cosign_reject(task_state=state, by=intruder, comment="Non.")
    # Coordinators do not co-sign for a structure either.
    with pytest.raises(PermissionDenied):
        services.cosign_approve(task_state=state, by=coordinator)
    assert CosignApproval.objects.count() == 0


def test_approving_twice_is_refused(news_index, member, structures, referents):
    page = services.news_submit(by=member, submission=submission(structures[0]))
    state = current_state(page)
    services.cosign_approve(task_state=state, by=referents[0])
    with pytest.raises(ValidationError):
        services.cosign_approve(task_state=state, by=referents[0])
    assert CosignApproval.objects.count() == 1


def test_only_members_of_member_structures_submit_for_their_own_structure(
    news_index, structures, member
):
    with pytest.raises(PermissionDenied):
        services.news_submit(by=UserFactory(), submission=submission(structures[0]))
    with pytest.raises(PermissionDenied):  # not one of the member's structures
        services.news_submit(by=member, submission=submission(structures[1]))
    assert not NewsPage.objects.exists()


def test_cosigned_news_cannot_be_published_directly(
    news_index, member, structures, referents, coordinator
):
    page = services.news_submit(
        by=member, submission=submission(structures[0], [structures[1]])
    )
    revision = page.get_latest_revision()
    assert not page.permissions_for_user(coordinator).can_publish()
    with pytest.raises(PermissionDenied):
        revision.publish(user=coordinator)
    assert not NewsPage.objects.get(pk=page.pk).live


def test_news_without_cosigner_is_published_by_coordinators_directly(
    news_index, coordinator
):
    page = NewsPage(title="Mot de la coordination", introduction="Bonjour.")
    news_index.add_child(instance=page)
    assert page.permissions_for_user(coordinator).can_publish()
    page.save_revision(user=coordinator).publish(user=coordinator)
    assert NewsPage.objects.get(pk=page.pk).live


def test_scheduled_publication_goes_live_with_publish_scheduled(
    news_index, coordinator, member, structures, referents
):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    page = services.news_submit(by=member, submission=submission(structures[0]))
    (state,) = cosign_task_states_for(user=referents[0])
    services.cosign_approve(task_state=state, by=referents[0])
    # The coordination schedules it for later while approving.
    draft = page.get_latest_revision_as_object()
    draft.go_live_at = timezone.now() + dt.timedelta(hours=1)
    draft.save_revision(user=coordinator)
    approve_coordination(page, coordinator)
    page = NewsPage.objects.get(pk=page.pk)
    assert not page.live
    assert kinds.PUBLISHED not in kinds_for(member)

    later = timezone.now() + dt.timedelta(hours=2)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    page = NewsPage.objects.get(pk=page.pk)
    assert page.live
    assert kinds_for(member)[-1] == kinds.PUBLISHED
