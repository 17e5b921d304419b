"""Wagtail admin: « Publish » never bypasses the co-signing structures.

NewsPage.publish refuses a revision some co-signer has not approved (a 403 as a last
resort); these hooks turn such a publish click into a saved draft with a message
saying to submit it to the workflow, so the coordinator's edits are never lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import NewsPage
from .workflows import approved_ids, last_cosign_state

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


def _keep_as_draft_if_uncosigned(request, page) -> None:
    if request.method != "POST" or "action-publish" not in request.POST:
        return
    required = _posted_structures(request.POST)
    if not required:
        return
    state = last_cosign_state(page) if page is not None and page.pk else None
    if state is not None and state.status in (
        state.STATUS_APPROVED,
        state.STATUS_SKIPPED,
    ):
        if required <= approved_ids(state):
            return
    post = request.POST.copy()
    post.pop("action-publish", None)
    request.POST = post
    messages.warning(
        request,
        _(
            "Saved as a draft, not published: each co-signing structure must "
            "approve this news item first. Submit it to the workflow."
        ),
    )


@hooks.register("before_create_page")
def news_create_keeps_cosigned_drafts(request, parent_page, page_class):
    if issubclass(page_class, NewsPage):
        _keep_as_draft_if_uncosigned(request, None)


@hooks.register("before_edit_page")
def news_edit_keeps_cosigned_drafts(request, page):
    if isinstance(page.specific, NewsPage):
        _keep_as_draft_if_uncosigned(request, page)
