"""`{% page_comments page %}` under any page type with `accepts_comments = True`
(its template links `forum/forum.css` in the head: no stylesheet in the body), and
the moderators' waiting count for the site header."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.urls import reverse

from ptce.pagecache import request_content_version
from ptce.personcache import request_value

from .. import permissions, selectors, services
from ..forms import PostForm
from ..models import Mode
from ..services import MODERATES

register = template.Library()


PAGE_THREAD_TIMEOUT = 300


def _page_thread(request, page):
    """The page's comment thread (or None), cached per content version: a post
    published, a thread closed or moved, all bump it (ptce.pagecache)."""
    version = request_content_version(request)
    if version is None:
        return services.page_thread(page=page)
    key = f"forum:page-thread:{page.pk}:{version}"
    found = cache.get(key)
    if found is None:
        thread = services.page_thread(page=page)
        cache.set(key, thread or 0, PAGE_THREAD_TIMEOUT)
        return thread
    return found or None


@register.inclusion_tag("forum/_page_comments.html", takes_context=True)
def page_comments(context, page):
    """The comments under a page, 50 a page as in long threads (`?page=`, and
    `?message=` opens the page holding a post); each person also sees their own
    waiting or rejected posts in place, nobody else's."""
    request = context["request"]
    user = request.user
    if page.pk is None:  # a preview of a page not saved yet: nothing to comment
        return {"enabled": False}
    thread = _page_thread(request, page)
    if thread is None and not getattr(page.specific_class, "accepts_comments", False):
        return {"enabled": False}
    from ..views import moderation_context, posts_page, reply_initial

    posts = []
    page_obj = None
    can_post = True
    mode = Mode.A_PRIORI
    if thread is not None:
        page_obj = posts_page(request, thread)
        posts = list(page_obj.object_list)
        can_post = permissions.can_post(user, thread)
        mode = thread.effective_mode
    elif user.is_authenticated:
        can_post = not permissions.is_suspended(user)
    # The header's cached flag first: no query for people who moderate nothing.
    can_moderate = (
        thread is not None
        and user.is_authenticated
        and _moderates_something(request)
        and permissions.can_moderate(user, thread.forum)
    )
    return {
        **(moderation_context(user, thread) if can_moderate else {}),
        "enabled": True,
        "request": request,
        "user": user,
        "page": page,
        "thread": thread,
        "posts": posts,
        "page_obj": page_obj,
        "mode": mode,
        "can_post": can_post,
        "can_moderate": can_moderate,
        "is_following": thread is not None
        and selectors.is_following(thread=thread, user=user),
        "form": PostForm(
            user=user,
            memberships=permissions.memberships_of(user),
            initial=reply_initial(request, posts),
        ),
        "action": reverse("forum:page_comment", args=[page.pk]),
        "csrf_token": context.get("csrf_token"),
    }


def _moderates_something(request) -> bool:
    """Cached per person for 5 minutes, read with the other header values
    (ptce.personcache, registered in apps.py): no query on non-moderators' pages."""
    user = request.user
    return request_value(
        request, MODERATES, lambda: permissions.can_moderate_anything(user)
    )


@register.simple_tag(takes_context=True)
def forum_queue_count(context) -> int:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    memo = request.__dict__
    if "_forum_queue_count" not in memo:
        moderates = _moderates_something(request)
        memo["_forum_queue_count"] = (
            selectors.queue_count(user=request.user) if moderates else 0
        )
    return memo["_forum_queue_count"]


@register.simple_tag(takes_context=True)
def can_edit_post(context, post) -> bool:
    return permissions.can_edit_post(context["request"].user, post)


@register.simple_tag(takes_context=True)
def can_flag_post(context, post) -> bool:
    return permissions.can_flag(context["request"].user, post)
