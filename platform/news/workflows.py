"""The news moderation workflow: co-signing by each structure, then the coordination.

`CosignTask` (models.py) delegates here. Decisions go through services.py whatever
the door (the site's co-signing page or Wagtail's workflow actions).
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.models import (
    GroupApprovalTask,
    PagePermissionTester,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from members.models import Organisation
from members.permissions import COORDINATORS_GROUP

WORKFLOW_NAME = "Actualités : co-signature puis coordination"
COSIGN_TASK_NAME = "Co-signature des structures"
COORDINATION_TASK_NAME = "Validation par la coordination"


# --- the structures of a revision, and whose turn it is --------------------------
def revision_structure_ids(revision) -> list[int]:
    """The ids of the co-signing structures of a revision, in their order.

    Read from the revision's stored content (modelcluster keeps the draft's child
    rows there), without building the page: no query.
    """
    rows = (revision.content or {}).get("cosigners")
    if rows is None:  # not a news item's content: build it (queries)
        links = revision.as_object().cosigners.all()
        rows = [
            {"organisation": link.organisation_id, "sort_order": link.sort_order}
            for link in links
        ]
    ordered = sorted(rows, key=lambda row: row.get("sort_order") or 0)
    ids = [row.get("organisation") for row in ordered]
    return list(dict.fromkeys(pk for pk in ids if isinstance(pk, int)))


def revision_structures(revision) -> list[Organisation]:
    """The co-signing structures of the text under review, in their order."""
    ids = revision_structure_ids(revision)
    found = Organisation.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


# What co-signers sign: the text as readers will see it, and who signs it. Not the
# slug, tags, SEO fields or publication dates, which the coordination may still set.
SIGNED_FIELDS = ("title", "introduction", "main_image", "body")


def signed_text(revision) -> str:
    """A fingerprint of what the co-signers of `revision` approve.

    Read from the revision's stored content (no query). Two revisions with the same
    fingerprint publish the same text under the same structures' names.
    """
    content = revision.content or {}
    signed = {name: content.get(name) for name in SIGNED_FIELDS}
    body = signed["body"]
    if isinstance(body, str):  # StreamField content is stored as JSON text
        try:
            signed["body"] = json.loads(body)
        except ValueError:
            pass
    signed["cosigners"] = sorted(revision_structure_ids(revision))
    canonical = json.dumps(signed, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def approved_ids(task_state: TaskState) -> set[int]:
    return set(task_state.cosign_approvals.values_list("organisation_id", flat=True))


def current_structure(
    task_state: TaskState, structures: list[Organisation] | None = None
) -> Organisation | None:
    """The first structure that has not approved yet (None when all have)."""
    if structures is None:
        structures = revision_structures(task_state.revision)
    done = approved_ids(task_state)
    return next((o for o in structures if o.pk not in done), None)


# --- CosignTask behaviour --------------------------------------------------------
def cosign_task_start(task, workflow_state, user=None) -> TaskState:
    from . import services

    task_state = Task.start(task, workflow_state, user=user)
    services.cosign_started(task_state=task_state, requested_by=user)
    return task_state


def cosign_task_action(task_state, user, action_name, **kwargs):
    from . import services

    comment = kwargs.get("comment", "") or ""
    if action_name == "approve":
        services.cosign_approve(task_state=task_state, by=user, comment=comment)
    elif action_name == "reject":
        services.cosign_reject(task_state=task_state, by=user, comment=comment)


def cosign_task_actions(obj, user) -> list[tuple[str, str, bool]]:
    from .permissions import can_cosign

    task_state = obj.current_workflow_task_state
    if task_state is None or not can_cosign(user, current_structure(task_state)):
        return []
    return [
        ("reject", _("Request changes"), True),
        ("approve", _("Co-sign"), False),
    ]


COSIGN_AGAIN = "cosign_again"


def coordination_task_actions(task, obj, user) -> list[tuple[str, str, bool]]:
    """The coordination's buttons; on a changed text, « send back » replaces approve."""
    actions = GroupApprovalTask.get_actions(task, obj, user)
    revision = obj.get_latest_revision() if actions else None
    if revision is None or is_cosigned(revision):
        return actions
    return [action for action in actions if action[0] != "approve"] + [
        (COSIGN_AGAIN, _("Send back to the co-signers (the text changed)"), False)
    ]


def coordination_task_action(task, task_state, user, action_name, **kwargs):
    """The coordination's decision; « approve » publishes only a co-signed text.

    Approving a text changed since the co-signers approved it (edited and approved
    in one submit, or a stale page) sends it back to them, as the button does.
    """
    if action_name in ("approve", COSIGN_AGAIN):
        page = task_state.workflow_state.content_object
        if action_name == COSIGN_AGAIN or not is_cosigned(page.get_latest_revision()):
            from . import services

            return services.cosign_restart(task_state=task_state, by=user)
    return GroupApprovalTask.on_action(task, task_state, user, action_name, **kwargs)


# --- nothing goes live before every co-signer approved ---------------------------
# How far back a text's last co-signing decision is looked for.
COSIGN_ROUNDS_READ = 20


def is_cosigned(revision) -> bool:
    """Every co-signer of `revision` approved this very text in its last decided round.

    Approvals are given to the text of the co-signing task's revision: a revision
    whose title, introduction, main image, body or co-signers differ from every
    approved one is not co-signed, whoever saved it (a coordinator's correction
    included). The newest finished round on the same text decides: a later rejection
    of it withdraws the approval; a round still in progress on another text (a
    correction under review) does not, so a scheduled approved text still goes live.
    """
    required = set(revision_structure_ids(revision))
    if not required:
        return True
    text = signed_text(revision)
    rounds = (
        TaskState.objects.filter(
            workflow_state__base_content_type_id=revision.base_content_type_id,
            workflow_state__object_id=str(revision.object_id),
            task__content_type__app_label="news",
            task__content_type__model="cosigntask",
            status__in=(
                TaskState.STATUS_APPROVED,
                TaskState.STATUS_SKIPPED,
                TaskState.STATUS_REJECTED,
            ),
        )
        .select_related("revision")
        .order_by("-pk")[:COSIGN_ROUNDS_READ]
    )
    for state in rounds:
        if state.revision_id == revision.pk or signed_text(state.revision) == text:
            return state.status != TaskState.STATUS_REJECTED and required <= (
                approved_ids(state)
            )
    return False


def ensure_cosigned(revision) -> None:
    if not is_cosigned(revision):
        raise PublishPagePermissionError(
            "Each co-signing structure must approve this news item first."
        )


class CosignPagePermissionTester(PagePermissionTester):
    """Hides « Publish » from the admin while co-signatures are missing."""

    def can_publish(self):
        if not super().can_publish():
            return False
        revision = self.page.get_latest_revision()
        return revision is None or is_cosigned(revision)


# --- the workflow itself ---------------------------------------------------------
@transaction.atomic
def ensure_news_workflow() -> Workflow:
    """The news workflow and its two tasks, created once (by name)."""
    from .models import CoordinationTask, CosignTask

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.workflow_tasks.exists():
        cosign, _ = CosignTask.objects.get_or_create(name=COSIGN_TASK_NAME)
        coordination, created = CoordinationTask.objects.get_or_create(
            name=COORDINATION_TASK_NAME
        )
        if created:
            group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
            coordination.groups.add(group)
        WorkflowTask.objects.create(workflow=workflow, task=cosign, sort_order=0)
        WorkflowTask.objects.create(workflow=workflow, task=coordination, sort_order=1)
    return workflow


def assign_news_workflow(index_page) -> None:
    if not WorkflowPage.objects.filter(page_id=index_page.pk).exists():
        WorkflowPage.objects.create(
            page_id=index_page.pk, workflow=ensure_news_workflow()
        )
