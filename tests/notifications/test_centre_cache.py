"""The notification centre reads its count of notifications, its announcement link
and its first page of rows from the person's cache (ptce.personcache): page 1 costs
no query warm, a later page its rows only, and each value follows its writes at once
and never shows to someone else."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from notifications.cached import FIRST_PAGE
from notifications.models import Notification
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    user_notifications_erase,
)
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
    _many(user, 25)  # bulk-created outside notify(): the manager forgets too
    Notification.objects.create(  # one saved: the signal
        recipient=user, kind="notifications.announcement", text="Une de plus"
    )
    assert "Page 1 sur 3" in _centre(user)


def test_a_stale_count_never_hides_notifications(user):
    _centre(user)  # caches « none »
    _many(user, 3, text="Arrivée sans notify")  # no notify(), no signal
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


def _first_page_items(user) -> list[str]:
    page = _centre(user)
    return re.findall(r'<li class="(notification[^"]*)"><?.*?>([^<]*)</a>', page)


def test_the_first_page_costs_no_query_warm(client, user, django_assert_num_queries):
    """Fails on the code before: 1 (its rows)."""
    _many(user, 30)
    client.force_login(user)
    client.get(LIST)
    with django_assert_num_queries(0):
        page = client.get(LIST).content.decode()
    assert page.count('class="notification ') == 25
    assert "Page 1 sur 2" in page


def test_the_first_page_is_in_the_batch_on_the_centre_only(client, user):
    """Kept in the page's one read of the person's values on the centre; the other
    pages do not fetch it."""
    key = f"ptce:person:{FIRST_PAGE}:{user.pk}"
    client.force_login(user)
    client.get(LIST)
    assert cache.get(key) == []
    for path, fetched in ((reverse("members:dashboard"), False), (LIST, True)):
        request = client.get(path).wsgi_request
        assert (FIRST_PAGE in request._ptce_person[1]) is fetched, path


def test_the_first_page_follows_every_write_at_once(user, announce):
    """Each step fails with its forget removed (the service's, the manager's, the
    signal's)."""
    assert _first_page_items(user) == []  # kept: « none »
    announce([user], title="Réunion")  # notify(): the manager's bulk_create
    assert len(_first_page_items(user)) == 1
    first = Notification.objects.get(recipient=user)
    notification_mark_read(notification=first)  # a service's UPDATE
    assert [cls for cls, _text in _first_page_items(user)] == ["notification"]
    _many(user, 2, text="Sans notify")  # bulk-created elsewhere: the manager
    items = _first_page_items(user)
    assert [text for _cls, text in items].count("Sans notify") == 2
    notifications_mark_all_read(user=user)
    assert {cls for cls, _text in _first_page_items(user)} == {"notification"}
    first.text = "Texte corrigé"
    first.save()  # one by one: the signal
    assert "Texte corrigé" in [text for _cls, text in _first_page_items(user)]
    user_notifications_erase(user=user)
    assert _first_page_items(user) == []


def test_marking_read_from_the_centre_shows_at_once(user):
    _many(user, 3)
    client = Client()
    client.force_login(user)
    assert client.get(LIST).content.decode().count("notification--unread") == 3
    pk = Notification.objects.filter(recipient=user).first().pk
    response = client.post(reverse("notifications:read"), {"notification": pk})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(LIST).content.decode().count("notification--unread") == 2
