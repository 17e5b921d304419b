"""Pooling's « Mon espace »: the structures' list shared per set of structures, the
person's own list theirs alone, and what a warm page costs."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Membership
from pooling.models import Booking
from ptce.dates import day_format
from tests.factories import MembershipFactory, OrganisationFactory
from tests.pooling.factories import BookingFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def lists(client) -> tuple[str, str]:
    html = client.get(reverse("pooling:my_space")).content.decode()
    mine = html.split('id="mine-title"')[1].split("</section>")[0]
    theirs = html.split('id="structures-title"')[1].split("</section>")[0]
    return mine, theirs


def url(booking) -> str:
    return f'href="{booking.get_absolute_url()}"'


def test_structures_list_is_shared_but_each_sees_their_own_apart(client):
    ours, other = OrganisationFactory(), OrganisationFactory()
    me = MembershipFactory(organisation=ours).user
    colleague = MembershipFactory(organisation=ours).user
    stranger = MembershipFactory(organisation=other).user
    room = ResourceFactory(owner=ours, name="Salle Commune")
    van = ResourceFactory(owner=other, name="Camion Bleu")
    my_booking = BookingFactory(
        resource=van, organisation=ours, booked_by=me, start=at(1, 9), end=at(1, 10)
    )
    theirs = BookingFactory(
        resource=van,
        organisation=ours,
        booked_by=colleague,
        quantity=1,
        start=at(2, 9),
        end=at(2, 10),
    )
    of_our_room = BookingFactory(
        resource=room,
        organisation=other,
        booked_by=stranger,
        status=Booking.Status.PENDING,
        start=at(3, 9),
        end=at(3, 10),
    )
    of_our_room_by_a_third = BookingFactory(
        resource=room,
        organisation=OrganisationFactory(),
        start=at(3, 11),
        end=at(3, 12),
    )
    elsewhere = BookingFactory(
        resource=van,
        organisation=other,
        booked_by=stranger,
        start=at(4, 9),
        end=at(4, 10),
    )

    client.force_login(me)
    mine, structures = lists(client)
    assert url(my_booking) in mine and url(my_booking) not in structures
    assert url(theirs) in structures and url(of_our_room) in structures
    assert url(of_our_room_by_a_third) in structures
    assert url(elsewhere) not in mine + structures
    assert "Salle Commune" in structures and "En attente" in structures
    start = day_format(timezone.localtime(theirs.start), "l j F Y H:i")
    assert f"{start} → {timezone.localtime(theirs.end):%H:%M} · " in structures

    # The same structures, the same kept rows: the colleague's own move to « mine ».
    client.force_login(colleague)
    mine, structures = lists(client)
    assert url(theirs) in mine and url(theirs) not in structures
    assert url(my_booking) in structures and url(of_our_room) in structures

    # Another set of structures: never the rows kept for ours. (Theirs and mine use
    # the stranger's van: their structure sees them.)
    client.force_login(stranger)
    mine, structures = lists(client)
    assert url(of_our_room) in mine and url(elsewhere) in mine
    assert url(theirs) in structures and url(my_booking) in structures
    assert url(of_our_room_by_a_third) not in mine + structures

    # A new booking shows at once (it bumps the content version).
    client.force_login(me)
    lists(client)
    new = BookingFactory(
        resource=room,
        organisation=other,
        booked_by=stranger,
        start=at(5, 9),
        end=at(5, 10),
    )
    assert url(new) in lists(client)[1]
    # A new structure: a new audience.
    third = OrganisationFactory()
    MembershipFactory(organisation=third, user=me, role=Membership.Role.MEMBER)
    of_third = BookingFactory(
        resource=van,
        organisation=third,
        booked_by=stranger,
        start=at(6, 9),
        end=at(6, 10),
    )
    assert url(of_third) in lists(client)[1]


def test_a_person_who_booked_most_of_the_kept_rows_still_gets_a_full_list(client):
    from pooling.views import STRUCTURES_SHARED_ROWS

    ours = OrganisationFactory()
    me = MembershipFactory(organisation=ours).user
    colleague = MembershipFactory(organisation=ours).user
    room = ResourceFactory(owner=ours)
    for n in range(STRUCTURES_SHARED_ROWS):
        BookingFactory(
            resource=room,
            organisation=ours,
            booked_by=me,
            start=at(1 + n // 10, 8 + n % 10),
            end=at(1 + n // 10, 9 + n % 10),
        )
    later = [
        BookingFactory(
            resource=room,
            organisation=ours,
            booked_by=colleague,
            start=at(20, 8 + n),
            end=at(20, 9 + n),
        )
        for n in range(3)
    ]
    client.force_login(colleague)
    lists(client)  # keeps the first rows, all mine
    client.force_login(me)
    structures = lists(client)[1]
    assert all(url(booking) in structures for booking in later)


def test_warm_page_runs_no_query(client, django_assert_num_queries):
    ours = OrganisationFactory()
    me = MembershipFactory(organisation=ours, role=Membership.Role.REFERENT).user
    room = ResourceFactory(owner=ours)
    for n in range(5):
        BookingFactory(
            resource=room,
            organisation=ours,
            booked_by=me,
            start=at(n + 1, 9),
            end=at(n + 1, 10),
        )
    client.force_login(me)
    page = reverse("pooling:my_space")
    client.get(page)
    client.get(page)  # the first page created the site's identity: a new version
    client.get(page)  # the resources' names, kept for everyone's rows
    # Their own bookings, their structures' rows, standing, approver resources,
    # pending count and feed token: all from the cache.
    with django_assert_num_queries(0):
        html = client.get(page).content.decode()
    assert html.count("booking-list") == 1
    assert html.count('href="/mutualisation/reservations/') == 5
    assert 'id="decide-title"' in html  # a référent decides for the room


def test_own_list_kept_per_person_follows_bookings_and_time(client, monkeypatch):
    """The person's own list is kept with the content version it was read under: a
    booking saved shows at once; one that ended leaves it, and a full list that
    lost it is read again (the next one shows)."""
    from pooling.selectors import UPCOMING_LIMIT

    me = MembershipFactory().user
    room = ResourceFactory()
    first, *others = [
        BookingFactory(
            resource=room, booked_by=me, start=at(n + 1, 9), end=at(n + 1, 10)
        )
        for n in range(UPCOMING_LIMIT + 1)
    ]
    beyond = others[-1]
    client.force_login(me)
    mine = lists(client)[0]
    assert url(first) in mine and url(beyond) not in mine
    assert lists(client)[0] == mine  # kept

    new = BookingFactory(resource=room, booked_by=me, start=at(0, 22), end=at(0, 23))
    assert url(new) in lists(client)[0]  # saved: a new content version
    new.delete()
    lists(client)  # kept again, under the version of the deletion

    later = at(1, 11)  # the first booking is over
    monkeypatch.setattr("pooling.views.timezone.now", lambda: later)
    mine = lists(client)[0]
    assert url(first) not in mine
    assert url(beyond) in mine
    assert mine.count("<li>") == UPCOMING_LIMIT


def test_who_decides_follows_roles_managers_and_resources_at_once(client):
    """Which resources the person decides for is cached per person: forgotten when
    their role, a manager link or a resource's owner changes."""
    from resources import services as resource_services

    ours, other = OrganisationFactory(), OrganisationFactory()
    membership = MembershipFactory(organisation=ours, role=Membership.Role.MEMBER)
    me = membership.user
    referent = MembershipFactory(organisation=ours, role=Membership.Role.REFERENT).user
    client.force_login(me)
    page = reverse("pooling:my_space")

    def decides() -> bool:
        return 'id="decide-title"' in client.get(page).content.decode()

    assert not decides()
    membership.role = Membership.Role.REFERENT
    membership.save()
    assert not decides()  # referent of a structure without resources
    room = ResourceFactory(owner=ours)
    assert decides()
    room.owner = other
    room.save()
    assert not decides()
    room.owner = ours
    room.save()
    assert decides()
    membership.role = Membership.Role.MEMBER
    membership.save()
    assert not decides()
    resource_services.managers_set(resource=room, by=referent, users=[me])
    assert decides()
    resource_services.managers_set(resource=room, by=referent, users=[])
    assert not decides()


def test_the_persons_own_statement_gives_the_orms_rows():
    """selectors.user_upcoming runs a statement written once: the same rows, values,
    zones and order as the ORM's query, across past, under way, future, inactive,
    someone else's, and more than the limit."""
    from pooling import selectors

    person = MembershipFactory().user
    other = MembershipFactory().user
    resources = [ResourceFactory(), ResourceFactory()]
    now = timezone.now()
    made = []
    for days, hours, status, by in [
        (-3, (9, 10), Booking.Status.CONFIRMED, person),  # past
        (0, (-2, 2), Booking.Status.CONFIRMED, person),  # under way
        (0, (-30, 30), Booking.Status.PENDING, person),  # under way, long
        (1, (9, 10), Booking.Status.CANCELLED, person),  # inactive
        (1, (9, 10), Booking.Status.CONFIRMED, other),  # someone else's
        *[(2 + n, (9, 11), Booking.Status.PENDING, person) for n in range(25)],
    ]:
        start = now + timedelta(days=days, hours=hours[0])
        resource = resources[len(made) % 2]
        made.append(
            BookingFactory(
                resource=resource,
                booked_by=by,
                start=start,
                end=start + timedelta(hours=hours[1] - hours[0]),
                status=status,
                exclusive=False,
            )
        )
    orm = selectors._upcoming_rows(
        selectors._first_of_each([selectors._mine(person, now)], now, 20), 20
    )
    rows = selectors.user_upcoming(person, now=now)
    assert rows == orm and len(rows) == selectors.UPCOMING_LIMIT
    assert [row[0] for row in rows[:2]] == [made[2].pk, made[1].pk]
    assert all(row[3].utcoffset() is not None for row in rows)
    assert selectors.user_upcoming(other, now=now) == [
        tuple(row)
        for row in selectors._upcoming_rows(
            selectors._first_of_each([selectors._mine(other, now)], now, 20), 20
        )
    ]
