"""A person's suspension is read from the per-person cache (ptce.personcache) on
every page with a post form: a suspension takes effect at once all the same, and
ends at its end date without waiting for the cache."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import permissions, services

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # a new request's user object


def test_a_suspension_applies_at_once_though_the_answer_was_cached(
    thread, member, moderator
):
    assert not permissions.is_suspended(fresh(member))  # cached: not suspended
    with CaptureQueriesContext(connection) as queries:
        assert not permissions.is_suspended(fresh(member))
    assert not [q for q in queries if "forum_suspension" in q["sql"]]
    until = timezone.now() + timedelta(days=3)
    services.user_suspend(user=member, by=moderator, reason="Insultes", until=until)
    assert permissions.is_suspended(fresh(member))
    with pytest.raises(PermissionDenied):
        services.post_submit(thread=thread, by=fresh(member), body="Je reviens")


def test_a_suspension_ends_at_its_end_date(thread, member, moderator, monkeypatch):
    until = timezone.now() + timedelta(hours=1)
    services.user_suspend(user=member, by=moderator, reason="Calme", until=until)
    assert permissions.is_suspended(fresh(member))  # now cached with its end
    later = until + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert not permissions.is_suspended(fresh(member))
