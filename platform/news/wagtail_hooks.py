"""Wagtail admin: « Publish » never bypasses the co-signing structures.

NewsPage.publish refuses a revision whose text the co-signers have not all approved
(a 403 as a last resort, whatever the door); these hooks turn such a publish click
into a saved draft with a message saying to submit it to the workflow, so the
coordinator's edits are never lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import CosignTask, NewsPage
from .workflows import COSIGN_AGAIN, is_cosigned

PREFIX = "cosigners"


def _posted_structures(post) -> set[int]:
    try:
        total = int(post.get(f"{PREFIX}-TOTAL_FORMS", 0))
    except ValueError:
        return set()
    found = set()
    for n in range(min(total, 1000)):
        if post.get(f"{PREFIX}-{n}-DELETE"):
            continue
        value = post.get(f"{PREFIX}-{n}-organisation", "")
        if value.isdigit():
            found.add(int(value))
    return found


def _warn_kept_as_draft(request) -> None:
    messages.warning(
        request,
        _(
            "Saved as a draft, not published: each co-signing structure must "
            "approve this news item first. Submit it to the workflow."
        ),
    )


@hooks.register("before_create_page")
def news_create_keeps_cosigned_drafts(request, parent_page, page_class):
    """A new item with co-signers has no approval yet: « Publish » saves a draft.

    Done before the view runs: Wagtail's create view adds the page as live before
    `before_publish_page` could stop it.
    """
    if not issubclass(page_class, NewsPage):
        return
    if request.method != "POST" or "action-publish" not in request.POST:
        return
    if not _posted_structures(request.POST):
        return
    post = request.POST.copy()
    post.pop("action-publish", None)
    request.POST = post
    _warn_kept_as_draft(request)


@hooks.register("before_publish_page")
def news_edit_keeps_cosigned_drafts(request, page):
    """The edit view saved the new revision: publish it only if it is co-signed.

    Compares the text itself with what the co-signers approved, so a correction
    made after their approval waits for them instead of going live.
    """
    if not isinstance(page, NewsPage) or page.pk is None:
        return None
    revision = page.get_latest_revision()
    if revision is None or is_cosigned(revision):
        return None
    messages.warning(
        request,
        _(
            "Saved as a draft, not published: the co-signing structures have not "
            "all approved this text. Submit it to the workflow: they will be asked "
            "again."
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("after_edit_page")
def news_tell_when_cosigning_restarts(request, page):
    """Edited and approved in one submit: say why the item was not published."""
    if request.POST.get("workflow-action-name") not in ("approve", COSIGN_AGAIN):
        return None
    if not isinstance(page, NewsPage):
        return None
    task = NewsPage.objects.get(pk=page.pk).current_workflow_task
    if task is not None and isinstance(task.specific, CosignTask):
        messages.warning(
            request,
            _(
                "The text changed since the co-signing structures approved it: it "
                "is not published, and they are asked to approve it again."
            ),
        )
    return None
