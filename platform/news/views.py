from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from wagtail.models import TaskState

from . import permissions, selectors, services
from .forms import BodyBlocksForm, CorrectionForm, CosignDecisionForm, SubmissionForm
from .models import NEWS_PER_PAGE, NewsPage


def _error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- public pages (routes of NewsIndexPage) ------------------------------------
def _page_number(value) -> str:
    """The asked page as the paginator reads it: digits (at most 6), else page 1."""
    value = str(value or "")
    return value if value.isdigit() and len(value) <= 6 else "1"


def news_index(request, *, index_page):
    """The list, its filters and their counts are the same for everyone: the
    template caches them per filters, page and content version, and the context
    is lazy, so a warm list costs none of their queries (only reading the filters'
    tag or structure when the address names one)."""
    filters = selectors.read_filters(request.GET)
    number = _page_number(request.GET.get("page"))
    page_obj = SimpleLazyObject(
        lambda: Paginator(selectors.filtered_news(filters), NEWS_PER_PAGE).get_page(
            number
        )
    )
    query = {
        key: value
        for key, value in (
            ("tag", filters.tag.slug if filters.tag else ""),
            ("structure", filters.structure.slug if filters.structure else ""),
            ("mois", filters.month.strftime("%Y-%m") if filters.month else ""),
        )
        if value
    }
    return index_page.render(
        request,
        context_overrides={
            "filters": filters,
            "page_obj": page_obj,
            "news_items": SimpleLazyObject(lambda: list(page_obj.object_list)),
            "tags": SimpleLazyObject(selectors.tags_in_use),
            "structures": SimpleLazyObject(selectors.cosigning_structures),
            "months": SimpleLazyObject(lambda: selectors.months()[:12]),
            "extra": f"&{urlencode(query)}" if query else "",
            # Keys the cached fragments: the filters as read, not the raw address.
            "listing_key": f"{urlencode(query)}|{number}",
            "can_submit": permissions.can_submit_news(request.user),
        },
    )


def news_archive(request, *, index_page):
    return index_page.render(
        request,
        template="news/news_archive.html",
        context_overrides={"years": selectors.archive_by_year()},
    )


# --- members propose news ------------------------------------------------------
@login_required
def submit(request):
    structures = permissions.submitting_structures(request.user)
    if not structures:
        raise PermissionDenied
    form = SubmissionForm(
        request.POST or None, request.FILES or None, structures=structures
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.news_submit(by=request.user, submission=form.submission())
        except ValidationError as error:
            form.add_error(None, _error_message(error))
        else:
            messages.success(
                request,
                _(
                    "Thank you: your news item is sent for approval. You will be told "
                    "when it is published, or what to change."
                ),
            )
            return redirect("news:submissions")
    return render(request, "news/submission_form.html", {"form": form, "editing": None})


@login_required
def submissions(request):
    return render(
        request,
        "news/submissions.html",
        {
            "pages": selectors.submissions_of(user=request.user),
            "can_submit": permissions.can_submit_news(request.user),
        },
    )


def _initial(draft: NewsPage) -> dict:
    links = sorted(draft.cosigners.all(), key=lambda link: link.sort_order or 0)
    return {
        "title": draft.title,
        "introduction": draft.introduction,
        "body": "",
        "structure": links[0].organisation_id if links else None,
        "cosigners": [link.organisation_id for link in links[1:]],
        "tags": ", ".join(tag.name for tag in draft.tags.all()),
    }


@login_required
def submission_edit(request, pk: int):
    page = get_object_or_404(NewsPage, pk=pk, owner=request.user)
    if not permissions.can_edit_submission(
        request.user, page, page.current_workflow_state
    ):
        messages.error(request, _("This news item cannot be changed any more."))
        return redirect("news:submissions")
    structures = permissions.submitting_structures(request.user)
    draft = page.get_latest_revision_as_object()
    form = CorrectionForm(
        request.POST or None,
        request.FILES or None,
        structures=structures,
        initial=_initial(draft),
    )
    blocks_form = BodyBlocksForm(
        request.POST or None, parts=services.body_parts(draft.body)
    )
    if request.method == "POST" and all([form.is_valid(), blocks_form.is_valid()]):
        submission = form.submission()
        submission.body_edits = blocks_form.edits()
        try:
            services.news_resubmit(page=page, by=request.user, submission=submission)
        except ValidationError as error:
            form.add_error(None, _error_message(error))
        else:
            messages.success(
                request, _("Your corrected news item is sent for approval again.")
            )
            return redirect("news:submissions")
    state = page.current_workflow_state
    task_state = state.current_task_state if state else None
    return render(
        request,
        "news/submission_form.html",
        {
            "form": form,
            "blocks_form": blocks_form,
            "editing": page,
            "comment": task_state.comment if task_state else "",
        },
    )


# --- référents co-sign ---------------------------------------------------------
@login_required
def cosign_list(request):
    return render(
        request,
        "news/cosign_list.html",
        {"states": selectors.cosign_task_states_for(user=request.user)},
    )


@login_required
def cosign_review(request, pk: int):
    states = {s.pk: s for s in selectors.cosign_task_states_for(user=request.user)}
    state = states.get(pk)
    if state is None:
        if TaskState.objects.filter(pk=pk).exists():
            messages.info(
                request, _("This news item no longer awaits your co-signature.")
            )
            return redirect("news:cosign_list")
        raise Http404
    draft = selectors.cosign_draft(state)
    form = CosignDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == "approve":
                services.cosign_approve(
                    task_state=state, by=request.user, comment=comment
                )
                messages.success(
                    request, _("Thank you: your structure co-signs this news item.")
                )
            else:
                services.cosign_reject(
                    task_state=state, by=request.user, comment=comment
                )
                messages.success(request, _("The author is asked to make the changes."))
        except ValidationError as error:
            messages.error(request, _error_message(error))
        except PermissionDenied:  # another référent answered in the meantime
            messages.info(
                request, _("This news item no longer awaits your co-signature.")
            )
        return redirect("news:cosign_list")
    return render(
        request,
        "news/cosign_review.html",
        {
            "state": state,
            "draft": draft,
            "draft_tags": draft.tags,
            "form": form,
            "requested_by": state.workflow_state.requested_by,
        },
    )
