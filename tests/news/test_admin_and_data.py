"""Coordinators in the Wagtail admin; a person's news data (RGPD)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import WorkflowPage

from news import services
from news.models import CosignApproval, NewsPage
from news.personal_data import erase_news, export_news
from news.selectors import cosign_task_states_for
from news.services import Submission
from news.workflows import WORKFLOW_NAME
from ptce.roles import COORDINATORS, ensure_groups
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_coordinator(db):
    ensure_groups()
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATORS))
    return user


def test_news_index_gets_the_news_workflow(news_index):
    workflow = WorkflowPage.objects.get(page=news_index.page_ptr).workflow
    assert workflow.name == WORKFLOW_NAME
    assert [t.specific.__class__.__name__ for t in workflow.tasks] == [
        "CosignTask",
        "CoordinationTask",
    ]


def test_coordinator_writes_news_in_the_admin(
    client, admin_coordinator, news_index, make_news
):
    client.force_login(admin_coordinator)
    add = reverse("wagtailadmin_pages:add", args=["news", "newspage", news_index.pk])
    assert client.get(add).status_code == HTTPStatus.OK
    page = make_news()
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    content = client.get(edit).content.decode()
    assert "Mots-clés et structures cosignataires" in content


def test_member_cannot_open_the_admin(client, member):
    client.force_login(member)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)


def test_export_and_erase_keep_published_news_and_anonymise_cosignatures(
    news_index, member, structures, referents
):
    draft = services.news_submit(
        by=member,
        submission=Submission(
            title="Brouillon personnel",
            introduction="Intro.",
            body="Texte.",
            structure=structures[0],
        ),
    )
    (state,) = cosign_task_states_for(user=referents[0])
    services.cosign_approve(task_state=state, by=referents[0], comment="D’accord.")
    assert export_news(member)["proposed"][0]["title"] == "Brouillon personnel"
    assert export_news(referents[0])["cosigned"][0]["comment"] == "D’accord."

    erase_news(referents[0])
    approval = CosignApproval.objects.get()
    assert approval.approved_by is None and approval.comment == ""
    erase_news(member)
    assert not NewsPage.objects.filter(pk=draft.pk).exists()
    assert export_news(UserFactory()) == {"proposed": [], "cosigned": []}


def test_admin_publish_of_uncosigned_news_is_kept_as_a_draft(
    client, admin_coordinator, news_index, structures
):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        streamfield,
    )

    client.force_login(admin_coordinator)
    add = reverse("wagtailadmin_pages:add", args=["news", "newspage", news_index.pk])
    data = nested_form_data(
        {
            "title": "Cosignée",
            "slug": "cosignee",
            "introduction": "Intro.",
            "body": streamfield([]),
            "tags": "",
            "cosigners": inline_formset([{"organisation": structures[0].pk}]),
            "action-publish": "action-publish",
        }
    )
    response = client.post(add, data, follow=True)
    assert response.status_code == HTTPStatus.OK
    page = NewsPage.objects.get(slug="cosignee")
    assert not page.live
    assert "Enregistrée comme brouillon" in response.content.decode()
    # Without co-signers, the coordinator publishes at once.
    data.update({"title": "Seule", "slug": "seule"})
    data.update(nested_form_data({"cosigners": inline_formset([])}))
    client.post(add, data)
    assert NewsPage.objects.get(slug="seule").live


def test_every_decision_on_a_news_item_reaches_the_audit_trail(
    news_index, member, structures, referents, coordinator
):
    from ptce.models import AuditEvent

    def events() -> list[tuple[str, int | None]]:
        return list(AuditEvent.objects.order_by("pk").values_list("action", "actor"))

    page = services.news_submit(
        by=member,
        submission=Submission(
            title="Chantier d’insertion",
            introduction="Intro.",
            body="Texte.",
            structure=structures[0],
            cosigners=[structures[1]],
        ),
    )
    for referent in referents[:2]:
        (state,) = cosign_task_states_for(user=referent)
        services.cosign_approve(task_state=state, by=referent)
    # The coordination decides through Wagtail's workflow action.
    state = NewsPage.objects.get(pk=page.pk).current_workflow_task_state
    state.task.specific.on_action(state, coordinator, "approve")
    page = NewsPage.objects.get(pk=page.pk)
    assert page.live
    assert ("news.workflow.approve", coordinator.pk) in events()
    assert [a for a, _ in events() if a.startswith("news.cosign.")] == [
        "news.cosign.approve",
        "news.cosign.approve",
    ]
    page.unpublish(user=coordinator)
    assert events()[-1][0] == "news.page.unpublish"

    # A moderation stopped in the admin is recorded too.
    other = services.news_submit(
        by=member,
        submission=Submission(
            title="Autre", introduction="I.", body="T.", structure=structures[0]
        ),
    )
    NewsPage.objects.get(pk=other.pk).current_workflow_state.cancel(user=coordinator)
    assert events()[-1] == ("news.workflow.cancel", coordinator.pk)
