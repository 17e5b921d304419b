"""`{% page_comments page %}` under any page type with `accepts_comments = True`,
and the moderators' waiting count for the site header."""

from __future__ import annotations

from django import template
from django.urls import reverse

from .. import permissions, selectors, services
from ..forms import PostForm
from ..models import Mode

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
    return {
        "enabled": True,
        "request": request,
        "user": user,
        "page": page,
        "thread": thread,
        "posts": posts,
        "mode": mode,
        "can_post": can_post,
        "can_moderate": thread is not None
        and permissions.can_moderate(user, thread.forum),
        "is_following": thread is not None
        and selectors.is_following(thread=thread, user=user),
        "form": PostForm(user=user, memberships=permissions.memberships_of(user)),
        "action": reverse("forum:page_comment", args=[page.pk]),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def forum_queue_count(context) -> int:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    cache = request.__dict__
    if "_forum_queue_count" not in cache:
        cache["_forum_queue_count"] = selectors.queue_count(user=request.user)
    return cache["_forum_queue_count"]


@register.simple_tag(takes_context=True)
def can_edit_post(context, post) -> bool:
    return permissions.can_edit_post(context["request"].user, post)


@register.simple_tag(takes_context=True)
def can_flag_post(context, post) -> bool:
    return permissions.can_flag(context["request"].user, post)
