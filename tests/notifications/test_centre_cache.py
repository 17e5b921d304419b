"""The notification centre reads its count of notifications and its announcement
link from the person's cache (ptce.personcache): two queries warm, and each value
follows its writes at once and never shows to someone else."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from ptce.models import SiteIdentity
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
ANNOUNCE = reverse("notifications:announcement")


@pytest.fixture(autouse=True)
def _identity(db):
    SiteIdentity.load()  # created by the first page otherwise: a content change


@pytest.fixture
def send_announcement():
    return Permission.objects.get(
        content_type__app_label="notifications", codename="send_announcement"
    )


def _many(user, count: int, text: str = "N") -> None:
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="notifications.announcement", text=text)
        for _ in range(count)
    )


def _centre(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_a_warm_centre_costs_its_page_only(client, user, django_assert_num_queries):
    """Fails on the code before: 4 (the COUNT, the two permission queries). (The
    person's row comes from the cache: ptce.auth.)"""
    _many(user, 60)
    client.force_login(user)
    client.get(LIST)
    with django_assert_num_queries(1):
        page = client.get(LIST, {"page": 2}).content.decode()
    assert page.count('class="notification ') == 25
    assert "Page 2 sur 3" in page


def test_the_count_follows_new_notifications_at_once(user, announce):
    _many(user, 25)
    assert "Page 1 sur" not in _centre(user)
    announce([user])  # notify(): bulk-created
    assert "Page 1 sur 2" in _centre(user)
    _many(user, 25)  # bulk-created outside notify(): the cached count stays…
    Notification.objects.create(  # …until one is saved
        recipient=user, kind="notifications.announcement", text="Une de plus"
    )
    assert "Page 1 sur 3" in _centre(user)


def test_a_stale_count_never_hides_notifications(user):
    _centre(user)  # caches « none »
    _many(user, 3, text="Arrivée sans notify")  # no signal: the count stays 0
    assert _centre(user).count("Arrivée sans notify") == 6  # link and button text


def test_the_announcement_link_follows_permissions_at_once(user, send_announcement):
    link = f'href="{ANNOUNCE}"'
    assert link not in _centre(user)
    group = Group.objects.create(name="Communication")
    user.groups.add(group)
    assert link not in _centre(user)
    group.permissions.add(send_announcement)  # from the group's side
    assert link in _centre(user)
    send_announcement.group_set.remove(group)  # from the permission's side
    assert link not in _centre(user)
    group.permissions.add(send_announcement)
    assert link in _centre(user)
    send_announcement.group_set.clear()  # a reverse clear names nobody
    assert link not in _centre(user)
    user.user_permissions.add(send_announcement)
    assert link in _centre(user)
    send_announcement.user_set.clear()
    assert link not in _centre(user)
    user.is_superuser = True
    user.save()
    assert link in _centre(user)
    user.is_superuser = False
    user.save()
    assert link not in _centre(user)
    group.permissions.add(send_announcement)
    assert link in _centre(user)
    group.delete()
    assert link not in _centre(user)


def test_nobody_sees_anothers_count_link_or_notifications(send_announcement):
    writer, reader = UserFactory(), UserFactory()
    writer.user_permissions.add(send_announcement)
    _many(writer, 30, text="Pour la rédaction")
    _many(reader, 1, text="Pour le lecteur")
    for _ in range(2):  # cold, then from each person's cache
        mine, theirs = _centre(writer), _centre(reader)
        assert f'href="{ANNOUNCE}"' in mine and f'href="{ANNOUNCE}"' not in theirs
        assert "Page 1 sur 2" in mine and "Page 1 sur" not in theirs
        assert "Pour le lecteur" not in mine and "Pour la rédaction" not in theirs
        assert "Pour le lecteur" in theirs
