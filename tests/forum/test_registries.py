"""How the forum plugs into the shared registries: personal data, search, roles,
notification kinds, demo data, beat."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group

from forum import services
from forum.models import Flag, Forum, Post, Subscription, Thread
from forum.personal_data import erase_forum, export_forum
from forum.search_providers import search_forum
from forum.selectors import moderation_queue
from members.services.accounts import user_erase
from notifications.kinds import get_kind
from ptce import demo, roles
from ptce.personal_data import covered_models
from ptce.search_providers import providers

from .factories import PostFactory

pytestmark = pytest.mark.django_db


def test_erasure_keeps_posts_as_former_member(thread, member, other_member, article):
    post = PostFactory(thread=thread, author=member, ip_address="192.0.2.1")
    Flag.objects.create(post=PostFactory(thread=thread), by=member, reason="x")
    services.thread_follow(thread=thread, user=member)
    page_thread = services.page_thread(page=article, create=True)
    guest = PostFactory(
        thread=page_thread,
        author=None,
        guest_name="Moi avant",
        guest_email=member.email.upper(),
        status=Post.Status.PENDING,
    )
    exported = export_forum(member)
    assert [p["body"] for p in exported["posts"]] == [post.body]
    user_erase(user=member, by=member)
    post.refresh_from_db()
    guest.refresh_from_db()
    assert post.body and post.ip_address is None
    assert post.signature == "Ancien·ne membre"
    assert guest.guest_email == "" and guest.guest_name == "Ancien·ne membre"
    assert not Flag.objects.filter(by=member).exists()
    assert not Subscription.objects.filter(user=member).exists()


def test_eraser_leaves_other_people_alone(thread, member, other_member):
    theirs = PostFactory(thread=thread, author=other_member, ip_address="192.0.2.2")
    erase_forum(member)
    theirs.refresh_from_db()
    assert theirs.ip_address == "192.0.2.2"


def test_every_model_with_a_person_is_registered():
    assert {
        "forum.post",
        "forum.flag",
        "forum.subscription",
        "forum.suspension",
    } <= covered_models()


def test_search_provider_registered():
    assert "forum" in {provider.key for provider in providers()}


def test_roles_give_moderators_the_forum_permissions():
    assert "forum.view_post" in roles.permissions_of(roles.MODERATORS)
    assert "forum.add_forum" in roles.permissions_of(roles.COORDINATORS)


def test_moderators_group_has_them_after_migrate(db):
    group = Group.objects.filter(name=roles.MODERATORS).first()
    if group is None:
        pytest.skip("groups are built by ptce.roles.ensure_groups after migrate")
    roles.ensure_groups()
    assert group.permissions.filter(codename="view_post").exists()


@pytest.mark.parametrize(
    "key",
    [
        "forum.post_pending",
        "forum.post_decided",
        "forum.post_published",
        "forum.moderation_reminder",
        "forum.suspended",
        "forum.guest",
    ],
)
def test_notification_kinds_are_declared(key):
    assert get_kind(key)


def test_reminders_run_on_beat():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "forum.remind_moderators" in tasks


def test_demo_loads_three_forums_and_waiting_posts_idempotently():
    context = demo.DemoContext(log=lambda message: None)
    demo.run_all(context)
    counts = (Forum.objects.count(), Thread.objects.count(), Post.objects.count())
    assert Forum.objects.filter(kind=Forum.Kind.FORUM).count() == 3
    waiting = Post.objects.filter(status=Post.Status.PENDING).count()
    assert waiting >= 2
    assert Post.objects.filter(status=Post.Status.PUBLISHED).count() >= 5
    assert Post.objects.filter(
        thread__page__isnull=False, status=Post.Status.PUBLISHED
    ).exists()  # comments under the news items
    demo.run_all(demo.DemoContext(log=lambda message: None))
    assert (Forum.objects.count(), Thread.objects.count(), Post.objects.count()) == (
        counts
    )
    moderator = Group.objects.get(name=roles.MODERATORS).user_set.first()
    assert len(moderation_queue(user=moderator)) == waiting
    assert not search_forum(["salle"], user=AnonymousUser(), limit=5)


def test_site_search_keeps_members_only_posts_from_other_audiences(
    client, member, moderator
):
    """The forum's hits are kept per audience (members / others): once a member
    searched, a signed-in person of no structure, then a visitor, get the public
    post only; a moderator reads everything."""
    from django.urls import reverse

    from tests.factories import UserFactory

    from .factories import ForumFactory, ThreadFactory

    members_forum = ForumFactory(visibility=Forum.Visibility.MEMBERS)
    PostFactory(
        thread=ThreadFactory(forum=members_forum, title="Sujet interne"),
        body="Compost entre membres",
    )
    PostFactory(
        thread=ThreadFactory(title="Sujet public"), body="Compost pour tout le monde"
    )
    url = reverse("home:search") + "?q=compost"
    for person, internal in (
        (member, True),
        (UserFactory(), False),
        (None, False),
        (moderator, True),
        (member, True),
    ):
        client.logout()
        if person is not None:
            client.force_login(person)
        body = client.get(url).content.decode()
        assert "Sujet public" in body
        assert ("Sujet interne" in body) is internal, person


def test_site_search_follows_a_new_membership_and_a_lost_group(client, moderator):
    """Whether a person reads the members' forums is cached per person: a
    membership given, a moderators' group taken away, count at the next search."""
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from members.models import Membership
    from tests.factories import OrganisationFactory, UserFactory

    from .factories import ForumFactory, ThreadFactory

    PostFactory(
        thread=ThreadFactory(
            forum=ForumFactory(visibility=Forum.Visibility.MEMBERS),
            title="Sujet interne",
        ),
        body="Compost entre membres",
    )
    url = reverse("home:search") + "?q=compost"
    newcomer = UserFactory()
    client.force_login(newcomer)
    assert "Sujet interne" not in client.get(url).content.decode()
    Membership.objects.create(user=newcomer, organisation=OrganisationFactory())
    assert "Sujet interne" in client.get(url).content.decode()

    client.force_login(moderator)
    assert "Sujet interne" in client.get(url).content.decode()
    group = moderator.groups.get()
    group.user_set.remove(moderator)
    assert "Sujet interne" not in client.get(url).content.decode()
    group.user_set.add(moderator)
    assert "Sujet interne" in client.get(url).content.decode()
    Group.objects.get(pk=group.pk).user_set.clear()
    assert "Sujet interne" not in client.get(url).content.decode()
