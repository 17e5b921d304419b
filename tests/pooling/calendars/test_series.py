from __future__ import annotations

from datetime import UTC, date, time, timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pooling.calendars import series
from pooling.calendars.models import BookingSeries, SeriesOccurrence
from pooling.models import Booking
from pooling.recurrence import Frequency, Recurrence
from tests.pooling.conftest import NOW, paris
from tests.pooling.factories import BookingFactory, ClosureFactory

pytestmark = pytest.mark.django_db

WEEKLY_SUNDAYS = Recurrence(frequency=Frequency.WEEKLY, weekdays=(6,), count=5)


def common(room, borrower, borrower_member, **kwargs):
    values = {
        "resource": room,
        "organisation": borrower,
        "by": borrower_member,
        "recurrence": Recurrence(
            frequency=Frequency.WEEKLY, weekdays=(0,), until=date(2027, 4, 12)
        ),
        "first_date": date(2027, 3, 15),
        "start_time": time(9),
        "duration": timedelta(hours=2),
        "now": NOW,
    }
    return {**values, **kwargs}


def test_preview_lists_clashes_and_closures_and_writes_nothing(
    room, borrower, borrower_member
):
    BookingFactory(
        resource=room, start=paris(2027, 3, 22, 10), end=paris(2027, 3, 22, 11)
    )
    ClosureFactory(
        resource=room,
        start=paris(2027, 4, 5, 0),
        end=paris(2027, 4, 6, 0),
        reason="Lundi de Pâques",
    )
    before = Booking.objects.count()
    checks = series.series_preview(**common(room, borrower, borrower_member))
    assert [c.day for c in checks] == [
        date(2027, 3, 15),
        date(2027, 3, 22),
        date(2027, 3, 29),
        date(2027, 4, 5),
        date(2027, 4, 12),
    ]
    assert [c.free for c in checks] == [True, False, True, False, True]
    assert "Lundi de Pâques" in " ".join(checks[3].problems)
    assert Booking.objects.count() == before
    assert not BookingSeries.objects.exists()


def test_booking_the_free_dates_keeps_nine_oclock_across_the_march_change(
    room, borrower, borrower_member
):
    values = common(room, borrower, borrower_member)
    checks = series.series_preview(**values)
    free = {c.day for c in checks if c.free}
    booked = series.series_book(**values, dates=free, purpose="Atelier")
    bookings = Booking.objects.filter(series_link__series=booked).order_by("start")
    assert bookings.count() == 5
    for booking in bookings:
        local = booking.start.astimezone(paris(2027, 1, 1).tzinfo)
        assert (local.hour, local.minute) == (9, 0)
    utc_hours = [b.start.astimezone(UTC).hour for b in bookings]
    assert utc_hours == [8, 8, 7, 7, 7]  # winter time until 28 March 2027
    assert booked.rrule.startswith("FREQ=WEEKLY")


def test_non_existent_local_time_is_listed(room, borrower, borrower_member):
    values = common(
        room,
        borrower,
        borrower_member,
        recurrence=WEEKLY_SUNDAYS,
        first_date=date(2027, 3, 21),
        start_time=time(2, 30),
        duration=timedelta(hours=1),
    )
    checks = series.series_preview(**values)
    skipped = [c for c in checks if c.day == date(2027, 3, 28)][0]
    assert not skipped.free and "02:30" in " ".join(skipped.problems)


def test_a_date_taken_between_preview_and_booking_books_nothing(
    room, borrower, borrower_member
):
    values = common(room, borrower, borrower_member)
    free = {c.day for c in series.series_preview(**values) if c.free}
    BookingFactory(
        resource=room, start=paris(2027, 3, 29, 9), end=paris(2027, 3, 29, 10)
    )
    with pytest.raises(ValidationError) as info:
        series.series_book(**values, dates=free)
    assert "29 mars 2027" in " ".join(info.value.messages)
    assert not BookingSeries.objects.exists()
    assert not Booking.objects.filter(organisation=borrower).exists()


def test_only_chosen_dates_are_booked_and_foreign_dates_ignored(
    room, borrower, borrower_member
):
    values = common(room, borrower, borrower_member)
    booked = series.series_book(
        **values, dates={date(2027, 3, 15), date(2027, 3, 16), date(2030, 1, 1)}
    )
    assert [o.local_date for o in booked.occurrences.all()] == [date(2027, 3, 15)]
    with pytest.raises(ValidationError):
        series.series_book(**values, dates={date(2030, 1, 1)})


def test_cancel_one_or_this_and_all_following(room, borrower, borrower_member):
    values = common(room, borrower, borrower_member)
    booked = series.series_book(
        **values, dates={c.day for c in series.series_preview(**values)}
    )
    links = list(SeriesOccurrence.objects.filter(series=booked).order_by("local_date"))
    cancelled = series.series_cancel_following(
        booking=links[2].booking, by=borrower_member, reason="Fin du projet"
    )
    assert len(cancelled) == 3
    statuses = [Booking.objects.get(pk=link.booking_id).status for link in links]
    assert statuses[:2] == [Booking.Status.PENDING] * 2
    assert statuses[2:] == [Booking.Status.CANCELLED] * 3
    booked.refresh_from_db()
    assert "UNTIL=20270328T235959" in booked.rrule


def test_series_views(
    client, room, borrower, borrower_member, django_assert_max_num_queries
):
    client.force_login(borrower_member)
    url = reverse("pooling_calendars:series_create", args=[room.pk])
    # +1 since the news feed links in every head (one query on a cold cache).
    with django_assert_max_num_queries(19):
        assert client.get(url).status_code == HTTPStatus.OK
    data = {
        "organisation": borrower.pk,
        "first_date": "2027-10-04",
        "start_time": "09:00",
        "end_time": "10:30",
        "frequency": Frequency.WEEKLY,
        "interval": "1",
        "weekdays": ["0"],
        "count": "6",
        "quantity": "1",
        "purpose": "Permanence",
    }
    BookingFactory(
        resource=room, start=paris(2027, 10, 11, 9), end=paris(2027, 10, 11, 10)
    )
    with django_assert_max_num_queries(25):
        response = client.post(url, {**data, "action": "preview"})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert html.count('name="dates"') == 5
    assert not Booking.objects.filter(organisation=borrower).exists()
    dates = ["2027-10-04", "2027-10-18", "2027-10-25", "2027-11-01", "2027-11-08"]
    response = client.post(url, {**data, "action": "book", "dates": dates})
    assert response.status_code == HTTPStatus.FOUND
    bookings = Booking.objects.filter(organisation=borrower).order_by("start")
    assert bookings.count() == 5
    # The October change (31 October 2027): still 9:00 in Paris after it.
    assert [b.start.astimezone(UTC).hour for b in bookings] == [7, 7, 7, 8, 8]
    page = client.get(bookings[3].get_absolute_url()).content.decode()
    assert (
        reverse("pooling_calendars:series_cancel_following", args=[bookings[3].pk])
        in page
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"end_time": "08:00"},
        {"count": "", "until": ""},
        {"count": "100000"},
        {"interval": "0"},
        {"weekdays": ["9"]},
        {"first_date": "9999-12-31"},
        {"organisation": "999999"},
        {"purpose": "x" * 100_000},
        {"purpose": "nul\x00byte"},
    ],
)
def test_series_bad_input_is_refused_in_french(
    client, room, borrower, borrower_member, bad
):
    client.force_login(borrower_member)
    url = reverse("pooling_calendars:series_create", args=[room.pk])
    data = {
        "organisation": borrower.pk,
        "first_date": "2027-10-04",
        "start_time": "09:00",
        "end_time": "10:30",
        "frequency": Frequency.WEEKLY,
        "interval": "1",
        "weekdays": ["0"],
        "count": "3",
        "quantity": "1",
        "action": "book",
        "dates": ["2027-10-04"],
        **bad,
    }
    response = client.post(url, data)
    assert not Booking.objects.filter(organisation=borrower).exists()
    if "\x00" in data.get("purpose", ""):
        # The site refuses NUL bytes in any request before the view (400).
        assert response.status_code == HTTPStatus.BAD_REQUEST
        return
    assert response.status_code == HTTPStatus.OK
    assert 'class="error-summary"' in response.content.decode()


def test_cancel_following_permissions(client, room, borrower, borrower_member):
    values = common(room, borrower, borrower_member)
    booked = series.series_book(**values, dates={date(2027, 3, 15), date(2027, 3, 22)})
    booking = booked.occurrences.first().booking
    url = reverse("pooling_calendars:series_cancel_following", args=[booking.pk])
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND
    single = BookingFactory(
        resource=room,
        organisation=borrower,
        booked_by=borrower_member,
        start=paris(2027, 5, 3, 9),
        end=paris(2027, 5, 3, 10),
    )
    client.force_login(borrower_member)
    response = client.post(
        reverse("pooling_calendars:series_cancel_following", args=[single.pk]),
        follow=True,
    )
    assert "série" in response.content.decode()
    assert Booking.objects.get(pk=single.pk).status == Booking.Status.CONFIRMED


def test_preview_checks_quotas_cumulatively_across_the_series(
    room, borrower, borrower_member
):
    """5 h a month, 2 h already booked in March: of four 2 h Mondays in March only
    the first fits (2 + 2 = 4; a second would make 6). The preview says so date by
    date, booking exactly the dates it called free succeeds, and April's date fits
    in April's own quota."""
    from decimal import Decimal

    from pooling.ledger.models import Quota

    Quota.objects.create(
        organisation=borrower, resource=room, hours_per_month=Decimal(5)
    )
    BookingFactory(
        resource=room, organisation=borrower,
        start=paris(2027, 3, 3, 9), end=paris(2027, 3, 3, 11),
    )  # fmt: skip
    values = common(room, borrower, borrower_member)
    checks = series.series_preview(**values)

    assert [c.day for c in checks] == [
        date(2027, 3, 15),
        date(2027, 3, 22),
        date(2027, 3, 29),
        date(2027, 4, 5),
        date(2027, 4, 12),
    ]
    assert [c.free for c in checks] == [True, False, False, True, True]
    message = " ".join(checks[1].problems)
    assert "2" in message and "quota" in message.lower()
    assert "série" in message or "series" in message  # the earlier dates count
    # Date by date (the old preview) every March date looked free: 2 + 2 ≤ 5.
    free = {c.day for c in checks if c.free}
    booked = series.series_book(**values, dates=free)
    assert booked.occurrences.count() == 3
    # And one more March date would indeed be refused by the booking itself.
    with pytest.raises(ValidationError):
        series.series_book(**values, dates={date(2027, 3, 22)})
