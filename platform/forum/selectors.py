"""Reads of the forum, each with a fixed number of queries whatever the data size.

What others may see is always `published`; a person also sees their own waiting or
rejected posts (a visitor: those this browser posted), never anybody else's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from statistics import median
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from ptce.search_providers import fold

from . import permissions
from .models import Flag, Forum, Post, RejectionReason, Thread

POST_RELATED = ("author", "organisation", "reply_to__author")
QUEUE_PER_PAGE = 50  # the moderation queue, on the site and in the admin


def forums_for(*, user: Any) -> list[Forum]:
    forums = Forum.objects.filter(kind=Forum.Kind.FORUM).annotate(
        thread_total=Count("threads", filter=Q(threads__published_count__gt=0)),
    )
    return [f for f in forums if permissions.can_view_forum(user, f)]


def forum_for(*, user: Any, slug: str) -> Forum:
    forum = get_object_or_404(Forum, slug=slug, kind=Forum.Kind.FORUM)
    if not permissions.can_view_forum(user, forum):
        from django.http import Http404

        raise Http404
    return forum


def forum_threads(*, forum: Forum, user: Any) -> QuerySet[Thread]:
    visible = Q(published_count__gt=0)
    if user.is_authenticated:
        visible |= Q(author=user)
    return forum.threads.filter(visible).select_related("author")


def thread_for(*, user: Any, pk: int) -> Thread:
    from django.http import Http404

    thread = get_object_or_404(
        Thread.objects.select_related("forum", "page"), pk=pk, page__isnull=True
    )
    if not permissions.can_view_thread(user, thread):
        raise Http404
    return thread


def visible_posts_queryset(
    *, thread: Thread, user: Any, guest_post_ids: Iterable[int] = ()
) -> QuerySet[Post]:
    """Published posts, plus the viewer's own waiting or rejected ones, in order."""
    own = Q(pk__in=list(guest_post_ids)[:50])
    if user.is_authenticated:
        own |= Q(author=user)
    hidden_own = own & Q(
        status__in=[Post.Status.UNCONFIRMED, Post.Status.PENDING, Post.Status.REJECTED]
    )
    return (
        thread.posts.filter(Q(status=Post.Status.PUBLISHED) | hidden_own)
        .select_related(*POST_RELATED)
        .order_by("created_at", "id")
    )


def visible_posts(
    *, thread: Thread, user: Any, guest_post_ids: Iterable[int] = ()
) -> list[Post]:
    return list(
        visible_posts_queryset(thread=thread, user=user, guest_post_ids=guest_post_ids)
    )


def page_of_post(posts: QuerySet[Post], pk: int, per_page: int) -> int | None:
    """The page of `posts` (ordered by created_at, id) holding post `pk`: 2 queries."""
    target = posts.filter(pk=pk).values_list("created_at", flat=True).first()
    if target is None:
        return None
    before = posts.filter(
        Q(created_at__lt=target) | Q(created_at=target, pk__lt=pk)
    ).count()
    return before // per_page + 1


def is_following(*, thread: Thread, user: Any) -> bool:
    return user.is_authenticated and thread.subscriptions.filter(user=user).exists()


def moderated_forum_filter(user: Any) -> Q:
    from members.permissions import is_moderator

    if is_moderator(user):
        return Q()
    return Q(thread__forum__moderators=user)


def moderation_queue_queryset(
    *, user: Any, forum: Forum | None = None
) -> QuerySet[Post]:
    """Everything waiting for `user`: new, edited and flagged posts, oldest first
    (3 queries for any slice: the posts with their forum, thread, page, author,
    structure and claimer, then their open flags with who raised them)."""
    if not permissions.can_moderate_anything(user):
        return Post.objects.none()
    posts = Post.objects.filter(
        moderated_forum_filter(user),
        queued_at__isnull=False,
        status__in=[Post.Status.PENDING, Post.Status.PUBLISHED],
    )
    if forum is not None:
        posts = posts.filter(thread__forum=forum)
    open_flags = Flag.objects.filter(resolved_at__isnull=True).select_related("by")
    return (
        posts.select_related(
            "thread__forum", "thread__page", "author", "organisation", "claimed_by"
        )
        .prefetch_related(Prefetch("flags", queryset=open_flags, to_attr="open_flags"))
        .order_by("queued_at", "id")
    )


def moderation_queue(*, user: Any, forum: Forum | None = None) -> list[Post]:
    """The first 200 items of the queue (the admin panel, batch decisions)."""
    return list(moderation_queue_queryset(user=user, forum=forum)[:200])


def queue_count(*, user: Any) -> int:
    if not permissions.can_moderate_anything(user):
        return 0
    return (
        Post.objects.filter(
            moderated_forum_filter(user),
            queued_at__isnull=False,
            status__in=[Post.Status.PENDING, Post.Status.PUBLISHED],
        )
        .distinct()
        .count()
    )


def post_for_moderation(*, user: Any, pk: int) -> Post:
    from django.http import Http404

    post = get_object_or_404(
        Post.objects.select_related("thread__forum", "thread__page", "author"), pk=pk
    )
    if not permissions.can_moderate(user, post.thread.forum):
        raise Http404
    return post


def rejection_reasons() -> list[RejectionReason]:
    return list(RejectionReason.objects.all()[:50])


def median_time_to_moderation(*, since: timedelta = timedelta(days=90)) -> dict:
    """Median delay between submission and first decision, overall and per forum."""
    from django.utils import timezone

    rows = Post.objects.filter(
        first_decided_at__gte=timezone.now() - since, submitted_at__isnull=False
    ).values_list("thread__forum__title", "submitted_at", "first_decided_at")
    per_forum: dict[str, list[float]] = {}
    for title, submitted, decided in rows:
        hours = (decided - submitted).total_seconds() / 3600
        per_forum.setdefault(title, []).append(hours)
    every = [h for values in per_forum.values() for h in values]
    return {
        "overall": median(every) if every else None,
        "count": len(every),
        "forums": sorted(
            (title, median(values), len(values)) for title, values in per_forum.items()
        ),
    }


def search_posts(terms: list[str], *, user: Any, limit: int) -> list[Post]:
    """Published posts matching every term, in forums `user` may read."""
    if not terms:
        return []
    posts = Post.objects.filter(status=Post.Status.PUBLISHED)
    if not permissions.is_member(user):
        posts = posts.filter(thread__forum__visibility=Forum.Visibility.PUBLIC)
    for term in terms:
        posts = posts.filter(search_text__contains=fold(term))
    return list(
        posts.select_related("thread__forum", "thread__page", "author").order_by(
            "-published_at"
        )[:limit]
    )
