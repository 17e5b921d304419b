"""Posting: what each mode does with whose post, and the defences."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from forum import services
from forum.models import Forum, Mode, Post
from notifications.models import Notification
from ptce.models import AuditEvent
from tests.factories import UserFactory

from .factories import PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

P = Post.Status


@pytest.mark.parametrize(
    ("mode", "approved_before", "expected"),
    [
        (Mode.A_PRIORI, 0, P.PENDING),
        (Mode.A_PRIORI, 5, P.PENDING),
        (Mode.NEWCOMERS, 0, P.PENDING),
        (Mode.NEWCOMERS, 1, P.PENDING),
        (Mode.NEWCOMERS, 2, P.PUBLISHED),
        (Mode.A_POSTERIORI, 0, P.PUBLISHED),
    ],
)
def test_member_post_status_follows_the_forum_mode(
    forum, member, mode, approved_before, expected
):
    forum.mode = mode
    forum.newcomer_threshold = 2
    forum.save()
    thread = ThreadFactory(forum=forum)
    for _ in range(approved_before):
        PostFactory(thread=thread, author=member)
    post = services.post_submit(thread=thread, by=member, body="Bonjour à tous")
    assert post.status == expected
    assert (post.queued_at is not None) == (expected == P.PENDING)


def test_newcomer_count_ignores_other_forums_and_rejected_posts(forum, member):
    forum.mode, forum.newcomer_threshold = Mode.NEWCOMERS, 1
    forum.save()
    PostFactory(author=member)  # another forum
    PostFactory(thread__forum=forum, author=member, status=P.REJECTED)
    post = services.post_submit(
        thread=ThreadFactory(forum=forum), by=member, body="Encore moi"
    )
    assert post.status == P.PENDING


@pytest.mark.parametrize("mode", [Mode.A_POSTERIORI, Mode.NEWCOMERS])
def test_watched_words_send_a_post_to_the_queue_whatever_the_mode(forum, member, mode):
    forum.mode, forum.newcomer_threshold = mode, 0
    forum.watched_words = "casino\nargent facile"
    forum.save()
    thread = ThreadFactory(forum=forum)
    assert services.post_submit(
        thread=thread, by=member, body="Du CASINO ?"
    ).status == (P.PENDING)
    assert (
        services.post_submit(
            thread=thread, by=member, body="De l’Argent  facile"
        ).status
        == P.PUBLISHED  # two spaces: not the watched expression
    )
    assert (
        services.post_submit(thread=thread, by=member, body="Casinos").status
        == P.PUBLISHED  # whole words only
    )


def test_moderators_post_directly_even_a_priori(thread, moderator):
    post = services.post_submit(thread=thread, by=moderator, body="Message officiel")
    assert post.status == P.PUBLISHED


def test_closed_forum_thread_or_page_accepts_nothing(forum, member, moderator):
    thread = ThreadFactory(forum=forum)
    forum.mode = Mode.CLOSED
    forum.save()
    with pytest.raises(PermissionDenied):
        services.post_submit(thread=thread, by=member, body="x")
    forum.mode = Mode.A_PRIORI
    forum.save()
    thread.is_closed = True
    thread.save()
    with pytest.raises(PermissionDenied):
        services.post_submit(thread=thread, by=moderator, body="x")


def test_people_without_a_structure_cannot_post_in_forums(thread):
    with pytest.raises(PermissionDenied):
        services.post_submit(thread=thread, by=UserFactory(), body="x")


def test_members_only_forum_refuses_visitors(forum, member):
    forum.visibility = Forum.Visibility.MEMBERS
    forum.save()
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.post_submit(
            thread=ThreadFactory(forum=forum),
            by=AnonymousUser(),
            body="x",
            guest_name="A",
            guest_email="a@exemple.fr",
        )


def test_pending_post_notifies_moderators_and_nobody_else(
    thread, member, other_member, moderator
):
    PostFactory(thread=thread, author=moderator)
    services.thread_follow(thread=thread, user=other_member)
    post = services.post_submit(thread=thread, by=member, body="À valider")
    assert post.status == P.PENDING
    kinds = set(Notification.objects.values_list("recipient", "kind"))
    assert kinds == {(moderator.pk, "forum.post_pending")}
    assert AuditEvent.objects.filter(action="forum.post.submit", target_id=str(post.pk))


def test_delegated_people_are_notified_and_may_moderate_only_their_forum(
    forum, member, other_member
):
    delegate = UserFactory()
    forum.moderators.add(delegate)
    post = services.post_submit(
        thread=ThreadFactory(forum=forum), by=member, body="Pour la déléguée"
    )
    assert Notification.objects.filter(recipient=delegate).count() == 1
    elsewhere = services.post_submit(
        thread=ThreadFactory(), by=other_member, body="Ailleurs"
    )
    with pytest.raises(PermissionDenied):
        services.post_approve(post=elsewhere, moderator=delegate)
    assert services.post_approve(post=post, moderator=delegate)


def test_signature_names_one_of_the_authors_structures(thread, member):
    from tests.factories import MembershipFactory, OrganisationFactory

    second = MembershipFactory(user=member).organisation
    post = services.post_submit(
        thread=thread, by=member, body="Signé", organisation=second
    )
    assert post.organisation == second
    with pytest.raises(PermissionDenied):
        services.post_submit(
            thread=thread, by=member, body="Usurpé", organisation=OrganisationFactory()
        )


# --- defences ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    ["", "   \n\n ", "\x00", "x" * 10_001, "\u200b\u202e"],
)
def test_bad_bodies_are_refused_with_nothing_written(thread, member, body):
    with pytest.raises(ValidationError):
        services.post_submit(thread=thread, by=member, body=body)
    assert not Post.objects.exists()


def test_duplicate_post_is_refused(thread, member):
    services.post_submit(thread=thread, by=member, body="Même   message")
    with pytest.raises(ValidationError, match="déjà"):
        services.post_submit(thread=thread, by=member, body="même message")
    assert Post.objects.count() == 1


@override_settings(FORUM_RATE_LIMITS={"person": (2, 600), "address": (100, 600)})
def test_rate_limit_per_person(thread, member, other_member):
    for n in range(2):
        services.post_submit(thread=thread, by=member, body=f"n°{n}")
    with pytest.raises(ValidationError, match="trop vite"):
        services.post_submit(thread=thread, by=member, body="un de trop")
    services.post_submit(thread=thread, by=other_member, body="moi je peux")


@override_settings(FORUM_RATE_LIMITS={"person": (100, 600), "address": (2, 600)})
def test_rate_limit_per_address(thread, member, other_member):
    services.post_submit(thread=thread, by=member, body="a", ip="192.0.2.1")
    services.post_submit(thread=thread, by=other_member, body="b", ip="192.0.2.1")
    with pytest.raises(ValidationError):
        services.post_submit(thread=thread, by=member, body="c", ip="192.0.2.1")
    services.post_submit(thread=thread, by=member, body="d", ip="192.0.2.2")


@override_settings(FORUM_RATE_LIMITS={"person": (1, 600), "address": (1, 600)})
def test_cache_down_skips_rate_limits_instead_of_failing(thread, member):
    with mock.patch("forum.defences.cache.add", side_effect=ConnectionError("down")):
        for n in range(3):
            services.post_submit(thread=thread, by=member, body=f"sans cache {n}")
    assert Post.objects.count() == 3


def test_guest_link_limit(article):
    from django.contrib.auth.models import AnonymousUser

    thread = services.page_thread(page=article, create=True)
    with pytest.raises(ValidationError, match="liens"):
        services.post_submit(
            thread=thread,
            by=AnonymousUser(),
            body="[a->https://a.fr] [b->https://b.fr] https://c.fr",
            guest_name="Spam",
            guest_email="spam@exemple.fr",
        )
    assert not Post.objects.exists()


# --- visitors ------------------------------------------------------------------------
def test_visitor_comment_waits_for_email_confirmation_then_for_moderators(
    article, moderator, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import AnonymousUser

    thread = services.page_thread(page=article, create=True)
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_submit(
            thread=thread,
            by=AnonymousUser(),
            body="Bravo pour cette actualité",
            guest_name="Camille",
            guest_email="camille@exemple.fr",
            ip="192.0.2.9",
        )
    assert post.status == P.UNCONFIRMED and post.queued_at is None
    assert not Notification.objects.exists()  # moderators see nothing yet
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["camille@exemple.fr"]
    token = re.search(r"/forum/confirmer/([^/\s]+)/", mail.outbox[0].body).group(1)
    confirmed = services.guest_confirm(token=token)
    assert confirmed.status == P.PENDING and confirmed.queued_at
    assert Notification.objects.filter(
        recipient=moderator, kind="forum.post_pending"
    ).exists()
    services.guest_confirm(token=token)  # twice: nothing more
    assert Notification.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    ["", "abc", "x" * 500, "eyJwb3N0IjoxfQ:1abc:tampered"],
)
def test_tampered_confirmation_tokens_are_refused(article, token):
    with pytest.raises(ValidationError):
        services.guest_confirm(token=token)


def test_a_token_for_another_address_is_refused(article):
    from django.contrib.auth.models import AnonymousUser
    from django.core import signing

    thread = services.page_thread(page=article, create=True)
    post = services.post_submit(
        thread=thread,
        by=AnonymousUser(),
        body="x",
        guest_name="A",
        guest_email="a@exemple.fr",
    )
    forged = signing.dumps({"post": post.pk, "email": "b@exemple.fr"}, salt="other")
    with pytest.raises(ValidationError):
        services.guest_confirm(token=forged)


def test_only_pages_that_accept_comments_get_a_thread(db):
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page
    assert services.page_thread(page=home, create=True) is None
