from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import icalendar
import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from members.models import Membership
from pooling.calendars import services
from pooling.calendars.models import CalendarToken
from pooling.models import Booking
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.pooling.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon():
    return timezone.now().replace(microsecond=0) + timedelta(days=3)


@pytest.fixture
def bookings(room, borrower, borrower_member, soon):
    mine = BookingFactory(
        resource=room,
        organisation=borrower,
        booked_by=borrower_member,
        start=soon,
        end=soon + timedelta(hours=2),
        purpose="Assemblée générale des Jardins",
    )
    other_org = OrganisationFactory(name="Compagnie Secrète")
    theirs = BookingFactory(
        resource=room,
        organisation=other_org,
        start=soon + timedelta(hours=3),
        end=soon + timedelta(hours=4),
        purpose="Projet confidentiel",
    )
    cancelled = BookingFactory(
        resource=room,
        organisation=borrower,
        booked_by=borrower_member,
        start=soon + timedelta(days=1),
        end=soon + timedelta(days=1, hours=1),
        status=Booking.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )
    return mine, theirs, cancelled


def feed_url(user, name, **kwargs):
    token = services.calendar_token_for(user=user)
    return reverse(f"pooling_calendars:{name}", kwargs={"token": token, **kwargs})


def parse(response):
    data = response.content
    return icalendar.Calendar.from_ical(data), vobject.readOne(data.decode())


def test_resource_feed_works_without_a_session_and_hides_other_structures(
    client, room, bookings, borrower_member, django_assert_max_num_queries
):
    mine, theirs, cancelled = bookings
    url = feed_url(borrower_member, "resource", pk=room.pk)
    with django_assert_max_num_queries(6):
        response = client.get(url)  # no login
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/calendar")
    parsed, read = parse(response)
    by_uid = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    assert len(by_uid) == 3 == len(read.vevent_list)
    ours = by_uid[f"booking-{mine.pk}@127.0.0.1"]
    assert "Les Jardins partagés" in str(ours["SUMMARY"])
    assert "Assemblée générale" in str(ours["DESCRIPTION"])
    other = by_uid[f"booking-{theirs.pk}@127.0.0.1"]
    assert str(other["SUMMARY"]) == "Salle Rosa-Parks — Réservé"
    assert "DESCRIPTION" not in other
    text = response.content.decode()
    assert "Compagnie Secrète" not in text and "confidentiel" not in text
    assert str(by_uid[f"booking-{cancelled.pk}@127.0.0.1"]["STATUS"]) == "CANCELLED"


def test_query_count_does_not_grow_with_bookings(
    client, room, borrower, borrower_member, soon, django_assert_max_num_queries
):
    for hour in range(30):
        BookingFactory(
            resource=room,
            organisation=OrganisationFactory(),
            start=soon + timedelta(hours=hour * 2),
            end=soon + timedelta(hours=hour * 2 + 1),
        )
    url = feed_url(borrower_member, "resource", pk=room.pk)
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == HTTPStatus.OK


def test_owner_and_coordinator_see_everything(
    client, room, bookings, owner_member, coordinator
):
    for user in (owner_member, coordinator):
        text = client.get(feed_url(user, "resource", pk=room.pk)).content.decode()
        assert "Compagnie Secrète" in text


def test_person_and_structure_feeds(client, bookings, borrower, borrower_member):
    mine, theirs, cancelled = bookings
    parsed, _ = parse(client.get(feed_url(borrower_member, "person")))
    uids = {str(e["UID"]).split("@")[0] for e in parsed.walk("VEVENT")}
    assert uids == {f"booking-{mine.pk}", f"booking-{cancelled.pk}"}
    url = feed_url(borrower_member, "organisation", slug=borrower.slug)
    parsed, _ = parse(client.get(url))
    assert len(parsed.walk("VEVENT")) == 2
    # Someone outside the structure cannot read its feed, even with a valid token.
    outsider = UserFactory()
    url = feed_url(outsider, "organisation", slug=borrower.slug)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_tampered_unknown_and_regenerated_tokens_are_404(
    client, room, bookings, borrower_member
):
    url = feed_url(borrower_member, "person")
    token = CalendarToken.objects.get(user=borrower_member).token
    for bad in (
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        "x",
        "a" * 300,
        token.upper(),
    ):
        if bad == token:
            continue
        bad_url = reverse("pooling_calendars:person", kwargs={"token": bad})
        assert client.get(bad_url).status_code == HTTPStatus.NOT_FOUND
    client.force_login(borrower_member)
    response = client.post(reverse("pooling_calendars:regenerate"))
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    new_url = feed_url(borrower_member, "person")
    assert new_url != url
    client.logout()
    assert client.get(new_url).status_code == HTTPStatus.OK


def test_regenerate_needs_post_login_and_ignores_foreign_next(client, borrower_member):
    url = reverse("pooling_calendars:regenerate")
    assert client.post(url).status_code == HTTPStatus.FOUND  # to the login page
    assert not CalendarToken.objects.exists()
    client.force_login(borrower_member)
    assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("pooling_calendars:index")


def test_deactivated_person_feed_is_404(client, borrower_member):
    url = feed_url(borrower_member, "person")
    borrower_member.is_active = False
    borrower_member.save()
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_calendars_page_links_and_declares_feeds(
    client, borrower, borrower_member, django_assert_max_num_queries
):
    client.force_login(borrower_member)
    # The first page a person opens fills their per-person caches (header fragments,
    # the feed token): measured warm, as people use it and as the bench measures.
    client.get(reverse("pooling_calendars:index"))
    # Their structures; the person, the feed token and the header's counts come
    # from the request's one cache batch.
    with django_assert_max_num_queries(1):
        response = client.get(reverse("pooling_calendars:index"))
    html = response.content.decode()
    token = CalendarToken.objects.get(user=borrower_member).token
    assert html.count('<link rel="alternate" type="text/calendar"') == 2
    assert f"webcal://127.0.0.1:8000/mutualisation/calendriers/{token}/moi.ics" in html
    assert (
        f"http://127.0.0.1:8000/mutualisation/calendriers/{token}/structure/{borrower.slug}.ics"
        in html
    )
    assert client.get(reverse("pooling_calendars:index")).status_code == HTTPStatus.OK
    client.logout()
    response = client.get(reverse("pooling_calendars:index"))
    assert response.status_code == HTTPStatus.FOUND


def test_referent_sees_structure_feed_without_membership_role_issue(client, borrower):
    referent = MembershipFactory(
        organisation=borrower, role=Membership.Role.REFERENT
    ).user
    url = feed_url(referent, "organisation", slug=borrower.slug)
    assert client.get(url).status_code == HTTPStatus.OK


def test_pages_show_the_new_address_right_after_regeneration(client, borrower_member):
    """The token is cached per person (read with the header's values): a page asks
    no query for it, and a regenerated or erased token is never shown again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(borrower_member)
    page = reverse("pooling:my_space")
    client.get(page)  # creates the token, fills the person's caches
    old = CalendarToken.objects.get(user=borrower_member).token
    with CaptureQueriesContext(connection) as queries:
        assert old in client.get(page).content.decode()
    assert not [q for q in queries if "calendartoken" in q["sql"]]

    client.post(reverse("pooling_calendars:regenerate"))
    new = CalendarToken.objects.get(user=borrower_member).token
    html = client.get(page).content.decode()
    assert old not in html and f"/mutualisation/calendriers/{new}/moi.ics" in html

    # Erased (the personal-data erasure deletes the row): a new one is made.
    CalendarToken.objects.get(user=borrower_member).delete()
    html = client.get(page).content.decode()
    newest = CalendarToken.objects.get(user=borrower_member).token
    assert new not in html and newest in html
