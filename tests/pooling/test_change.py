"""Changing a booking: one service that re-runs every rule of a request, all or
nothing, re-freezes the price, keeps the ledger right, notifies the other side and
records before/after in the history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import Notification
from pooling import services
from pooling.calendars import series as series_services
from pooling.ledger import services as ledger_services
from pooling.ledger.models import LedgerLine, Quota
from pooling.ledger.selectors import structure_statement
from pooling.models import Booking
from pooling.recurrence import Frequency, Recurrence
from ptce.models import AuditEvent
from resources.models import Closure, Resource, ResourceManager
from tests.factories import MembershipFactory, OrganisationFactory
from tests.pooling.conftest import NOW, paris
from tests.pooling.factories import BookingFactory, ResourceFactory, open_every_day

pytestmark = pytest.mark.django_db

TUESDAY = (paris(2027, 3, 2, 10), paris(2027, 3, 2, 12))


@pytest.fixture
def hall(owner):
    """Priced by the hour, confirmed at once (no approval)."""
    resource = ResourceFactory(
        owner=owner,
        name="Grande salle",
        approval_required=False,
        price_unit=Resource.PriceUnit.HOUR,
        price_amount=Decimal("20.00"),
        vat_regime=Resource.VatRegime.EXEMPT,
        cancellation_notice_hours=0,
    )
    open_every_day(resource)
    return resource


def _request(resource, organisation, by, start, end, **kwargs):
    return services.booking_request(
        resource=resource, organisation=organisation, by=by, start=start, end=end,
        now=NOW, **kwargs,
    )  # fmt: skip


def _change(booking, by, start, end, **kwargs):
    kwargs.setdefault("quantity", booking.quantity)
    kwargs.setdefault("purpose", booking.purpose)
    kwargs.setdefault("attendees", booking.attendees)
    return services.booking_change(
        booking=booking, by=by, start=start, end=end, now=NOW, **kwargs
    )


def _lines(booking):
    return list(
        LedgerLine.objects.filter(booking=booking)
        .order_by("pk")
        .values_list("kind", "revision", "amount_excl_vat")
    )


# --- Price, ledger, history, notification ------------------------------------------
def test_change_refreezes_the_price_and_replaces_the_charge(
    hall, borrower, borrower_member, owner_referent
):
    booking = _request(hall, borrower, borrower_member, *TUESDAY)
    assert booking.amount_excl_vat == Decimal("40.00")
    Resource.objects.filter(pk=hall.pk).update(price_amount=Decimal("30.00"))

    changed = _change(
        booking,
        borrower_member,
        paris(2027, 3, 2, 14),
        paris(2027, 3, 2, 17),
        purpose="Formation",
        reason="Le formateur arrive plus tard",
    )

    assert changed.status == Booking.Status.CONFIRMED
    # Re-frozen now, at today's rate: 3 h × 30 €.
    assert changed.amount_excl_vat == Decimal("90.00")
    assert changed.priced_at == NOW
    assert _lines(changed) == [
        ("charge", 0, Decimal("40.00")),
        ("replaced", 0, Decimal("-40.00")),
        ("charge", 1, Decimal("90.00")),
    ]
    statement = structure_statement(organisation=borrower, period=date(2027, 3, 1))
    assert statement.used_totals.excl_vat == Decimal("90.00")
    event = AuditEvent.objects.get(action="pooling.booking.change")
    assert (event.actor, event.before, event.after) == (
        borrower_member,
        "confirmed",
        "confirmed",
    )
    assert event.reason == "Le formateur arrive plus tard"
    assert datetime.fromisoformat(event.data["before"]["start"]) == TUESDAY[0]
    assert event.data["after"]["purpose"] == "Formation"
    note = Notification.objects.get(kind="pooling.booking_changed")
    assert note.recipient == owner_referent


def test_purpose_only_change_keeps_price_and_ledger(hall, borrower, borrower_member):
    booking = _request(hall, borrower, borrower_member, *TUESDAY)
    Resource.objects.filter(pk=hall.pk).update(price_amount=Decimal("99.00"))
    changed = _change(booking, borrower_member, *TUESDAY, purpose="AG")
    assert changed.purpose == "AG"
    assert changed.amount_excl_vat == Decimal("40.00")
    assert _lines(changed) == [("charge", 0, Decimal("40.00"))]


def test_change_by_the_borrower_goes_back_to_approval_then_is_charged_again(
    room, borrower, borrower_member, owner_referent
):
    Resource.objects.filter(pk=room.pk).update(
        price_unit=Resource.PriceUnit.HOUR, price_amount=Decimal("10.00")
    )
    room.refresh_from_db()
    booking = _request(room, borrower, borrower_member, *TUESDAY)
    booking = services.booking_decide(
        booking=booking, by=owner_referent, approve=True, now=NOW
    )
    assert _lines(booking) == [("charge", 0, Decimal("20.00"))]

    changed = _change(booking, borrower_member, paris(2027, 3, 3, 9), TUESDAY[1]
                      + timedelta(days=1))  # fmt: skip

    assert changed.status == Booking.Status.PENDING
    assert changed.amount_excl_vat is None and changed.decided_at is None
    assert _lines(changed) == [
        ("charge", 0, Decimal("20.00")),
        ("replaced", 0, Decimal("-20.00")),
    ]
    note = Notification.objects.get(kind="pooling.booking_changed")
    assert note.recipient == owner_referent
    assert Booking.objects.filter(pk=changed.pk, status="pending").exists()

    Resource.objects.filter(pk=room.pk).update(price_amount=Decimal("12.00"))
    approved = services.booking_decide(
        booking=changed, by=owner_referent, approve=True, now=NOW
    )
    assert approved.amount_excl_vat == Decimal("36.00")  # 3 h at the new rate
    assert _lines(approved)[-1] == ("charge", 1, Decimal("36.00"))


def _confirmed_a_week_ago(room, borrower, by, approver):
    """A room needing approval and 48 h of notice, booked and approved a week
    before NOW (Monday 8:00) for Tuesday 10:00: now inside the notice period."""
    Resource.objects.filter(pk=room.pk).update(
        min_notice=48, price_unit=Resource.PriceUnit.HOUR, price_amount=Decimal("10")
    )
    room.refresh_from_db()
    earlier = NOW - timedelta(days=7)
    booking = services.booking_request(
        resource=room, organisation=borrower, by=by, start=TUESDAY[0],
        end=TUESDAY[1], now=earlier, purpose="Bureau", attendees=8,
    )  # fmt: skip
    return services.booking_decide(
        booking=booking, by=approver, approve=True, now=earlier
    )


def test_purpose_or_people_change_by_the_booker_keeps_it_confirmed(
    room, borrower, borrower_member, owner_referent
):
    """The slot was granted: a new purpose or number of people neither sends it back
    to the owner's approval nor meets the notice period again."""
    booking = _confirmed_a_week_ago(room, borrower, borrower_member, owner_referent)
    lines = _lines(booking)

    changed = _change(booking, borrower_member, *TUESDAY, purpose="AG", attendees=15)

    changed.refresh_from_db()
    assert changed.status == Booking.Status.CONFIRMED
    assert (changed.purpose, changed.attendees) == ("AG", 15)
    assert changed.decided_by == owner_referent
    assert changed.amount_excl_vat == Decimal("20.00")
    assert _lines(changed) == lines
    note = Notification.objects.get(kind="pooling.booking_changed")
    assert note.recipient == owner_referent
    assert "validation" not in note.text and "approval" not in note.text


def test_people_change_still_checks_the_capacity(
    room, borrower, borrower_member, owner_referent
):
    booking = _confirmed_a_week_ago(room, borrower, borrower_member, owner_referent)
    with pytest.raises(ValidationError, match="20"):
        _change(booking, borrower_member, *TUESDAY, attendees=21)
    booking.refresh_from_db()
    assert booking.attendees == 8 and booking.change_count == 0


@pytest.mark.parametrize(
    "times",
    [
        {"start": paris(2027, 3, 2, 9), "end": TUESDAY[1]},
        {"quantity": 2},
    ],
    ids=["times", "quantity"],
)
def test_times_or_quantity_change_meets_the_notice_again(
    room, borrower, borrower_member, owner_referent, times
):
    booking = _confirmed_a_week_ago(room, borrower, borrower_member, owner_referent)
    start, end = times.get("start", TUESDAY[0]), times.get("end", TUESDAY[1])
    with pytest.raises(ValidationError) as refused:
        _change(booking, borrower_member, start, end,
                quantity=times.get("quantity", 1))  # fmt: skip
    text = " ".join(refused.value.messages)
    if "quantity" in times:
        assert "1" in text  # a single room: between 1 and 1 unit
    else:
        assert "trop tard" in text.lower() or "too late" in text.lower()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert (booking.start, booking.end, booking.quantity) == (*TUESDAY, 1)


def test_times_change_by_the_booker_still_goes_back_to_approval(
    room, borrower, borrower_member, owner_referent
):
    Resource.objects.filter(pk=room.pk).update(min_notice=0)
    room.refresh_from_db()
    booking = _request(room, borrower, borrower_member, *TUESDAY, attendees=8)
    services.booking_decide(booking=booking, by=owner_referent, approve=True, now=NOW)
    changed = _change(booking, borrower_member, paris(2027, 3, 2, 14),
                      paris(2027, 3, 2, 16), attendees=8)  # fmt: skip
    assert changed.status == Booking.Status.PENDING


def test_change_by_an_approver_keeps_the_booking_confirmed(
    room, borrower, borrower_member, owner_referent
):
    booking = _request(room, borrower, borrower_member, *TUESDAY)
    services.booking_decide(booking=booking, by=owner_referent, approve=True, now=NOW)
    changed = _change(booking, owner_referent, paris(2027, 3, 2, 9), TUESDAY[1])
    assert changed.status == Booking.Status.CONFIRMED
    # The booker's side hears of it, the approver does not notify themselves.
    note = Notification.objects.get(kind="pooling.booking_changed")
    assert note.recipient == borrower_member


def test_change_withdrawal_of_a_closed_month_goes_to_the_next_open_month(
    hall, borrower, borrower_member, coordinator
):
    """The booking's month is closed (a clock in the past makes it possible): the
    withdrawn charge lands in the first open month, the closed one never changes."""
    start, end = paris(2026, 2, 10, 10), paris(2026, 2, 10, 12)
    then = paris(2026, 1, 5, 8)
    booking = services.booking_request(
        resource=hall, organisation=borrower, by=borrower_member,
        start=start, end=end, now=then,
    )  # fmt: skip
    ledger_services.month_close(period=date(2026, 2, 1), by=coordinator)
    closed_before = structure_statement(organisation=borrower, period=date(2026, 2, 1))
    services.booking_change(
        booking=booking, by=borrower_member, start=start, end=end + timedelta(hours=1),
        quantity=1, now=then,
    )  # fmt: skip
    replaced = LedgerLine.objects.get(kind="replaced")
    charge = LedgerLine.objects.get(kind="charge", revision=1)
    assert replaced.period == date(2026, 3, 1) and replaced.is_adjustment
    assert charge.period == date(2026, 3, 1) and charge.amount_excl_vat == 60
    closed_after = structure_statement(organisation=borrower, period=date(2026, 2, 1))
    assert closed_after.used_totals == closed_before.used_totals
    march = structure_statement(organisation=borrower, period=date(2026, 3, 1))
    assert march.used_totals.excl_vat == Decimal("20.00")  # 60 − 40


def test_cancelling_after_a_change_reverses_the_charge_in_force(
    hall, borrower, borrower_member
):
    booking = _request(hall, borrower, borrower_member, *TUESDAY)
    changed = _change(booking, borrower_member, TUESDAY[0], paris(2027, 3, 2, 13))
    services.booking_cancel(booking=changed, by=borrower_member, now=NOW)
    assert _lines(changed)[-1] == ("reversal", 1, Decimal("-60.00"))
    assert sum(amount for _k, _r, amount in _lines(changed)) == 0


# --- Every rule of a request, against the others only ------------------------------
def test_change_may_overlap_its_own_old_times(room, borrower, borrower_member):
    booking = _request(room, borrower, borrower_member, *TUESDAY)
    changed = _change(
        booking, borrower_member, paris(2027, 3, 2, 11), paris(2027, 3, 2, 13)
    )
    assert (changed.start, changed.end) == (
        paris(2027, 3, 2, 11),
        paris(2027, 3, 2, 13),
    )
    assert changed.blocked_start == paris(2027, 3, 2, 11)


@pytest.mark.parametrize(
    ("start", "end", "quantity", "fragment"),
    [
        (paris(2027, 3, 2, 14), paris(2027, 3, 2, 16), 1, "déjà réservé"),
        (paris(2027, 3, 2, 19), paris(2027, 3, 2, 21), 1, "fermé"),
        (paris(2027, 3, 2, 10, 5), paris(2027, 3, 2, 12), 1, "par tranches"),
        (paris(2027, 3, 1, 8, 30), paris(2027, 3, 1, 9, 30), 1, "Trop tard"),
        (paris(2029, 3, 2, 10), paris(2029, 3, 2, 12), 1, "Trop loin"),
        (paris(2027, 3, 2, 10), paris(2027, 3, 2, 10, 15), 1, "Trop court"),
        (paris(2027, 3, 4, 10), paris(2027, 3, 4, 12), 1, "Travaux"),
        (paris(2027, 3, 2, 10), paris(2027, 3, 2, 12), 2, "entre 1 et 1"),
        (paris(2027, 3, 2, 12), paris(2027, 3, 2, 10), 1, "après le début"),
    ],
)
def test_a_refused_change_writes_nothing(
    room, borrower, borrower_member, owner, start, end, quantity, fragment
):
    Resource.objects.filter(pk=room.pk).update(min_notice=2, buffer_after=30)
    room.refresh_from_db()
    Closure.objects.create(
        resource=room, start=paris(2027, 3, 4, 0), end=paris(2027, 3, 5, 0),
        reason="Travaux",
    )  # fmt: skip
    other = OrganisationFactory()
    BookingFactory(
        resource=room, organisation=other,
        start=paris(2027, 3, 2, 15), end=paris(2027, 3, 2, 16),
    )  # fmt: skip
    booking = _request(room, borrower, borrower_member, *TUESDAY)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught, translation_fr():
        _change(booking, borrower_member, start, end, quantity=quantity)
        pytest.fail("the change was accepted")

    assert fragment.lower() in " ".join(caught.value.messages).lower()
    fresh = Booking.objects.get(pk=booking.pk)
    assert (fresh.start, fresh.end, fresh.quantity, fresh.status) == (
        *TUESDAY,
        1,
        booking.status,
    )
    assert AuditEvent.objects.count() == events
    assert not Notification.objects.filter(kind="pooling.booking_changed").exists()


def translation_fr():
    from django.utils import translation

    return translation.override("fr")


def test_quota_counts_the_booking_at_its_new_times_only(
    projectors, borrower, borrower_member, coordinator
):
    Quota.objects.create(
        organisation=borrower, resource=projectors, hours_per_month=Decimal(3)
    )
    booking = _request(projectors, borrower, borrower_member, *TUESDAY)  # 2 h
    # 3 h in all: fine, its own 2 h are not counted twice.
    changed = _change(
        booking, borrower_member, paris(2027, 3, 9, 9), paris(2027, 3, 9, 12)
    )
    assert changed.start == paris(2027, 3, 9, 9)
    with pytest.raises(ValidationError, match="(?i)quota"):
        _change(changed, borrower_member, *TUESDAY, quantity=2)  # 4 unit-hours


def test_quantity_change_checks_the_peak(projectors, borrower, borrower_member):
    other = OrganisationFactory()
    BookingFactory(
        resource=projectors, organisation=other, quantity=3,
        start=TUESDAY[0], end=TUESDAY[1],
    )  # fmt: skip
    booking = _request(projectors, borrower, borrower_member, *TUESDAY, quantity=1)
    assert _change(booking, borrower_member, *TUESDAY, quantity=2).quantity == 2
    with pytest.raises(ValidationError, match="2 of 5|2 sur 5"):
        _change(booking, borrower_member, *TUESDAY, quantity=3)


def test_nothing_to_change_is_refused(room, borrower, borrower_member):
    booking = _request(room, borrower, borrower_member, *TUESDAY)
    with pytest.raises(ValidationError):
        _change(booking, borrower_member, *TUESDAY)


# --- Who, and when -----------------------------------------------------------------
def test_who_may_change(room, owner, borrower, borrower_member, coordinator):
    booking = _request(room, borrower, borrower_member, *TUESDAY)
    manager = MembershipFactory(organisation=owner).user
    ResourceManager.objects.create(resource=room, user=manager)
    colleague = MembershipFactory(organisation=borrower).user
    outsider = MembershipFactory(organisation=OrganisationFactory()).user
    for person in (colleague, outsider, MembershipFactory(organisation=owner).user):
        with pytest.raises(PermissionDenied):
            _change(booking, person, TUESDAY[0], paris(2027, 3, 2, 13))
    hour = 13
    for person in (borrower_member, manager, coordinator):
        hour += 1
        booking = _change(booking, person, TUESDAY[0], paris(2027, 3, 2, hour))
        assert booking.end == paris(2027, 3, 2, hour)


def test_a_started_or_cancelled_booking_cannot_change(room, borrower, borrower_member):
    booking = _request(room, borrower, borrower_member, *TUESDAY)
    with pytest.raises(ValidationError, match="begun|commencé"):
        services.booking_change(
            booking=booking, by=borrower_member, start=TUESDAY[0],
            end=paris(2027, 3, 2, 13), quantity=1, now=paris(2027, 3, 2, 10, 30),
        )  # fmt: skip
    services.booking_cancel(booking=booking, by=borrower_member, now=NOW)
    with pytest.raises(ValidationError):
        _change(booking, borrower_member, TUESDAY[0], paris(2027, 3, 2, 13))


def test_one_occurrence_of_a_series_changes_alone(
    projectors, borrower, borrower_member
):
    from datetime import time

    rule = Recurrence(frequency=Frequency.WEEKLY, weekdays=(1,), count=3)
    series = series_services.series_book(
        resource=projectors, organisation=borrower, by=borrower_member,
        recurrence=rule, first_date=date(2027, 3, 2), start_time=time(10),
        duration=timedelta(hours=2),
        dates={date(2027, 3, 2), date(2027, 3, 9), date(2027, 3, 16)}, now=NOW,
    )  # fmt: skip
    second = series.occurrences.order_by("local_date")[1].booking
    _change(second, borrower_member, paris(2027, 3, 10, 14), paris(2027, 3, 10, 16))
    starts = [o.booking.start for o in series.occurrences.order_by("local_date")]
    assert starts == [
        paris(2027, 3, 2, 10),
        paris(2027, 3, 10, 14),
        paris(2027, 3, 16, 10),
    ]
    assert series.occurrences.count() == 3


# --- The change form on the booking page --------------------------------------------
def _upcoming(room, borrower, borrower_member):
    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=3)
    start = paris(day.year, day.month, day.day, 10)
    return (
        BookingFactory(
            resource=room, organisation=borrower, booked_by=borrower_member,
            start=start, end=start + timedelta(hours=1),
        ),
        day,
    )  # fmt: skip


def _form(day, start="14:00", end="15:30", **extra):
    return {
        "modif-date": day.isoformat(),
        "modif-start_time": start,
        "modif-end_time": end,
        "modif-quantity": 1,
        "modif-attendees": 8,
        "modif-purpose": "Atelier",
        "modif-reason": "Salle plus tard",
        **extra,
    }


def test_change_form_on_the_booking_page(
    client, room, borrower, borrower_member, owner_referent, on_commit,
    django_assert_max_num_queries,
):  # fmt: skip
    booking, day = _upcoming(room, borrower, borrower_member)
    client.force_login(borrower_member)
    with django_assert_max_num_queries(20):
        page = client.get(booking.get_absolute_url())
    html = page.content.decode()
    assert "Modifier cette réservation" in html
    assert 'name="modif-start_time"' in html and 'value="10:00"' in html

    with on_commit():
        response = client.post(
            reverse("pooling:booking_change", args=[booking.pk]), _form(day)
        )
    assert response.status_code == HTTPStatus.FOUND
    booking.refresh_from_db()
    assert (booking.start, booking.end) == (
        paris(day.year, day.month, day.day, 14),
        paris(day.year, day.month, day.day, 15, 30),
    )
    assert booking.status == Booking.Status.PENDING  # back to the owner's approval
    assert (booking.attendees, booking.purpose) == (8, "Atelier")
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "Salle plus tard" in page and "modifiée" in page.lower()
    assert Notification.objects.filter(
        recipient=owner_referent, kind="pooling.booking_changed"
    ).exists()


def test_refused_change_shows_why_and_changes_nothing(
    client, room, borrower, borrower_member
):
    booking, day = _upcoming(room, borrower, borrower_member)
    client.force_login(borrower_member)
    response = client.post(
        reverse("pooling:booking_change", args=[booking.pk]),
        _form(day, start="19:00", end="21:00"),
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "Cette modification n’est pas possible" in html or "fermé" in html
    assert "Rien n’a été modifié" in html or "fermé" in html
    booking.refresh_from_db()
    assert booking.start.astimezone(paris(2027, 1, 1).tzinfo).hour == 10
    response = client.post(
        reverse("pooling:booking_change", args=[booking.pk]),
        _form(day, **{"modif-quantity": -1, "modif-attendees": 10**9}),
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_others_cannot_change_or_even_see_the_form(
    client, room, borrower, borrower_member
):
    booking, day = _upcoming(room, borrower, borrower_member)
    outsider = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(outsider)
    response = client.post(
        reverse("pooling:booking_change", args=[booking.pk]), _form(day)
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    colleague = MembershipFactory(organisation=borrower).user
    client.force_login(colleague)
    assert "modif-date" not in client.get(booking.get_absolute_url()).content.decode()
    response = client.post(
        reverse("pooling:booking_change", args=[booking.pk]), _form(day)
    )
    assert response.status_code == HTTPStatus.FOUND
    booking.refresh_from_db()
    assert booking.purpose == "Réunion"


def test_calendar_feeds_carry_the_new_times_with_a_higher_sequence(
    hall, borrower, borrower_member
):
    from pooling.calendars.selectors import feed_events

    booking = _request(hall, borrower, borrower_member, *TUESDAY)
    before = feed_events([booking], visible=lambda b: True)[0]
    changed = _change(
        booking, borrower_member, *(t + timedelta(hours=3) for t in TUESDAY)
    )
    after = feed_events([changed], visible=lambda b: True)[0]
    assert after.uid == before.uid
    assert after.sequence > before.sequence
    assert after.start == paris(2027, 3, 2, 13) and after.stamp == NOW


def test_after_the_free_cancellation_deadline_a_change_cannot_lower_the_charge(
    hall, borrower, borrower_member, owner_referent
):
    """48 h of free cancellation: on Monday 8:00 a Tuesday 10:00 booking is past its
    deadline. Shortening it would be a cancellation that escapes its charge."""
    Resource.objects.filter(pk=hall.pk).update(cancellation_notice_hours=48)
    hall.refresh_from_db()
    booking = _request(hall, borrower, borrower_member, *TUESDAY)  # 40 €
    with pytest.raises(ValidationError, match="(?i)too late|trop tard"):
        _change(booking, borrower_member, TUESDAY[0], paris(2027, 3, 2, 11))
    assert _lines(booking) == [("charge", 0, Decimal("40.00"))]
    # Moving or lengthening is still possible…
    longer = _change(booking, borrower_member, TUESDAY[0], paris(2027, 3, 2, 13))
    assert longer.amount_excl_vat == Decimal("60.00")
    # …and the owner's approvers may waive their fee.
    shorter = _change(longer, owner_referent, TUESDAY[0], paris(2027, 3, 2, 11))
    assert shorter.amount_excl_vat == Decimal("20.00")
