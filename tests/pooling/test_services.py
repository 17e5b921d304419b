from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Notification
from pooling import services
from pooling.models import Booking
from ptce.selectors import audit_for_target
from resources import services as resource_services
from resources.models import Resource
from tests.pooling.conftest import NOW, paris
from tests.pooling.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(room, borrower, borrower_member):
    return services.booking_request(
        resource=room, organisation=borrower, by=borrower_member,
        start=paris(2027, 3, 2, 10), end=paris(2027, 3, 2, 11), now=NOW,
    )  # fmt: skip


def test_approve_freezes_price_audits_and_notifies(
    pending, room, owner_referent, borrower_member
):
    Resource.objects.filter(pk=room.pk).update(
        price_unit=Resource.PriceUnit.HALF_DAY, price_amount=Decimal("40.00"),
        vat_regime=Resource.VatRegime.EXEMPT,
    )  # fmt: skip
    booking = services.booking_decide(
        booking=pending, by=owner_referent, approve=True, now=NOW
    )
    assert booking.status == Booking.Status.CONFIRMED
    assert (booking.amount_excl_vat, booking.vat_amount) == (Decimal("40.00"), 0)
    assert booking.vat_regime == Resource.VatRegime.EXEMPT
    actions = [e.action for e in audit_for_target(booking)]
    assert actions == ["pooling.booking.approve", "pooling.booking.request"]
    assert Notification.objects.filter(
        recipient=borrower_member, kind="pooling.request_decided"
    ).exists()


def test_decline_keeps_the_row_with_its_reason(pending, owner_referent):
    booking = services.booking_decide(
        booking=pending, by=owner_referent, approve=False, reason="Salle en travaux",
        now=NOW,
    )  # fmt: skip
    assert booking.status == Booking.Status.DECLINED
    assert Booking.objects.filter(pk=booking.pk, decision_reason="Salle en travaux")
    event = audit_for_target(booking).first()
    assert (event.before, event.after, event.reason) == (
        "pending",
        "declined",
        "Salle en travaux",
    )


def test_only_approvers_decide_and_only_once(pending, borrower_member, owner_referent):
    with pytest.raises(PermissionDenied):
        services.booking_decide(booking=pending, by=borrower_member, approve=True)
    services.booking_decide(booking=pending, by=owner_referent, approve=True, now=NOW)
    with pytest.raises(ValidationError):
        services.booking_decide(
            booking=pending, by=owner_referent, approve=False, now=NOW
        )


def test_batch_decision_goes_on_after_a_refusal(
    room, borrower, borrower_member, owner_referent, pending
):
    other = services.booking_request(
        resource=room, organisation=borrower, by=borrower_member,
        start=paris(2027, 3, 3, 10), end=paris(2027, 3, 3, 11), now=NOW,
    )  # fmt: skip
    services.booking_decide(booking=pending, by=owner_referent, approve=False, now=NOW)
    result = services.bookings_decide(
        bookings=[pending, other], by=owner_referent, approve=True, now=NOW
    )
    assert [b.pk for b in result.done] == [other.pk]
    assert [b.pk for b, _ in result.refused] == [pending.pk]


def test_expiry_before_start_tells_the_requester(pending, borrower_member):
    assert services.bookings_expire(now=pending.start - timedelta(hours=3)) == 0
    assert services.bookings_expire(now=pending.start - timedelta(minutes=30)) == 1
    pending.refresh_from_db()
    assert pending.status == Booking.Status.EXPIRED
    assert Notification.objects.filter(
        recipient=borrower_member, kind="pooling.request_expired"
    ).exists()
    assert services.bookings_expire(now=pending.start) == 0


def test_reminder_once_the_day_before(room, borrower, borrower_member):
    booking = BookingFactory(
        resource=room, organisation=borrower, booked_by=borrower_member,
        start=paris(2027, 3, 2, 10), end=paris(2027, 3, 2, 11),
    )  # fmt: skip
    assert services.booking_reminders_send(now=paris(2027, 3, 1, 8)) == 0
    assert services.booking_reminders_send(now=paris(2027, 3, 1, 12)) == 1
    assert services.booking_reminders_send(now=paris(2027, 3, 1, 13)) == 0
    booking.refresh_from_db()
    assert booking.reminded_at == paris(2027, 3, 1, 12)


def test_owner_cancelling_notifies_the_booker(
    room, borrower, borrower_member, owner_referent
):
    booking = BookingFactory(
        resource=room, organisation=borrower, booked_by=borrower_member,
        start=paris(2099, 3, 2, 10), end=paris(2099, 3, 2, 11),
    )  # fmt: skip
    services.booking_cancel(booking=booking, by=owner_referent, reason="Dégât des eaux")
    assert Notification.objects.filter(
        recipient=borrower_member, kind="pooling.booking_cancelled"
    ).exists()
    assert not Notification.objects.filter(recipient=owner_referent).exists()
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, by=owner_referent)


def test_lowering_quantity_below_future_peak_is_refused(projectors, owner_referent):
    BookingFactory(
        resource=projectors, quantity=3,
        start=paris(2099, 3, 2, 10), end=paris(2099, 3, 2, 11),
    )  # fmt: skip
    with pytest.raises(ValidationError) as info:
        resource_services.resource_update(
            resource=projectors, by=owner_referent, data={"quantity": 2}
        )
    assert "quantity" in info.value.message_dict
    resource_services.resource_update(
        resource=projectors, by=owner_referent, data={"quantity": 3}
    )
    projectors.refresh_from_db()
    assert projectors.quantity == 3


def test_the_headers_pending_count_is_cached_and_follows_requests_and_decisions(
    client, room, borrower, borrower_member, owner_referent
):
    from django.urls import reverse

    approvals = reverse("pooling:approvals")
    client.force_login(owner_referent)
    assert approvals not in client.get("/membres/mon-espace/").content.decode()
    booking = services.booking_request(
        resource=room, organisation=borrower, by=borrower_member,
        start=paris(2027, 3, 2, 10), end=paris(2027, 3, 2, 11), now=NOW,
    )  # fmt: skip
    page = client.get("/membres/mon-espace/").content.decode()
    assert f'href="{approvals}" class="badge-count"' in page
    services.booking_decide(booking=booking, by=owner_referent, approve=True, now=NOW)
    assert (
        approvals + '" class="badge-count"'
        not in client.get("/membres/mon-espace/").content.decode()
    )


def test_a_person_named_referent_sees_the_pending_count_at_once(
    client, pending, owner, owner_member, owner_referent
):
    from django.urls import reverse

    from members.models import Membership
    from members.services.people import membership_update

    badge = f'href="{reverse("pooling:approvals")}" class="badge-count"'
    client.force_login(owner_member)
    assert badge not in client.get("/membres/mon-espace/").content.decode()
    membership_update(
        membership=Membership.objects.get(user=owner_member, organisation=owner),
        by=owner_referent, role=Membership.Role.REFERENT, show_in_directory=True,
    )  # fmt: skip
    assert badge in client.get("/membres/mon-espace/").content.decode()
