"""The forum's doors in the Wagtail admin go through the services: a forum's rules
are the coordination's, moderators keep the watched words, and every change is in
the audit trail."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from forum import services
from forum.models import Forum, Mode
from ptce.models import AuditEvent
from ptce.roles import COORDINATORS, MODERATORS, ensure_groups
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = {
    "title": "Mobilité",
    "slug": "mobilite",
    "description": "Covoiturage, vélos.",
    "mode": Mode.A_PRIORI,
    "newcomer_threshold": 3,
    "visibility": Forum.Visibility.MEMBERS,
    "position": 0,
    "watched_words": "",
}


@pytest.fixture
def person_in():
    ensure_groups()

    def make(group: str):
        user = UserFactory()
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


def test_coordinator_opens_and_changes_a_forum_through_the_services(client, person_in):
    coordinator = person_in(COORDINATORS)
    client.force_login(coordinator)
    response = client.post(reverse("forum_forums:add"), SETTINGS)
    assert response.status_code == HTTPStatus.FOUND
    forum = Forum.objects.get(slug="mobilite")
    created = AuditEvent.objects.get(action="forum.forum.create")
    assert created.actor == coordinator and created.target_id == str(forum.pk)
    assert created.data["settings"]["visibility"] == "members"

    edit = reverse("forum_forums:edit", args=[forum.pk])
    response = client.post(edit, {**SETTINGS, "mode": Mode.A_POSTERIORI})
    assert response.status_code == HTTPStatus.FOUND
    forum.refresh_from_db()
    assert forum.mode == Mode.A_POSTERIORI
    event = AuditEvent.objects.get(action="forum.forum.update")
    assert event.actor == coordinator
    assert (event.before, event.after) == ("mode=a_priori", "mode=a_posteriori")
    # Saving without a change records nothing.
    client.post(edit, {**SETTINGS, "mode": Mode.A_POSTERIORI})
    assert AuditEvent.objects.filter(action="forum.forum.update").count() == 1


def test_moderator_changes_the_watched_words_and_nothing_else(client, person_in):
    forum = Forum.objects.create(**SETTINGS)
    moderator = person_in(MODERATORS)
    client.force_login(moderator)
    edit = reverse("forum_forums:edit", args=[forum.pk])
    html = client.get(edit).content.decode()
    assert 'name="watched_words"' in html
    for rule in ("mode", "visibility", "newcomer_threshold", "slug"):
        assert f'name="{rule}"' not in html
    # Posting the rules anyway changes none of them.
    response = client.post(
        edit,
        {
            "watched_words": "casino\nloterie",
            "visibility": Forum.Visibility.PUBLIC,
            "mode": Mode.A_POSTERIORI,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    forum.refresh_from_db()
    assert forum.watched_word_list() == ["casino", "loterie"]
    assert forum.visibility == Forum.Visibility.MEMBERS
    assert forum.mode == Mode.A_PRIORI
    event = AuditEvent.objects.get(action="forum.forum.update")
    assert event.actor == moderator and list(event.data["changed"]) == ["watched_words"]
    # The service refuses the rules to a moderator, whatever the door.
    with pytest.raises(PermissionDenied):
        services.forum_update(
            forum=forum, by=moderator, data={"visibility": Forum.Visibility.PUBLIC}
        )
    # And only coordinators open forums.
    client.post(reverse("forum_forums:add"), {**SETTINGS, "slug": "autre"})
    assert not Forum.objects.filter(slug="autre").exists()
    with pytest.raises(PermissionDenied):
        services.forum_create(by=moderator, data={"title": "X", "slug": "x"})


def test_a_member_changes_no_forum(person_in):
    forum = Forum.objects.create(**SETTINGS)
    member = UserFactory()
    with pytest.raises(PermissionDenied):
        services.forum_update(forum=forum, by=member, data={"watched_words": "x"})
