"""What the news app hears from Wagtail: workflow steps and publications.

Wagtail e-mails workflow events itself (straight through send_mail). For news items
the platform's notify() (outbox, preferences, in-site notifications) tells people
instead, so Wagtail's e-mail notifiers are connected here under their own
dispatch_uid, wrapped to skip news: this app's ready() runs before wagtail.admin's
(platform apps come first in INSTALLED_APPS), so Wagtail's later connect() with the
same dispatch_uid is a no-op and other page types keep Wagtail's e-mails unchanged.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from wagtail.models import GroupApprovalTask, TaskState, WorkflowState
from wagtail.signals import (
    page_published,
    page_unpublished,
    task_approved,
    task_submitted,
    workflow_approved,
    workflow_cancelled,
    workflow_rejected,
    workflow_submitted,
)


def _is_news(workflow_state: WorkflowState) -> bool:
    from .models import NewsPage

    return workflow_state.content_type_id == _news_content_type_id(NewsPage)


def _news_content_type_id(model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def _on_index_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .workflows import assign_news_workflow

        assign_news_workflow(instance)


def _on_task_submitted(sender, instance, user=None, **kwargs):
    if isinstance(instance.task.specific, GroupApprovalTask) and _is_news(
        instance.workflow_state
    ):
        from .services import moderation_requested

        moderation_requested(task_state=instance)


def _on_task_approved(sender, instance, user=None, **kwargs):
    # The co-signing task records its own approvals (services.cosign_approve).
    if isinstance(instance.task.specific, GroupApprovalTask) and _is_news(
        instance.workflow_state
    ):
        from .services import coordination_approved

        coordination_approved(task_state=instance, by=user)


def _on_workflow_cancelled(sender, instance, user=None, **kwargs):
    if _is_news(instance):
        from .services import workflow_cancelled as cancelled

        cancelled(workflow_state=instance, by=user)


def _on_unpublished(sender, instance, **kwargs):
    from .services import unpublished

    unpublished(page=instance)


def _on_workflow_rejected(sender, instance, user=None, **kwargs):
    if _is_news(instance):
        from .services import changes_requested

        changes_requested(workflow_state=instance, by=user)


def _on_published(sender, instance, **kwargs):
    from .services import published

    published(page=instance)


def _skipping_news(notifier, state_of):
    def handler(sender, instance=None, **kwargs):
        if _is_news(state_of(instance)):
            return None
        return notifier(instance=instance, **kwargs)

    return handler


def _wrap_wagtail_emails() -> None:
    from wagtail.admin import signal_handlers as wagtail_mail

    wrappers = [
        (
            task_submitted,
            TaskState,
            wagtail_mail.task_submission_email_notifier,
            lambda task_state: task_state.workflow_state,
            "group_approval_task_submitted_email_notification",
        ),
        (
            workflow_submitted,
            WorkflowState,
            wagtail_mail.workflow_submission_email_notifier,
            lambda state: state,
            "workflow_state_submitted_email_notification",
        ),
        (
            workflow_rejected,
            WorkflowState,
            wagtail_mail.workflow_rejection_email_notifier,
            lambda state: state,
            "workflow_state_rejected_email_notification",
        ),
        (
            workflow_approved,
            WorkflowState,
            wagtail_mail.workflow_approval_email_notifier,
            lambda state: state,
            "workflow_state_approved_email_notification",
        ),
    ]
    for signal, sender, notifier, state_of, uid in wrappers:
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(
            _skipping_news(notifier, state_of),
            sender=sender,
            dispatch_uid=uid,
            weak=False,
        )


def connect() -> None:
    from .models import NewsIndexPage, NewsPage

    post_save.connect(_on_index_saved, sender=NewsIndexPage, dispatch_uid="news_index")
    task_submitted.connect(
        _on_task_submitted, sender=TaskState, dispatch_uid="news_task_submitted"
    )
    workflow_rejected.connect(
        _on_workflow_rejected, sender=WorkflowState, dispatch_uid="news_rejected"
    )
    page_published.connect(
        _on_published, sender=NewsPage, dispatch_uid="news_published"
    )
    task_approved.connect(
        _on_task_approved, sender=TaskState, dispatch_uid="news_task_approved"
    )
    workflow_cancelled.connect(
        _on_workflow_cancelled, sender=WorkflowState, dispatch_uid="news_cancelled"
    )
    page_unpublished.connect(
        _on_unpublished, sender=NewsPage, dispatch_uid="news_unpublished"
    )
    _wrap_wagtail_emails()
