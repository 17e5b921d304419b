"""Every write on news items with a business rule: submission, correction,
co-signing decisions, and what is told to whom when the workflow moves.

Wagtail's workflow machinery (WorkflowState, TaskState) stays the record of where an
item stands; these services add the rules (who may act for which structure), the
audit trail and the notifications, in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.blocks import StreamValue
from wagtail.images import get_image_model
from wagtail.models import TaskState, WorkflowState
from wagtail.rich_text import RichText

from members.models import Organisation
from members.selectors import coordinators, organisation_referents
from notifications.services import notify
from ptce.identity import absolute_url
from ptce.services import audit_record

from . import kinds, permissions
from .models import CosignApproval, NewsIndexPage, NewsPage, NewsPageStructure
from .workflows import current_structure, ensure_news_workflow, revision_structures

MAX_TAGS = 10
MAX_TAG_LENGTH = 50


@dataclass
class Submission:
    """What a member proposes from the site (already validated by the form)."""

    title: str
    introduction: str
    body: str
    structure: Organisation
    cosigners: list[Organisation] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image: UploadedFile | None = None
    image_alt: str = ""
    # A correction (news_resubmit): the new text of the editable blocks of the body,
    # by block id (see body_parts); `body` then holds paragraphs added at the end.
    body_edits: dict[str, str] = field(default_factory=dict)


# --- helpers -----------------------------------------------------------------
def body_from_text(text: str) -> list[tuple[str, RichText]]:
    """Plain text as paragraph blocks: blank lines separate paragraphs, never markup."""
    from django.utils.html import escape, linebreaks

    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return [
        ("paragraph", RichText(linebreaks(escape(p)))) for p in paragraphs if p.strip()
    ]


# Only <p> and <br>: the paragraphs a member typed (body_from_text). A paragraph
# formatted in Wagtail (links, bold, lists) is kept as it is by a correction.
_NOT_PLAIN = re.compile(r"<(?!/?(?:p|br)\b[^>]*>)", re.IGNORECASE)


@dataclass(frozen=True)
class BodyPart:
    """One block of a news item's body, as the author's correction form shows it."""

    block: StreamValue.StreamChild
    editable: bool
    text: str  # the plain text to edit (editable blocks only)

    @property
    def block_id(self) -> str:
        return self.block.id


def paragraph_text(html: str) -> str:
    """A plain paragraph block back to the text a member typed (body_from_text)."""
    with_breaks = re.sub(r"<br\s*/?>", "\n", html)
    return unescape(strip_tags(with_breaks)).strip()


def body_parts(body) -> list[BodyPart]:
    """The blocks of a body in order: headings and plain paragraphs are editable
    text; images, quotes, documents, pages and formatted paragraphs are kept."""
    parts = []
    for block in body:
        if block.block_type == "heading":
            parts.append(BodyPart(block, True, block.value.get("text", "")))
        elif block.block_type == "paragraph" and not _NOT_PLAIN.search(
            str(block.value.source)
        ):
            parts.append(BodyPart(block, True, paragraph_text(block.value.source)))
        else:
            parts.append(BodyPart(block, False, ""))
    return parts


def corrected_body(body, edits: dict[str, str], added: str) -> StreamValue:
    """`body` with its editable blocks' text replaced by `edits` (by block id) and
    `added` paragraphs at the end. Every other block stays, in place, untouched: a
    correction never loses an image, a quote, a document or a formatted paragraph.
    An emptied text block goes; a paragraph with blank lines becomes several."""
    children = []
    for part in body_parts(body):
        block = part.block
        text = edits.get(block.id)
        if not part.editable or text is None or text.strip() == part.text.strip():
            children.append(block)  # kept, or unchanged: exactly as it was
            continue
        if block.block_type == "heading":
            text = " ".join(text.split())[:200]
            if text:
                value = block.block.to_python(
                    {"text": text, "level": block.value.get("level") or "h2"}
                )
                children.append(
                    StreamValue.StreamChild(block.block, value, id=block.id)
                )
        else:
            for n, (kind, value) in enumerate(body_from_text(text)):
                children.append((kind, value, block.id if n == 0 else None))
    children.extend(body_from_text(added or ""))
    return StreamValue(body.stream_block, children)


def _unique_slug(
    index: NewsIndexPage, title: str, exclude_pk: int | None = None
) -> str:
    base = slugify(title)[:70] or "actualite"
    taken = set(index.get_children().values_list("slug", flat=True))
    if exclude_pk:
        taken -= set(
            index.get_children().filter(pk=exclude_pk).values_list("slug", flat=True)
        )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _image(submission: Submission, by):
    if submission.image is None:
        return None
    image = get_image_model()(
        title=submission.title[:255],
        file=submission.image,
        uploaded_by_user=by,
        description=submission.image_alt[:255],
    )
    image.save()
    return image


def _apply(page: NewsPage, submission: Submission, by, *, correcting=False) -> None:
    structures = [submission.structure] + [
        o for o in submission.cosigners if o.pk != submission.structure.pk
    ]
    page.title = submission.title
    page.introduction = submission.introduction
    if correcting:
        page.body = corrected_body(page.body, submission.body_edits, submission.body)
    else:
        page.body = body_from_text(submission.body)
    page.cosigners = [
        NewsPageStructure(organisation=o, sort_order=i)
        for i, o in enumerate(structures)
    ]
    page.tags.set(submission.tags[:MAX_TAGS])
    image = _image(submission, by)
    if image is not None:
        page.main_image = image


def _check_submission(submission: Submission, by) -> None:
    if not permissions.can_submit_news(by):
        raise PermissionDenied
    if submission.structure not in permissions.submitting_structures(by):
        raise PermissionDenied
    bad = [o for o in submission.cosigners if o.status != Organisation.Status.MEMBER]
    if bad:
        raise ValidationError(_("Only member structures can co-sign a news item."))


def news_index_page() -> NewsIndexPage:
    index = NewsIndexPage.objects.first()
    if index is None:
        raise ValidationError(_("The news section does not exist yet."))
    return index


def _start_workflow(page: NewsPage, by) -> WorkflowState:
    workflow = page.get_workflow() or ensure_news_workflow()
    return workflow.start(page, by)


# --- submission and correction -----------------------------------------------------
@transaction.atomic
def news_submit(*, by, submission: Submission) -> NewsPage:
    """A member proposes a news item: a draft page enters the moderation workflow."""
    _check_submission(submission, by)
    index = news_index_page()
    page = NewsPage(owner=by, live=False, slug=_unique_slug(index, submission.title))
    _apply(page, submission, by)
    index.add_child(instance=page)
    page.save_revision(user=by, log_action=True)
    _start_workflow(page, by)
    audit_record(
        actor=by,
        action="news.submission.create",
        target=page,
        scope=submission.structure,
    )
    return page


@transaction.atomic
def news_resubmit(*, page: NewsPage, by, submission: Submission) -> NewsPage:
    """The author corrects a proposal sent back to them; co-signers approve again.

    The body is corrected block by block (`corrected_body`): the text blocks named
    in `submission.body_edits` change, `submission.body` is added at the end, and
    every other block (images, quotes, documents, pages...) stays as it is.
    """
    page = NewsPage.objects.select_for_update().get(pk=page.pk)
    state = page.current_workflow_state
    if not permissions.can_edit_submission(by, page, state):
        raise PermissionDenied
    _check_submission(submission, by)
    draft = page.get_latest_revision_as_object()
    _apply(draft, submission, by, correcting=True)
    draft.slug = _unique_slug(page.get_parent(), submission.title, exclude_pk=page.pk)
    draft.save_revision(user=by, log_action=True)
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.cancel(user=by)
    _start_workflow(page, by)
    audit_record(
        actor=by,
        action="news.submission.resubmit",
        target=page,
        scope=submission.structure,
    )
    return page


# --- co-signing ------------------------------------------------------------------
def _review_url(task_state: TaskState) -> str:
    return absolute_url(reverse("news:cosign_review", args=[task_state.pk]))


def _notify_turn(task_state: TaskState, organisation: Organisation) -> None:
    page = task_state.revision.as_object()
    notify(
        organisation_referents(organisation),
        kinds.COSIGN_REQUESTED,
        {
            "title": page.title,
            "organisation": organisation,
            "review_url": _review_url(task_state),
        },
    )


def _approve_as(task_state, organisation, by, comment="") -> CosignApproval:
    approval = CosignApproval.objects.create(
        task_state=task_state,
        organisation=organisation,
        approved_by=by,
        comment=comment,
    )
    audit_record(
        actor=by,
        action="news.cosign.approve",
        target=task_state.revision.as_object(),
        scope=organisation,
        reason=comment,
    )
    return approval


def _advance(task_state: TaskState, structures, by, comment="") -> None:
    """Tell the next structure it is its turn, or end the task when all approved."""
    following = current_structure(task_state, structures)
    if following is None:
        task_state.approve(user=by, comment=comment)
    else:
        _notify_turn(task_state, following)


def cosign_started(*, task_state: TaskState, requested_by) -> None:
    """Called as the co-signing task starts (inside the workflow's transaction)."""
    structures = revision_structures(task_state.revision)
    if not structures:
        task_state.status = TaskState.STATUS_SKIPPED
        task_state.save(update_fields=["status"])
        return
    # A référent who proposes for their own structure has approved it by doing so.
    current = current_structure(task_state, structures)
    while current is not None and permissions.can_cosign(requested_by, current):
        _approve_as(task_state, current, requested_by)
        current = current_structure(task_state, structures)
    if current is None:
        task_state.status = TaskState.STATUS_APPROVED
        task_state.finished_by = requested_by
        task_state.finished_at = timezone.now()
        task_state.save(update_fields=["status", "finished_by", "finished_at"])
    else:
        _notify_turn(task_state, current)


def _locked_state(task_state: TaskState) -> TaskState:
    state = TaskState.objects.select_for_update().get(pk=task_state.pk).specific
    if state.status != TaskState.STATUS_IN_PROGRESS:
        raise ValidationError(_("This news item no longer awaits co-signing."))
    return state


@transaction.atomic
def cosign_approve(*, task_state: TaskState, by, comment: str = "") -> CosignApproval:
    """A référent of the structure whose turn it is co-signs the item."""
    state = _locked_state(task_state)
    structures = revision_structures(state.revision)
    organisation = current_structure(state, structures)
    if not permissions.can_cosign(by, organisation):
        raise PermissionDenied
    approval = _approve_as(state, organisation, by, comment[:2000])
    _advance(state, structures, by, comment[:2000])
    return approval


@transaction.atomic
def cosign_restart(*, task_state: TaskState, by) -> TaskState:
    """The text changed after its co-signers approved it: they are asked again.

    Called when the coordination approves a revision whose title, introduction,
    image, body or co-signers differ from the text the co-signers approved (a
    correction made after their approval). The coordination's step is closed
    without publishing and co-signing starts again on the latest revision, from the
    first structure; the coordination decides again afterwards.
    """
    from .models import CosignTask

    state = _locked_state(task_state)
    workflow_state = state.workflow_state
    cosign = CosignTask.objects.filter(
        workflow_tasks__workflow_id=workflow_state.workflow_id, active=True
    ).first()
    if cosign is None:  # a workflow without co-signing: nothing can publish it
        raise ValidationError(_("This news item no longer awaits co-signing."))
    state.status = TaskState.STATUS_CANCELLED
    state.finished_at = timezone.now()
    state.finished_by = by
    state.save(update_fields=["status", "finished_at", "finished_by"])
    workflow_state.update(user=by, next_task=cosign)
    audit_record(
        actor=by,
        action="news.cosign.restart",
        target=workflow_state.content_object.specific,
        data={"task_state": state.pk},
    )
    return workflow_state.current_task_state


@transaction.atomic
def cosign_reject(*, task_state: TaskState, by, comment: str) -> TaskState:
    """A référent sends the item back to its author, saying what to change."""
    state = _locked_state(task_state)
    organisation = current_structure(state)
    if not permissions.can_cosign(by, organisation):
        raise PermissionDenied
    comment = (comment or "").strip()[:2000]
    if not comment:
        raise ValidationError(_("Say what should be changed."))
    state.reject(user=by, comment=comment)
    audit_record(
        actor=by,
        action="news.cosign.reject",
        target=state.revision.as_object(),
        scope=organisation,
        reason=comment,
    )
    return state


# --- told when the workflow moves (wired in signals.py) -------------------------
def moderation_requested(*, task_state: TaskState) -> None:
    """The coordination's step started: tell the coordinators."""
    page = task_state.revision.as_object()
    notify(
        coordinators(),
        kinds.MODERATION_REQUESTED,
        {
            "title": page.title,
            "admin_url": absolute_url(
                reverse("wagtailadmin_pages:edit", args=[page.pk])
            ),
        },
    )


def coordination_approved(*, task_state: TaskState, by) -> None:
    """The coordination approved (Wagtail's workflow action): who, and what it said."""
    audit_record(
        actor=by,
        action="news.workflow.approve",
        target=task_state.revision.as_object(),
        reason=task_state.comment,
        data={"task": task_state.task.name},
    )


def workflow_cancelled(*, workflow_state: WorkflowState, by) -> None:
    """Someone stopped the moderation of an item (Wagtail's « Cancel workflow »)."""
    audit_record(
        actor=by, action="news.workflow.cancel", target=workflow_state.content_object
    )


def unpublished(*, page: NewsPage) -> None:
    audit_record(actor=None, action="news.page.unpublish", target=page)


def changes_requested(*, workflow_state: WorkflowState, by) -> None:
    """The item was sent back: the author hears why and may correct it."""
    task_state = workflow_state.current_task_state
    page = task_state.revision.as_object()
    author = workflow_state.requested_by
    audit_record(
        actor=by,
        action="news.workflow.reject",
        target=page,
        reason=task_state.comment,
        data={"task": task_state.task.name},
    )
    if author is None or author == by:
        return
    notify(
        [author],
        kinds.CHANGES_REQUESTED,
        {
            "title": page.title,
            "comment": task_state.comment,
            "step": task_state.task.name,
            "edit_url": absolute_url(reverse("news:submission_edit", args=[page.pk])),
        },
    )


def published(*, page: NewsPage) -> None:
    """First publication of a proposed item: its author is told."""
    # Also sent when a publication is only scheduled (not live yet): wait for it.
    if not page.live or page.first_published_at != page.last_published_at:
        return
    state = (
        WorkflowState.objects.filter(
            base_content_type_id=page.get_base_content_type().pk,
            object_id=str(page.pk),
            status=WorkflowState.STATUS_APPROVED,
        )
        .select_related("requested_by")
        .order_by("-pk")
        .first()
    )
    audit_record(actor=None, action="news.page.publish", target=page)
    if state is None or state.requested_by is None:
        return
    notify([state.requested_by], kinds.PUBLISHED, {"title": page.title}, target=page)
