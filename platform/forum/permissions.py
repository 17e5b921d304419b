"""Who may read, post and moderate in the forums; used by views, templates, services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from members.permissions import is_coordinator, is_moderator
from members.selectors import user_memberships
from ptce.personcache import person_value

from .models import Forum, Mode, Post, Suspension, Thread

DEFAULT_EDIT_WINDOW = timedelta(minutes=30)


def _signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def edit_window() -> timedelta:
    minutes = getattr(settings, "FORUM_EDIT_WINDOW_MINUTES", None)
    return timedelta(minutes=minutes) if minutes is not None else DEFAULT_EDIT_WINDOW


def memberships_of(user: Any) -> list:
    """The person's memberships, cached on the user for the request."""
    if not _signed_in(user):
        return []
    cache = user.__dict__
    if "_forum_memberships" not in cache:
        cache["_forum_memberships"] = user_memberships(user=user)
    return cache["_forum_memberships"]


def is_member(user: Any) -> bool:
    """Acts for a member structure, or belongs to the PTCE's team."""
    return _signed_in(user) and (bool(memberships_of(user)) or is_moderator(user))


def _delegated_forum_ids(user: Any) -> set[int]:
    cache = user.__dict__
    if "_forum_delegated" not in cache:
        cache["_forum_delegated"] = set(
            user.moderated_forums.values_list("pk", flat=True)
        )
    return cache["_forum_delegated"]


def can_moderate(user: Any, forum: Forum) -> bool:
    if not _signed_in(user):
        return False
    return is_moderator(user) or forum.pk in _delegated_forum_ids(user)


def can_moderate_anything(user: Any) -> bool:
    return _signed_in(user) and (is_moderator(user) or bool(_delegated_forum_ids(user)))


def can_view_forum(user: Any, forum: Forum) -> bool:
    return forum.is_public or is_member(user) or can_moderate(user, forum)


def can_view_thread(user: Any, thread: Thread) -> bool:
    if not can_view_forum(user, thread.forum):
        return False
    if thread.published_count:
        return True
    return _signed_in(user) and (
        thread.author_id == user.pk or can_moderate(user, thread.forum)
    )


SUSPENDED_UNTIL = "forum-suspended-until"  # ptce.personcache: "" when not suspended


def _suspended_until(user: Any):
    until = (
        Suspension.objects.filter(
            user=user, lifted_at__isnull=True, until__gt=timezone.now()
        )
        .order_by("-until")
        .values_list("until", flat=True)
        .first()
    )
    return until or ""


def is_suspended(user: Any) -> bool:
    """Read on every page with a post form: the end of the person's suspension is
    cached per person (ptce.personcache), forgotten by services.user_suspend and
    the erasure of their data; the end date itself is compared with now."""
    if not _signed_in(user):
        return False
    cache = user.__dict__
    if "_forum_suspended" not in cache:
        until = person_value(SUSPENDED_UNTIL, user.pk, lambda: _suspended_until(user))
        cache["_forum_suspended"] = bool(until) and until > timezone.now()
    return cache["_forum_suspended"]


def can_post(user: Any, thread: Thread) -> bool:
    """May `user` add a post to `thread` (visitors: only under public pages)."""
    forum = thread.forum
    if thread.is_closed or thread.effective_mode == Mode.CLOSED:
        return False
    if not _signed_in(user):
        return bool(thread.page_id) and forum.is_public
    if is_suspended(user):
        return False
    if thread.page_id:
        return can_view_forum(user, forum)
    return is_member(user) or can_moderate(user, forum)


def can_start_thread(user: Any, forum: Forum) -> bool:
    return (
        forum.kind == Forum.Kind.FORUM
        and forum.mode != Mode.CLOSED
        and (is_member(user) or can_moderate(user, forum))
        and not is_suspended(user)
    )


def is_author(user: Any, post: Post) -> bool:
    return _signed_in(user) and post.author_id == user.pk


def can_edit_post(user: Any, post: Post) -> bool:
    """Authors correct a rejected post any time, others within the edit window."""
    if not is_author(user, post) or is_suspended(user) or post.thread.is_closed:
        return False
    if post.status == Post.Status.REJECTED:
        return True
    if post.status not in (Post.Status.PENDING, Post.Status.PUBLISHED):
        return False
    return timezone.now() - post.created_at <= edit_window()


def can_flag(user: Any, post: Post) -> bool:
    return (
        is_member(user)
        and post.status == Post.Status.PUBLISHED
        and post.author_id != user.pk
    )


def can_manage_moderators(user: Any) -> bool:
    return is_coordinator(user)


# A forum's settings: its rules (mode, visibility...) are the coordination's;
# moderators keep the watched words up to date.
FORUM_RULE_FIELDS = (
    "title",
    "slug",
    "description",
    "mode",
    "newcomer_threshold",
    "visibility",
    "position",
)
FORUM_WATCH_FIELDS = ("watched_words",)


def can_create_forum(user: Any) -> bool:
    return _signed_in(user) and is_coordinator(user)


def forum_fields_for(user: Any) -> tuple[str, ...]:
    """The settings of a forum that `user` may change (none, watched words, all)."""
    if not _signed_in(user):
        return ()
    if is_coordinator(user):
        return FORUM_RULE_FIELDS + FORUM_WATCH_FIELDS
    if is_moderator(user):
        return FORUM_WATCH_FIELDS
    return ()


def can_view_metrics(user: Any) -> bool:
    return is_coordinator(user)


def can_suspend(user: Any) -> bool:
    return is_moderator(user)
