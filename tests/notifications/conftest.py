from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory


@pytest.fixture
def coordinator(db):
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="notifications", codename="send_announcement"
        )
    )
    return user


@pytest.fixture
def announce(django_capture_on_commit_callbacks):
    """notify() an announcement and run the after-commit enqueue (eager in tests)."""
    from notifications.services import notify

    def _announce(recipients, *, title="Assemblée générale", target=None, **extra):
        context = {"title": title, "message": "Rendez-vous jeudi.", **extra}
        context.setdefault("author", recipients[0])
        with django_capture_on_commit_callbacks(execute=True):
            return notify(recipients, "notifications.announcement", context, target)

    return _announce
