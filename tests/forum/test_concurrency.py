"""Two moderators approve the same post at the same moment, on two real PostgreSQL
connections: the post is published once and its followers are told once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from forum import services
from forum.models import Post, Thread
from notifications.models import Notification
from tests.factories import UserFactory

from .factories import PostFactory

pytestmark = [
    # serialized_rollback: the flush after the test must not lose the migrated Site.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real concurrent connections"
    ),
]


def run_together(count: int, action) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = action(index)
        except Exception as exc:  # reported by the assertion below
            results[index] = exc
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for worker_thread in workers:
        worker_thread.start()
    for worker_thread in workers:
        worker_thread.join(timeout=30)
    return results


def test_concurrent_approvals_publish_and_notify_once(thread, member, moderator):
    second = UserFactory()
    second.groups.add(*moderator.groups.all())
    follower = UserFactory()
    PostFactory(thread=thread, author=moderator)
    services.thread_follow(thread=thread, user=follower)
    post = services.post_submit(thread=thread, by=member, body="En même temps")
    moderators = [moderator, second, moderator, second]

    results = run_together(
        4, lambda i: services.post_approve(post=post, moderator=moderators[i])
    )

    assert sorted(results, key=str) == [False, False, False, True], results
    assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED
    assert Thread.objects.get(pk=thread.pk).published_count == 2
    assert (
        Notification.objects.filter(
            recipient=follower, kind="forum.post_published"
        ).count()
        == 1
    )
    assert (
        Notification.objects.filter(recipient=member, kind="forum.post_decided").count()
        == 1
    )


def test_concurrent_approve_and_reject_decide_once(thread, member, moderator):
    post = services.post_submit(thread=thread, by=member, body="Qui gagne ?")

    def decide(index: int) -> bool:
        if index % 2:
            return services.post_reject(post=post, moderator=moderator, reason="Non")
        return services.post_approve(post=post, moderator=moderator)

    results = run_together(2, decide)
    assert results.count(True) == 1, results
    assert (
        Notification.objects.filter(recipient=member, kind="forum.post_decided").count()
        == 1
    )
