"""Moderation: decisions, who is told what and when, edits, flags, suspensions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from forum import selectors, services
from forum.models import Flag, Mode, Post, Thread
from notifications.models import Notification
from ptce.models import AuditEvent
from tests.factories import UserFactory

from .factories import PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

P = Post.Status


def kinds_of(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


@pytest.fixture
def follower(db):
    from tests.factories import MembershipFactory

    return MembershipFactory().user


@pytest.fixture
def busy_thread(thread, moderator, follower):
    PostFactory(thread=thread, author=moderator)
    services.thread_follow(thread=thread, user=follower)
    return thread


def test_followers_are_told_on_approval_only(busy_thread, member, moderator, follower):
    post = services.post_submit(thread=busy_thread, by=member, body="Réponse")
    assert kinds_of(follower) == []  # never before publication
    assert services.post_approve(post=post, moderator=moderator)
    assert kinds_of(follower) == ["forum.post_published"]
    assert kinds_of(member) == ["forum.post_decided"]  # the author, not as follower
    busy_thread.refresh_from_db()
    assert busy_thread.published_count == 2


def test_rejected_post_never_reaches_followers_and_is_kept(
    busy_thread, member, moderator, follower
):
    post = services.post_submit(thread=busy_thread, by=member, body="Hors sujet")
    assert services.post_reject(post=post, moderator=moderator, reason="Hors sujet.")
    post.refresh_from_db()
    assert post.status == P.REJECTED and post.rejection_reason == "Hors sujet."
    assert post.decided_by == moderator and post.queued_at is None
    assert kinds_of(follower) == []
    decided = Notification.objects.get(recipient=member)
    assert "Hors sujet." in decided.text
    event = AuditEvent.objects.get(action="forum.post.reject")
    assert (event.actor, event.reason, event.after) == (
        moderator,
        "Hors sujet.",
        "rejected",
    )


def test_reject_needs_a_reason(thread, member, moderator):
    post = services.post_submit(thread=thread, by=member, body="x")
    with pytest.raises(ValidationError):
        services.post_reject(post=post, moderator=moderator, reason="  ")
    post.refresh_from_db()
    assert post.status == P.PENDING


def test_second_decision_changes_nothing(busy_thread, member, moderator, follower):
    post = services.post_submit(thread=busy_thread, by=member, body="Une fois")
    assert services.post_approve(post=post, moderator=moderator)
    assert not services.post_approve(post=post, moderator=moderator)
    assert not services.post_reject(post=post, moderator=moderator, reason="trop tard")
    assert kinds_of(follower) == ["forum.post_published"]
    post.refresh_from_db()
    assert post.status == P.PUBLISHED


def test_edit_before_approving_is_recorded(thread, member, moderator):
    post = services.post_submit(thread=thread, by=member, body="Avec une fote")
    services.post_approve(post=post, moderator=moderator, body="Avec une faute")
    post.refresh_from_db()
    assert post.body == "Avec une faute" and "faute" in post.body_html
    event = AuditEvent.objects.get(action="forum.post.approve")
    assert (
        event.data["edited_by_moderator"] and event.data["original"] == "Avec une fote"
    )


def test_spam_hides_without_telling_the_author(thread, member, moderator):
    post = services.post_submit(thread=thread, by=member, body="Achetez")
    assert services.post_reject(post=post, moderator=moderator, reason="", spam=True)
    post.refresh_from_db()
    assert post.status == P.SPAM
    assert kinds_of(member) == []


def test_bulk_and_per_author_actions(thread, member, other_member, moderator):
    mine = [
        services.post_submit(thread=thread, by=member, body=f"msg {n}")
        for n in range(3)
    ]
    other = services.post_submit(thread=thread, by=other_member, body="autre")
    chosen = services.author_pending_posts(moderator=moderator, author=member)
    assert {p.pk for p in chosen} == {p.pk for p in mine}
    done = services.posts_decide(
        posts=chosen, moderator=moderator, action="reject", reason="Doublons"
    )
    assert done == 3
    assert set(Post.objects.filter(author=member).values_list("status", flat=True)) == {
        P.REJECTED
    }
    other.refresh_from_db()
    assert other.status == P.PENDING


def test_claim_keeps_two_moderators_apart(thread, member, moderator):
    second = UserFactory()
    second.groups.add(*moderator.groups.all())
    post = services.post_submit(thread=thread, by=member, body="à moi")
    assert services.post_claim(post=post, moderator=moderator)
    assert not services.post_claim(post=post, moderator=second)
    assert not services.post_claim(post=post, moderator=second, release=True)
    assert services.post_claim(post=post, moderator=moderator, release=True)
    assert services.post_claim(post=post, moderator=second)


# --- authors --------------------------------------------------------------------------
def test_a_priori_edit_waits_while_the_published_version_stays(
    thread, member, moderator
):
    post = services.post_submit(thread=thread, by=member, body="Version 1")
    services.post_approve(post=post, moderator=moderator)
    services.post_edit(post=post, by=member, body="Version 2")
    post.refresh_from_db()
    assert post.status == P.PUBLISHED and post.body == "Version 1"
    assert post.proposed_body == "Version 2" and post.queued_at
    visible = selectors.visible_posts(thread=thread, user=AnonymousUser())
    assert [p.body for p in visible] == ["Version 1"]
    services.post_approve(post=post, moderator=moderator)
    post.refresh_from_db()
    assert (
        post.body == "Version 2" and not post.proposed_body and post.queued_at is None
    )


def test_a_posteriori_edit_is_live_at_once(forum, member):
    forum.mode = Mode.A_POSTERIORI
    forum.save()
    post = services.post_submit(thread=ThreadFactory(forum=forum), by=member, body="v1")
    services.post_edit(post=post, by=member, body="{{v2}}")
    post.refresh_from_db()
    assert post.body_html == "<p><strong>v2</strong></p>" and post.queued_at is None


@override_settings(FORUM_EDIT_WINDOW_MINUTES=10)
def test_edit_window_closes(thread, member, moderator):
    post = services.post_submit(thread=thread, by=member, body="v1")
    services.post_approve(post=post, moderator=moderator)
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    post.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.post_edit(post=post, by=member, body="trop tard")


def test_rejected_post_can_be_corrected_and_resubmitted(thread, member, moderator):
    post = services.post_submit(thread=thread, by=member, body="Brouillon")
    services.post_reject(post=post, moderator=moderator, reason="Précisez.")
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    post.refresh_from_db()
    services.post_edit(post=post, by=member, body="Version précise")
    post.refresh_from_db()
    assert post.status == P.PENDING and post.queued_at and not post.rejection_reason
    assert services.post_approve(post=post, moderator=moderator)


def test_others_cannot_edit(thread, member, other_member, moderator):
    post = services.post_submit(thread=thread, by=member, body="à moi")
    for someone in (other_member, moderator):
        with pytest.raises(PermissionDenied):
            services.post_edit(post=post, by=someone, body="piraté")


# --- flags ----------------------------------------------------------------------------
def test_flag_returns_a_post_to_the_queue_once(thread, member, other_member, moderator):
    post = PostFactory(thread=thread, author=member)
    services.post_flag(post=post, by=other_member, reason="Injurieux")
    with pytest.raises(ValidationError):
        services.post_flag(post=post, by=other_member, reason="Encore")
    with pytest.raises(PermissionDenied):
        services.post_flag(post=post, by=member, reason="moi-même")
    assert [p.pk for p in selectors.moderation_queue(user=moderator)] == [post.pk]
    assert kinds_of(moderator) == ["forum.post_pending"]
    services.post_reject(post=post, moderator=moderator, reason="Injurieux, retiré.")
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.status == P.REJECTED and thread.published_count == 0
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()


def test_keeping_a_flagged_post_clears_the_flags(
    thread, member, other_member, moderator
):
    post = PostFactory(thread=thread, author=member)
    services.post_flag(post=post, by=other_member, reason="Bof")
    assert services.post_approve(post=post, moderator=moderator)
    post.refresh_from_db()
    assert post.status == P.PUBLISHED and post.queued_at is None
    assert kinds_of(member) == []  # nothing was decided about publishing


# --- threads, suspensions, reminders -------------------------------------------------
def test_thread_close_pin_move(thread, moderator, member):
    target = ThreadFactory().forum
    services.thread_moderate(thread=thread, moderator=moderator, action="close")
    services.thread_moderate(thread=thread, moderator=moderator, action="pin")
    services.thread_moderate(
        thread=thread, moderator=moderator, action="move", forum=target
    )
    thread.refresh_from_db()
    assert thread.is_closed and thread.is_pinned and thread.forum == target
    assert AuditEvent.objects.filter(action__startswith="forum.thread.").count() == 3
    with pytest.raises(PermissionDenied):
        services.thread_moderate(thread=thread, moderator=member, action="reopen")


def test_suspension_stops_posting_and_tells_the_person(thread, member, moderator):
    until = timezone.now() + timedelta(days=7)
    services.user_suspend(user=member, by=moderator, reason="Insultes", until=until)
    assert kinds_of(member) == ["forum.suspended"]
    member = type(member).objects.get(pk=member.pk)
    with pytest.raises(PermissionDenied):
        services.post_submit(thread=thread, by=member, body="Je reviens")
    with pytest.raises(ValidationError):
        services.user_suspend(
            user=member, by=moderator, reason="x", until=timezone.now()
        )
    with pytest.raises(PermissionDenied):
        services.user_suspend(user=moderator, by=member, reason="x", until=until)


def test_reminders_once_for_posts_waiting_over_a_day(thread, member, moderator):
    post = services.post_submit(thread=thread, by=member, body="oublié")
    services.post_submit(thread=thread, by=member, body="récent")
    Post.objects.filter(pk=post.pk).update(
        queued_at=timezone.now() - timedelta(hours=25)
    )
    assert services.reminders_send() == 1
    assert services.reminders_send() == 0
    assert kinds_of(moderator).count("forum.moderation_reminder") == 1


def test_median_time_to_moderation(thread, member, moderator):
    for hours in (1, 3, 10):
        post = services.post_submit(thread=thread, by=member, body=f"{hours} h")
        Post.objects.filter(pk=post.pk).update(
            submitted_at=timezone.now() - timedelta(hours=hours)
        )
        services.post_approve(post=post, moderator=moderator)
    metrics = selectors.median_time_to_moderation()
    assert metrics["count"] == 3
    assert metrics["overall"] == pytest.approx(3, abs=0.05)


def test_page_thread_mode_can_be_changed_by_moderators(article, moderator, member):
    thread = services.page_thread(page=article, create=True)
    assert thread.effective_mode == Mode.A_PRIORI
    services.thread_moderate(
        thread=thread, moderator=moderator, action="mode", mode=Mode.A_POSTERIORI
    )
    post = services.post_submit(
        thread=Thread.objects.get(pk=thread.pk), by=member, body="ok"
    )
    assert post.status == P.PUBLISHED
