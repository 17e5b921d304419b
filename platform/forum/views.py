from __future__ import annotations

import datetime as dt
from http import HTTPStatus
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wagtail.models import Page

from ptce.addresses import client_address
from ptce.views import same_origin

from . import markup, permissions, selectors, services
from .forms import (
    BulkForm,
    DecisionForm,
    DelegationForm,
    EditForm,
    FlagForm,
    PostForm,
    SuspensionForm,
    ThreadForm,
    ThreadModerationForm,
)
from .models import Forum, Mode, Post, Thread

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 50
QUEUE_PER_PAGE = selectors.QUEUE_PER_PAGE
GUEST_SESSION_KEY = "forum_guest_posts"


def client_ip(request) -> str | None:
    # REMOTE_ADDR, or X-Forwarded-For as far as TRUSTED_PROXY_COUNT proxies wrote it.
    return client_address(request)


def guest_post_ids(request) -> list[int]:
    return [int(pk) for pk in request.session.get(GUEST_SESSION_KEY, [])][-50:]


def _remember_guest_post(request, post: Post) -> None:
    request.session[GUEST_SESSION_KEY] = [*guest_post_ids(request), post.pk][-50:]


def _error_messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _posted_message(request, post: Post) -> None:
    if post.status == Post.Status.UNCONFIRMED:
        messages.info(
            request,
            _(
                "Thank you. We have sent you an e-mail: click the link it contains "
                "to confirm your message, which will then wait for validation."
            ),
        )
    elif post.status == Post.Status.PENDING:
        messages.info(
            request,
            _("Thank you. Your message will appear once a moderator validates it."),
        )
    else:
        messages.success(request, _("Your message is published."))


# --- reading -------------------------------------------------------------------------
def forum_index(request):
    return render(
        request,
        "forum/forum_index.html",
        {"forums": selectors.forums_for(user=request.user)},
    )


def forum_detail(request, slug):
    forum = selectors.forum_for(user=request.user, slug=slug)
    paginator = Paginator(
        selectors.forum_threads(forum=forum, user=request.user), THREADS_PER_PAGE
    )
    return render(
        request,
        "forum/forum_detail.html",
        {
            "forum": forum,
            "page_obj": paginator.get_page(request.GET.get("page")),
            "can_start": permissions.can_start_thread(request.user, forum),
            "can_moderate": permissions.can_moderate(request.user, forum),
            "can_delegate": permissions.can_manage_moderators(request.user),
        },
    )


def reply_initial(request, posts: list[Post]) -> dict:
    """?repondre=<id> answers a post, ?citer=<id> also quotes it (published only)."""
    wanted = request.GET.get("citer") or request.GET.get("repondre") or ""
    post = next(
        (p for p in posts if str(p.pk) == wanted and p.status == Post.Status.PUBLISHED),
        None,
    )
    if post is None:
        return {}
    initial = {"reply_to": post.pk}
    if request.GET.get("citer"):
        initial["body"] = f"<quote>{post.body}</quote>\n\n"
    return initial


def moderation_context(user, thread: Thread) -> dict:
    if not permissions.can_moderate(user, thread.forum):
        return {}
    return {
        "moderation_modes": Mode.choices,
        "move_targets": Forum.objects.filter(kind=Forum.Kind.FORUM),
    }


def posts_page(request, thread: Thread):
    """One page of the thread: the one asked for, or the one holding the post that
    ?message= (links to a post), ?repondre= or ?citer= names."""
    queryset = selectors.visible_posts_queryset(
        thread=thread, user=request.user, guest_post_ids=guest_post_ids(request)
    )
    number = request.GET.get("page")
    wanted = next(
        (
            request.GET.get(key, "")
            for key in ("message", "citer", "repondre")
            if request.GET.get(key, "").isdigit()
        ),
        "",
    )
    if wanted and not number:
        number = selectors.page_of_post(queryset, int(wanted), POSTS_PER_PAGE)
    return Paginator(queryset, POSTS_PER_PAGE).get_page(number)


def _thread_context(request, thread: Thread, form=None, preview: str = "") -> dict:
    user = request.user
    memberships = permissions.memberships_of(user)
    page_obj = posts_page(request, thread)
    posts = list(page_obj.object_list)
    if form is None:
        form = PostForm(
            user=user, memberships=memberships, initial=reply_initial(request, posts)
        )
    return {
        **moderation_context(user, thread),
        "thread": thread,
        "forum": thread.forum,
        "posts": posts,
        "page_obj": page_obj,
        "form": form,
        "preview": preview,
        "can_post": permissions.can_post(user, thread),
        "can_moderate": permissions.can_moderate(user, thread.forum),
        "is_following": selectors.is_following(thread=thread, user=user),
        "mode": thread.effective_mode,
        "moderation_form": ThreadModerationForm(),
    }


def thread_detail(request, pk):
    thread = selectors.thread_for(user=request.user, pk=pk)
    return render(request, "forum/thread_detail.html", _thread_context(request, thread))


# --- posting -------------------------------------------------------------------------
def _reply_to(thread: Thread, value) -> Post | None:
    if not value:
        return None
    post = thread.posts.filter(pk=value, status=Post.Status.PUBLISHED).first()
    if post is None:
        raise ValidationError(_("The message you answer is not in this thread."))
    return post


def _organisation(form, memberships):
    chosen = form.cleaned_data.get("organisation")
    for membership in memberships:
        if membership.organisation_id == chosen:
            return membership.organisation
    return None


def _submit(request, thread: Thread):
    """Validate the form, preview or post. Returns (post, form, preview)."""
    memberships = permissions.memberships_of(request.user)
    form = PostForm(request.POST, user=request.user, memberships=memberships)
    if not form.is_valid():
        return None, form, ""
    if "preview" in request.POST:
        return None, form, markup.render(form.cleaned_data["body"])
    try:
        post = services.post_submit(
            thread=thread,
            by=request.user,
            body=form.cleaned_data["body"],
            reply_to=_reply_to(thread, form.cleaned_data.get("reply_to")),
            organisation=_organisation(form, memberships),
            guest_name=form.cleaned_data.get("guest_name", ""),
            guest_email=form.cleaned_data.get("guest_email", ""),
            ip=client_ip(request),
        )
    except ValidationError as exc:
        for message in _error_messages(exc):
            form.add_error(None, message)
        return None, form, ""
    if post.is_guest:
        _remember_guest_post(request, post)
    _posted_message(request, post)
    return post, form, ""


def post_reply(request, pk):
    thread = selectors.thread_for(user=request.user, pk=pk)
    if not permissions.can_post(request.user, thread):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(thread.get_absolute_url() + "#repondre")
    post, form, preview = _submit(request, thread)
    if post is not None:
        return redirect(post.get_absolute_url())
    status = HTTPStatus.OK if preview else HTTPStatus.BAD_REQUEST
    context = _thread_context(request, thread, form, preview)
    return render(request, "forum/thread_detail.html", context, status=status)


def _commentable_page(request, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id, live=True)
    if not getattr(page.specific_class, "accepts_comments", False):
        raise Http404
    for restriction in page.get_view_restrictions():
        if not restriction.accept_request(request):
            raise Http404
    return page


def _csrf_refusal(request):
    """A signed-in person's POST needs its CSRF token; a visitor's, our origin.

    The visitor's comment form carries no token, so that the page it sits in can be
    served to every visitor from the page cache (ptce.pagecache): a token would be
    one visitor's. A cross-site form cannot pass the origin check (as for the
    language switcher, ptce.views.same_origin).
    """
    if getattr(request, "_dont_enforce_csrf_checks", False):  # Django's test client
        return None
    if request.user.is_authenticated:
        return CsrfViewMiddleware(lambda _request: None).process_view(
            request, None, (), {}
        )
    if not same_origin(request):
        return HttpResponseForbidden()
    return None


@csrf_exempt  # checked by _csrf_refusal: the token for people, the origin for visitors
def page_comment(request, page_id):
    """The comment form under a page posts here; errors and previews show here."""
    page = _commentable_page(request, page_id)
    if request.method != "POST":
        return redirect(page.url + "#forum")
    refusal = _csrf_refusal(request)
    if refusal is not None:
        return refusal
    thread = services.page_thread(page=page, create=True)
    if not permissions.can_post(request.user, thread):
        raise PermissionDenied
    post, form, preview = _submit(request, thread)
    if post is not None:
        return redirect(post.get_absolute_url())
    return render(
        request,
        "forum/comment_form_page.html",
        {
            "page": page,
            "thread": thread,
            "form": form,
            "preview": preview,
            "mode": thread.effective_mode,
            "action": reverse("forum:page_comment", args=[page.pk]),
        },
        status=HTTPStatus.OK if preview else HTTPStatus.BAD_REQUEST,
    )


@login_required
def thread_create(request, slug):
    forum = selectors.forum_for(user=request.user, slug=slug)
    if not permissions.can_start_thread(request.user, forum):
        raise PermissionDenied
    memberships = permissions.memberships_of(request.user)
    form = ThreadForm(request.POST or None, user=request.user, memberships=memberships)
    preview = ""
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = markup.render(form.cleaned_data["body"])
        else:
            try:
                post = services.thread_create(
                    forum=forum,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    organisation=_organisation(form, memberships),
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                for message in _error_messages(exc):
                    form.add_error(None, message)
            else:
                _posted_message(request, post)
                return redirect(post.thread.get_absolute_url())
    return render(
        request,
        "forum/thread_form.html",
        {"forum": forum, "form": form, "preview": preview, "mode": forum.mode},
        status=HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK,
    )


def guest_confirm(request, token):
    """GET shows a button (mail scanners follow links); POST confirms."""
    if request.method != "POST":
        return render(request, "forum/guest_confirm.html", {"token": token})
    try:
        post = services.guest_confirm(token=token)
    except ValidationError as exc:
        return render(
            request,
            "forum/guest_confirm.html",
            {"token": token, "error": exc.messages[0]},
            status=HTTPStatus.BAD_REQUEST,
        )
    _remember_guest_post(request, post)
    messages.success(
        request,
        _("Your message is confirmed. It will appear once a moderator validates it."),
    )
    return redirect(post.get_absolute_url())


@login_required
def post_edit(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread__forum"), pk=pk)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    initial = post.proposed_body or post.body
    form = EditForm(request.POST or None, initial={"body": initial})
    preview = ""
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = markup.render(form.cleaned_data["body"])
        else:
            try:
                post = services.post_edit(
                    post=post, by=request.user, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                for message in _error_messages(exc):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(post.get_absolute_url())
    return render(
        request,
        "forum/post_edit.html",
        {"post": post, "form": form, "preview": preview},
        status=HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK,
    )


@login_required
def post_flag(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread__forum"), pk=pk)
    if not permissions.can_flag(request.user, post) or not (
        permissions.can_view_forum(request.user, post.thread.forum)
    ):
        raise PermissionDenied
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_flag(
                post=post, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            for message in _error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you: the moderators will look at it."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "forum/post_flag.html",
        {"post": post, "form": form},
        status=HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK,
    )


@require_POST
@login_required
def thread_follow(request, pk):
    thread = get_object_or_404(Thread.objects.select_related("forum", "page"), pk=pk)
    follow = request.POST.get("follow") == "1"
    services.thread_follow(thread=thread, user=request.user, follow=follow)
    messages.success(
        request,
        _("You follow this thread.") if follow else _("You no longer follow it."),
    )
    return redirect(thread.get_absolute_url())


@require_POST
@login_required
def thread_moderate(request, pk):
    thread = get_object_or_404(Thread.objects.select_related("forum", "page"), pk=pk)
    if not permissions.can_moderate(request.user, thread.forum):
        raise PermissionDenied
    form = ThreadModerationForm(request.POST)
    if form.is_valid():
        try:
            services.thread_moderate(
                thread=thread,
                moderator=request.user,
                action=form.cleaned_data["action"],
                forum=form.cleaned_data.get("forum"),
                mode=form.cleaned_data.get("mode") or "",
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The thread is updated."))
    else:
        messages.error(request, _("Choose an action."))
    return redirect(thread.get_absolute_url())


# --- moderation ----------------------------------------------------------------------
def _require_queue_access(request) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not permissions.can_moderate_anything(request.user):
        raise PermissionDenied


def _filtered_queue(request):
    """The queue as filtered by ?auteur= (a person) or ?adresse= (a visitor's
    address), the filters to show, and the query string that keeps them."""
    queue = selectors.moderation_queue_queryset(user=request.user)
    filters: dict = {}
    query: dict = {}
    author = request.GET.get("auteur", "")
    email = request.GET.get("adresse", "")[:254]
    if author.isdigit() and len(author) <= 12:
        queue = queue.filter(author_id=int(author))
        filters["author_id"] = int(author)
        query["auteur"] = author
    elif email:
        queue = queue.filter(author__isnull=True, guest_email__iexact=email)
        filters["email"] = email
        query["adresse"] = email
    return queue, filters, query


@login_required
def queue(request):
    """The moderation queue, QUEUE_PER_PAGE items a page, oldest first; batch
    actions apply to the checked items of the page shown, filters are kept."""
    _require_queue_access(request)
    queryset, filters, query = _filtered_queue(request)
    page_obj = Paginator(queryset, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    items = list(page_obj.object_list)
    if "author_id" in filters:  # named only when one of their posts is shown
        filters["author"] = items[0].author if items else None
    checked = []
    if request.method == "POST":
        # What was checked on the page shown, still waiting and still this
        # moderator's to decide (the queue may have moved since the page was read).
        wanted = [int(v) for v in request.POST.getlist("posts") if v.isdigit()]
        checked = list(queryset.filter(pk__in=wanted[:QUEUE_PER_PAGE]))
    form = BulkForm(
        request.POST or None,
        post_ids=[p.pk for p in (checked if request.method == "POST" else items)],
    )
    if request.method == "POST":
        if form.is_valid():
            chosen = [p for p in checked if p.pk in set(form.cleaned_data["posts"])]
            done = services.posts_decide(
                posts=chosen,
                moderator=request.user,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data.get("reason", ""),
            )
            messages.success(
                request, _("%(count)d messages handled.") % {"count": done}
            )
            return redirect(request.get_full_path())
        messages.error(
            request, _("Choose messages, an action and, to reject, a reason.")
        )
    return render(
        request,
        "forum/moderation/queue.html",
        {
            "items": items,
            "page_obj": page_obj,
            "extra": f"&{urlencode(query)}" if query else "",
            "filters": filters,
            "form": form,
            "reasons": selectors.rejection_reasons(),
            "can_view_metrics": permissions.can_view_metrics(request.user),
        },
        status=HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK,
    )


@login_required
def queue_item(request, pk):
    post = selectors.post_for_moderation(user=request.user, pk=pk)
    form = DecisionForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            done = _decide(request, post, action, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            if not done:
                messages.warning(
                    request, _("This message was already handled by someone else.")
                )
            elif action in ("claim", "release"):
                return redirect("forum:queue_item", pk=post.pk)
            return redirect("forum:queue")
    return render(
        request,
        "forum/moderation/item.html",
        {
            "post": post,
            "form": form,
            "reasons": selectors.rejection_reasons(),
            "flags": post.flags.filter(resolved_at__isnull=True).select_related("by"),
            "can_suspend": permissions.can_suspend(request.user),
        },
        status=HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK,
    )


def _decide(request, post: Post, action: str, data: dict) -> bool:
    user = request.user
    if action == "approve":
        body = data.get("body") or None
        done = services.post_approve(post=post, moderator=user, body=body)
        if done:
            messages.success(request, _("The message is published."))
        return done
    if action in ("reject", "spam"):
        done = services.post_reject(
            post=post,
            moderator=user,
            reason=data.get("reason", ""),
            spam=action == "spam",
        )
        if done:
            messages.success(request, _("The message is rejected."))
        return done
    return services.post_claim(post=post, moderator=user, release=action == "release")


@login_required
def suspend(request, user_id):
    if not permissions.can_suspend(request.user):
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    form = SuspensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        until = timezone.make_aware(
            dt.datetime.combine(form.cleaned_data["until"], dt.time(23, 59))
        )
        try:
            services.user_suspend(
                user=person,
                by=request.user,
                reason=form.cleaned_data["reason"],
                until=until,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("The person is suspended from posting."))
            return redirect("forum:queue")
    return render(
        request,
        "forum/moderation/suspend.html",
        {"person": person, "form": form},
        status=HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK,
    )


@login_required
def metrics(request):
    if not permissions.can_view_metrics(request.user):
        raise PermissionDenied
    return render(
        request,
        "forum/moderation/metrics.html",
        {"metrics": selectors.median_time_to_moderation()},
    )


@login_required
def delegation(request, slug):
    if not permissions.can_manage_moderators(request.user):
        raise PermissionDenied
    forum = get_object_or_404(Forum, slug=slug)
    people = get_user_model().objects.filter(is_active=True, erased_at__isnull=True)
    form = DelegationForm(
        request.POST or None,
        people=people,
        initial={"moderators": list(forum.moderators.all())},
    )
    if request.method == "POST" and form.is_valid():
        services.forum_delegate(
            forum=forum,
            by=request.user,
            moderators=list(form.cleaned_data["moderators"]),
        )
        messages.success(request, _("The moderators of this forum are saved."))
        return redirect(forum.get_absolute_url())
    return render(
        request, "forum/moderation/delegation.html", {"forum": forum, "form": form}
    )
