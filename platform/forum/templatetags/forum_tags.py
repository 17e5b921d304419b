"""`{% page_comments page %}` under any page type with `accepts_comments = True`
(its template links `forum/forum.css` in the head: no stylesheet in the body), and
the moderators' waiting count for the site header."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ptce.personcache import request_value

from .. import permissions, selectors, services
from ..forms import PostForm
from ..models import Mode
from ..services import MODERATES

register = template.Library()


@register.inclusion_tag("forum/_page_comments.html", takes_context=True)
def page_comments(context, page):
    request = context["request"]
    user = request.user
    thread = services.page_thread(page=page)
    if thread is None and not getattr(page.specific_class, "accepts_comments", False):
        return {"enabled": False}
    from ..views import guest_post_ids

    posts = []
    can_post = True
    mode = Mode.A_PRIORI
    if thread is not None:
        posts = selectors.visible_posts(
            thread=thread, user=user, guest_post_ids=guest_post_ids(request)
        )
        can_post = permissions.can_post(user, thread)
        mode = thread.effective_mode
    elif user.is_authenticated:
        can_post = not permissions.is_suspended(user)
    from ..views import moderation_context, reply_initial

    can_moderate = thread is not None and permissions.can_moderate(user, thread.forum)
    return {
        **(moderation_context(user, thread) if can_moderate else {}),
        "enabled": True,
        "request": request,
        "user": user,
        "page": page,
        "thread": thread,
        "posts": posts,
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
