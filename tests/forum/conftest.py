from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site

from home.models import StandardPage
from members.permissions import COORDINATORS_GROUP, MODERATORS_GROUP
from tests.factories import MembershipFactory, UserFactory

from .factories import ForumFactory, ThreadFactory

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    # Tests post many messages from one person; the limits have their own tests.
    settings.FORUM_RATE_LIMITS = {"person": (1000, 600), "address": (1000, 600)}


@pytest.fixture
def member(db):
    return MembershipFactory().user


@pytest.fixture
def other_member(db):
    return MembershipFactory().user


@pytest.fixture
def moderator(db):
    user = UserFactory(first_name="Modé", last_name="Ratrice")
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def coordinator(db):
    user = UserFactory(first_name="Coordi", last_name="Nation")
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def forum(db):
    return ForumFactory()


@pytest.fixture
def thread(forum, member):
    return ThreadFactory(forum=forum, author=member)


@pytest.fixture
def commentable(settings, monkeypatch):
    """StandardPage as a page type that opts in to comments (the news contract)."""
    monkeypatch.setattr(StandardPage, "accepts_comments", True, raising=False)
    monkeypatch.setattr(
        StandardPage, "template", "forum_tests/commentable_page.html", raising=False
    )
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR],
        }
    ]
    return StandardPage


@pytest.fixture
def article(db, commentable):
    root = Site.objects.get(is_default_site=True).root_page
    page = StandardPage(title="Une actualité", slug="une-actualite", introduction="")
    root.add_child(instance=page)
    page.save_revision().publish()
    return page
