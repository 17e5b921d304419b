"""Per-person cached header values (ptce.personcache) and the counts built on them."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)
from ptce.personcache import person_forget, person_value
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self, value=0):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def test_a_value_is_computed_once_then_read_from_the_cache():
    compute = Counter(3)
    assert person_value("count", 1, compute) == 3
    assert person_value("count", 1, compute) == 3
    assert compute.calls == 1
    other = Counter(7)
    assert person_value("count", 2, other) == 7  # one value per person


def test_forgetting_some_people_recomputes_theirs_only():
    first, second = Counter(1), Counter(2)
    person_value("count", 1, first)
    person_value("count", 2, second)
    first.value = 10
    person_forget("count", [1])
    assert person_value("count", 1, first) == 10
    assert person_value("count", 2, second) == 2
    assert (first.calls, second.calls) == (2, 1)


# serialized_rollback like every other transactional test: a plain flush re-creates
# the groups (post_migrate), which the next serialized test then loads again.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_value_read_between_the_write_and_its_commit_is_forgotten_at_commit():
    compute = Counter(1)
    person_value("count", 1, compute)
    with transaction.atomic():
        person_forget("count", [1])
        # Another request reads before the commit: the old value goes back in.
        person_value("count", 1, compute)
        compute.value = 2
    assert person_value("count", 1, compute) == 2


def _bell(client) -> str:
    page = client.get("/membres/mon-espace/").content.decode()
    start = page.index('class="notification-bell"')
    return page[start : page.index("</a>", start)]


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get("/membres/mon-espace/")
    return sum("notifications_notification" in q["sql"] for q in queries)


def test_the_bell_follows_every_change_and_costs_no_query_when_unchanged(client):
    person, other = UserFactory(), UserFactory()
    client.force_login(person)
    assert "aucune non lue" in _bell(client)
    assert _count_queries(client) == 0  # cached
    notify([person, other], "notifications.announcement", {"title": "AG"})
    assert "1 non lue" in _bell(client)
    assert _count_queries(client) == 0
    second = notify([person], "notifications.announcement", {"title": "CA"})[0]
    assert "2 non lues" in _bell(client)
    notification_mark_read(notification=second)
    assert "1 non lue" in _bell(client)
    notifications_mark_all_read(user=person)
    assert "aucune non lue" in _bell(client)
