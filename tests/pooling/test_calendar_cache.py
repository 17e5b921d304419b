"""The week view, the day view and the search by need render what they show to
everyone once per content version (pooling.views): a warm page runs no query of its
own, every change shows at once, the clock still turns cells past on time, and what
is the viewer's (who booked and why, the structures they book for, the CSRF token)
is never shared."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from pooling import services
from ptce.models import SiteIdentity
from resources import services as resource_services
from resources.models import Resource
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def identity():
    SiteIdentity.load()  # created on first read otherwise, which changes the version


def day_ahead(days: int = 3):
    return timezone.localdate() + timedelta(days=days)


def at(day, hour, minute=0) -> datetime:
    return datetime.combine(
        day, time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def week_url(resource, day) -> str:
    return reverse("pooling:week", args=[resource.pk]) + f"?semaine={day.isoformat()}"


def search_query(day) -> dict:
    return {
        "date": day.isoformat(),
        "start_time": "14:00",
        "end_time": "17:00",
        "kind": "premises",
        "people": "12",
    }


def book(resource, organisation, person, day, hour, purpose=""):
    return services.booking_request(
        resource=resource,
        organisation=organisation,
        by=person,
        start=at(day, hour),
        end=at(day, hour + 1),
        purpose=purpose,
    )


def test_warm_calendars_and_search_run_no_query_of_their_own(
    client, room, borrower_member, django_assert_max_num_queries
):
    client.force_login(borrower_member)
    day = day_ahead()
    pages = [
        (week_url(room, day), {}),
        (reverse("pooling:day"), {"date": day.isoformat()}),
        (reverse("pooling:search"), search_query(day)),
    ]
    for url, query in pages:
        client.get(url, query)
        # At most the person's calendar-feed token (the week view links the feed).
        with django_assert_max_num_queries(1):
            response = client.get(url, query)
        assert response.status_code == HTTPStatus.OK, url
        assert "Salle Rosa-Parks" in response.content.decode(), url


def test_who_booked_and_why_follows_the_viewer_not_the_cache(
    client, room, owner_member, owner_referent, borrower, borrower_member, coordinator
):
    day = day_ahead()
    book(room, borrower, borrower_member, day, 10, purpose="Réunion secrète")
    url = week_url(room, day)
    outsider = MembershipFactory(organisation=OrganisationFactory()).user
    seen = {}
    # The owner's member fills the cache first: the outsider must not get it.
    for person in (owner_member, outsider, borrower_member, coordinator, None):
        client.logout()
        if person is not None:
            client.force_login(person)
        for _ in range(2):  # cold, then from the cache
            body = client.get(url).content.decode()
            seen[person] = "Réunion secrète" in body and borrower.name in body
    assert seen == {
        owner_member: True,
        outsider: False,
        borrower_member: True,
        coordinator: True,
        None: False,
    }


def test_a_resource_manager_sees_details_and_loses_them_at_once(
    client, room, borrower, borrower_member, owner_referent
):
    """What a person manages is cached per person (resources.permissions) and
    forgotten when a manager row is saved or deleted, or named in bulk."""
    from django.core.cache import cache

    from ptce.personcache import _keys
    from resources.models import ResourceManager
    from resources.permissions import MANAGED

    day = day_ahead()
    book(room, borrower, borrower_member, day, 10, purpose="Réunion secrète")
    url = week_url(room, day)
    # Named, then gone from the owner structure: only the manager link remains.
    person = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(person)
    for _ in range(2):
        assert "Réunion secrète" not in client.get(url).content.decode()
    ResourceManager.objects.create(
        resource=room, user=person, named_by=owner_referent, created_at=timezone.now()
    )
    assert "Réunion secrète" in client.get(url).content.decode()
    ResourceManager.objects.filter(user=person).delete()
    assert "Réunion secrète" not in client.get(url).content.decode()

    # managers_set names people in bulk (no post_save): resources.signals tells the
    # receivers, which forget what they manage and their header's pending count.
    book(room, borrower, borrower_member, day, 15, purpose="En attente")
    colleague = MembershipFactory(organisation=room.owner).user
    client.force_login(colleague)
    client.get(url)
    (key,) = _keys(MANAGED, [colleague.pk])
    assert cache.get(key) == frozenset()
    approvals = reverse("pooling:approvals")
    assert f'href="{approvals}"' not in client.get(url).content.decode()
    resource_services.managers_set(resource=room, by=owner_referent, users=[colleague])
    assert cache.get(key) is None
    assert f'href="{approvals}"' in client.get(url).content.decode()


def test_a_new_booking_shows_at_once_everywhere(
    client, room, borrower, borrower_member
):
    client.force_login(borrower_member)
    day = day_ahead()
    week = week_url(room, day)
    day_page = (reverse("pooling:day"), {"date": day.isoformat()})
    search = (reverse("pooling:search"), search_query(day))
    free_at_14 = f"date={day.isoformat()}&amp;start=14:00&amp;end="
    picked = f'name="resource" value="{room.pk}"'
    assert free_at_14 in client.get(week).content.decode()
    assert free_at_14 in client.get(*day_page).content.decode()
    assert picked in client.get(*search).content.decode()
    book(room, borrower, borrower_member, day, 14, purpose="Atelier")
    assert free_at_14 not in client.get(week).content.decode().split("Bookings")[0]
    assert f"date={day.isoformat()}&amp;start=14:00&amp;end=15:00" not in (
        client.get(*day_page).content.decode()
    )
    body = client.get(*search).content.decode()
    assert picked not in body
    assert "Atelier" in client.get(week).content.decode()  # their own booking


def test_cells_turn_past_on_the_quarter_hour_although_cached(
    client, room, borrower_member, monkeypatch
):
    """The grid is kept per quarter hour: a slot ending at 10:00 is offered until
    then and shown past from 10:00, whatever was cached before."""
    day = day_ahead(0)
    slot = f"date={day.isoformat()}&amp;start=09:30&amp;end=10:00"
    client.force_login(borrower_member)
    room.min_notice = 0
    room.granularity = 30
    room.save()
    url = week_url(room, day)
    for clock, offered in (
        (at(day, 9, 14), True),
        (at(day, 9, 59), True),  # cached under 09:45, still true
        (at(day, 10, 0), False),  # a new quarter: computed again
        (at(day, 10, 14), False),
    ):
        monkeypatch.setattr(timezone, "now", lambda clock=clock: clock)
        assert (slot in client.get(url).content.decode()) is offered, clock


def test_a_withdrawn_resource_stays_hidden_from_others_once_cached(
    client, room, owner_referent, borrower_member, coordinator
):
    resource_services.resource_set_status(
        resource=room, by=owner_referent, status=Resource.Status.WITHDRAWN
    )
    url = week_url(room, day_ahead())
    for person, status in (
        (owner_referent, HTTPStatus.OK),
        (borrower_member, HTTPStatus.NOT_FOUND),
        (coordinator, HTTPStatus.OK),
        (None, HTTPStatus.NOT_FOUND),
    ):
        client.logout()
        if person is not None:
            client.force_login(person)
        for _ in range(2):
            assert client.get(url).status_code == status, person
    assert client.get(reverse("pooling:week", args=[999_999])).status_code == 404


def test_the_search_offers_each_person_their_own_structures(
    client, room, borrower, borrower_member, owner, owner_member
):
    day = day_ahead()
    query = search_query(day)
    third = OrganisationFactory(name="Coopérative du Port")
    MembershipFactory(user=borrower_member, organisation=third)
    for person, shown, hidden in (
        (borrower_member, [borrower.name, third.name], [owner.name]),
        (owner_member, [owner.name], [borrower.name, third.name]),
    ):
        client.force_login(person)
        for _ in range(2):
            body = client.get(reverse("pooling:search"), query).content.decode()
            fieldset = body.split('id="id_organisation"')[1].split("</select>")[0]
            assert all(name in fieldset for name in shown), person
            assert not any(name in fieldset for name in hidden), person
            assert "csrfmiddlewaretoken" in body
    client.logout()
    body = client.get(reverse("pooling:search"), query).content.decode()
    assert 'id="id_organisation"' not in body and "csrfmiddlewaretoken" in body


def test_bad_input_gets_a_french_error_from_the_cache_too(client, borrower_member):
    client.force_login(borrower_member)
    for _ in range(2):
        response = client.get(
            reverse("pooling:search"),
            {"date": "9999-99-99", "start_time": "25:00", "kind": "nope"},
        )
        assert response.status_code == HTTPStatus.OK
        assert 'class="error-summary"' in response.content.decode()
        day = client.get(reverse("pooling:day"), {"date": "9999-99-99", "page": "x"})
        assert day.status_code == HTTPStatus.OK


def test_bulk_written_bookings_and_hours_make_a_new_content_version(
    monkeypatch, room, borrower, borrower_member, owner_referent
):
    """Requests and opening hours are bulk-created (no post_save): their services
    bump the content version themselves, not through whatever else they save (the
    audit trail, notifications), so no kept page can miss them."""
    from ptce.pagecache import content_version

    monkeypatch.setattr("pooling.services.requests._after_request", lambda *a: None)
    monkeypatch.setattr("resources.services.audit_record", lambda **kw: None)
    before = content_version()
    book(room, borrower, borrower_member, day_ahead(), 14)
    assert content_version() != before
    # No hours left to delete (whose post_delete would bump): only the new ones.
    resource_services.opening_hours_set(resource=room, by=owner_referent, periods=[])
    without_hours = content_version()
    resource_services.opening_hours_set(
        resource=room, by=owner_referent, periods=[(0, time(8), time(12))]
    )
    assert content_version() != without_hours


def test_pooling_pages_answer_and_stay_right_without_redis(
    client, room, owner, owner_referent, borrower, borrower_member
):
    """Redis stopped: no content version, nothing kept; every cached pooling page is
    built each time (a booking made meanwhile shows at once) and answers 200."""
    from django.test import override_settings

    from tests.ptce.test_cache_outage import CLOSED_PORT, _redis_cache

    day = day_ahead()
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    pages = [
        week_url(room, day),
        reverse("pooling:day") + f"?date={day.isoformat()}",
        reverse("pooling:search")
        + "?"
        + "&".join(f"{k}={v}" for k, v in search_query(day).items()),
        reverse("pooling:my_space"),
        reverse("pooling:approvals"),
        reverse(
            "pooling_ledger:structure",
            args=[owner.slug, last_month.year, last_month.month],
        ),
    ]
    with override_settings(CACHES=_redis_cache(CLOSED_PORT)):
        client.force_login(owner_referent)
        for page in pages:
            assert client.get(page).status_code == HTTPStatus.OK, page
        booked = book(room, borrower, borrower_member, day, 14, purpose="Atelier")
        assert "Atelier" in client.get(pages[0]).content.decode()
        assert booked.get_absolute_url() in client.get(pages[3]).content.decode()
