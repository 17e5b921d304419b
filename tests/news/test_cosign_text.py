"""What goes live is the text the co-signing structures approved, word for word.

A coordinator may still correct a co-signed news item: the correction goes back to the
co-signers instead of being published under their names without them.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from news import kinds, services
from news.models import CosignTask, NewsPage
from news.selectors import cosign_task_states_for
from news.workflows import is_cosigned, signed_text
from notifications.models import Notification
from ptce.models import AuditEvent
from ptce.roles import COORDINATORS, ensure_groups
from tests.news.test_workflow import approve_coordination, current_state, submission

pytestmark = pytest.mark.django_db


def cosign_all(referents) -> None:
    for referent in referents:
        (state,) = cosign_task_states_for(user=referent)
        services.cosign_approve(task_state=state, by=referent)


def correct(page, coordinator, **changes):
    draft = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft.save_revision(user=coordinator)


def asked(user) -> int:
    return Notification.objects.filter(
        recipient=user, kind=kinds.COSIGN_REQUESTED
    ).count()


@pytest.fixture
def cosigned(news_index, member, structures, referents, coordinator):
    """A news item both structures co-signed, waiting for the coordination."""
    page = services.news_submit(
        by=member, submission=submission(structures[0], structures[1:])
    )
    cosign_all(referents)
    assert current_state(page).task.name == "Validation par la coordination"
    return page


def test_a_correction_after_cosigning_goes_back_to_the_cosigners(
    cosigned, referents, coordinator
):
    approved = cosigned.get_latest_revision()
    corrected = correct(cosigned, coordinator, introduction="Un autre engagement.")
    assert signed_text(corrected) != signed_text(approved)
    assert is_cosigned(approved) and not is_cosigned(corrected)
    fresh = NewsPage.objects.get(pk=cosigned.pk)
    assert not fresh.permissions_for_user(coordinator).can_publish()
    with pytest.raises(PermissionDenied):
        corrected.publish(user=coordinator)

    approve_coordination(cosigned, coordinator)

    page = NewsPage.objects.get(pk=cosigned.pk)
    assert not page.live
    state = current_state(page)
    assert isinstance(state.task.specific, CosignTask)
    assert state.revision_id == corrected.pk
    assert asked(referents[0]) == 2  # asked again, first structure first
    assert asked(referents[1]) == 1
    assert AuditEvent.objects.filter(action="news.cosign.restart").count() == 1

    cosign_all(referents)
    approve_coordination(page, coordinator)
    page = NewsPage.objects.get(pk=cosigned.pk)
    assert page.live
    assert page.introduction == "Un autre engagement."


def test_approvals_given_during_a_correction_do_not_cover_it(
    news_index, member, structures, referents, coordinator
):
    page = services.news_submit(
        by=member, submission=submission(structures[0], structures[1:])
    )
    cosign_all(referents[:1])
    # The coordinator corrects the text while the second structure is reviewing.
    correct(page, coordinator, title="Portes ouvertes, nouvelle date")
    cosign_all(referents[1:])
    approve_coordination(page, coordinator)
    page = NewsPage.objects.get(pk=page.pk)
    assert not page.live
    assert isinstance(current_state(page).task.specific, CosignTask)


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Autre titre"},
        {"introduction": "Autre introduction."},
        {"body": [("paragraph", "<p>Un autre texte.</p>")]},
    ],
    ids=["title", "introduction", "body"],
)
def test_every_part_of_the_text_is_signed(cosigned, coordinator, changes):
    corrected = correct(cosigned, coordinator, **changes)
    assert not is_cosigned(corrected)


def test_a_cosigner_removed_after_approval_is_a_change(
    cosigned, structures, coordinator
):
    draft = cosigned.get_latest_revision_as_object()
    draft.cosigners = list(draft.cosigners.all())[:1]
    corrected = draft.save_revision(user=coordinator)
    assert not is_cosigned(corrected)


def test_the_coordination_may_still_set_the_date_and_tags(cosigned, coordinator):
    import datetime as dt

    from django.utils import timezone

    draft = cosigned.get_latest_revision_as_object()
    draft.go_live_at = timezone.now() - dt.timedelta(minutes=1)
    draft.slug = "portes-ouvertes-recyclerie"
    draft.tags.add("atelier")
    revision = draft.save_revision(user=coordinator)
    assert is_cosigned(revision)
    approve_coordination(cosigned, coordinator)
    assert NewsPage.objects.get(pk=cosigned.pk).live


def post_admin_edit(client, coordinator, page, introduction: str, **action):
    """The coordinator submits Wagtail's edit form with a new introduction."""
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        streamfield,
    )

    ensure_groups()
    coordinator.is_staff = True
    coordinator.save()
    coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(coordinator)
    draft = NewsPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    links = list(draft.cosigners.all())
    data = nested_form_data(
        {
            "title": draft.title,
            "slug": draft.slug,
            "introduction": introduction,
            "body": streamfield([]),
            "tags": "",
            "cosigners": inline_formset(
                [
                    {"id": link.pk, "organisation": link.organisation_id}
                    for link in links
                ],
                initial=len(links),
            ),
            **action,
        }
    )
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(edit, data, follow=True)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_admin_publish_of_a_corrected_cosigned_item_keeps_the_live_text(
    client, cosigned, coordinator
):
    """The bypass this closes: edit after co-signing, then « Publish » in the admin."""
    approve_coordination(cosigned, coordinator)
    live = NewsPage.objects.get(pk=cosigned.pk)
    assert live.live
    unseen = "Texte que les cosignataires n’ont jamais vu."
    html = post_admin_edit(
        client, coordinator, live, unseen, **{"action-publish": "action-publish"}
    )
    assert "non publiée" in html
    page = NewsPage.objects.get(pk=live.pk)
    assert page.live
    assert page.introduction == live.introduction  # the live text did not change
    assert page.get_latest_revision_as_object().introduction == unseen


def test_admin_edit_and_approve_in_one_click_sends_a_correction_to_the_cosigners(
    client, cosigned, coordinator, referents
):
    """« Approve and publish » with a changed text in the same submit: no 403, no
    publication, the co-signers are asked again."""
    html = post_admin_edit(
        client,
        coordinator,
        cosigned,
        "Corrigée en validant.",
        **{
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": "{}",
        },
    )
    assert "sollicitées à nouveau" in html
    page = NewsPage.objects.get(pk=cosigned.pk)
    assert not page.live
    assert isinstance(current_state(page).task.specific, CosignTask)
    assert asked(referents[0]) == 2


def test_the_coordination_is_offered_to_send_a_changed_text_back(
    cosigned, coordinator, referents
):
    def offered() -> list[str]:
        page = NewsPage.objects.get(pk=cosigned.pk)
        task = page.current_workflow_task.specific
        return [name for name, _, _ in task.get_actions(page, coordinator)]

    assert "approve" in offered() and "cosign_again" not in offered()
    correct(cosigned, coordinator, introduction="Corrigée.")
    assert "approve" not in offered()
    assert "cosign_again" in offered() and "reject" in offered()
    page = NewsPage.objects.get(pk=cosigned.pk)
    page.current_workflow_task.specific.on_action(
        page.current_workflow_task_state, coordinator, "cosign_again"
    )
    assert isinstance(current_state(page).task.specific, CosignTask)
    assert asked(referents[0]) == 2


def test_a_scheduled_cosigned_text_goes_live_while_a_correction_is_reviewed(
    cosigned, coordinator, referents
):
    """The scheduled revision is the text its co-signers approved: a later
    correction under review must neither block it nor the other scheduled pages."""
    import datetime as dt
    from unittest import mock

    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Workflow

    draft = cosigned.get_latest_revision_as_object()
    draft.go_live_at = timezone.now() + dt.timedelta(hours=1)
    scheduled = draft.save_revision(user=coordinator)
    approve_coordination(cosigned, coordinator)
    assert not NewsPage.objects.get(pk=cosigned.pk).live
    # A correction is proposed and goes to the co-signers again.
    corrected = correct(cosigned, coordinator, introduction="Corrigée plus tard.")
    page = NewsPage.objects.get(pk=cosigned.pk)
    Workflow.objects.get(pk=page.get_workflow().pk).start(page, coordinator)
    assert isinstance(current_state(page).task.specific, CosignTask)
    assert not is_cosigned(corrected)

    later = timezone.now() + dt.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    page = NewsPage.objects.get(pk=cosigned.pk)
    assert page.live
    assert page.live_revision_id == scheduled.pk
    assert page.introduction == scheduled.as_object().introduction


def test_a_later_refusal_of_the_same_text_withdraws_the_approval(
    cosigned, coordinator, referents
):
    from wagtail.models import Workflow

    approve_coordination(cosigned, coordinator)
    page = NewsPage.objects.get(pk=cosigned.pk)
    revision = page.get_latest_revision()
    assert page.live and is_cosigned(revision)
    # The same text goes round again, and the first structure now refuses it.
    Workflow.objects.get(pk=page.get_workflow().pk).start(page, coordinator)
    assert is_cosigned(revision)  # a round in progress decides nothing yet
    services.cosign_reject(
        task_state=current_state(page), by=referents[0], comment="Nous retirons."
    )
    assert not is_cosigned(revision)
    with pytest.raises(PermissionDenied):
        revision.publish(user=coordinator)
