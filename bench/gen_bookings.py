"""Pooling at scale for the benchmarks: shared resources, bookings over three years,
and the ledger lines the statements read.

Called by bench/generate.py once the structures and the bench user exist:

    large: 200 resources owned by 50 structures, 300,000 bookings
    small: a tenth (20 resources, 5 structures, 30,000 bookings)

Bookings run from two years ago to one year ahead, in local (Europe/Paris) opening
hours. Every resource's bookings are drawn from a grid of two-hour slots without
repetition, so a single-unit resource never holds two overlapping active bookings (the
PostgreSQL exclusion constraint accepts them); a pooled-quantity resource gets two such
tracks of one or two units each, never more than it holds. Past confirmed bookings by
another structure than the owner are charged in the ledger at their frozen price, as
pooling.ledger.services would have; months older than the last two are closed.

The rows are written with bulk_create in chunks (this module is not the demo: no rule
is bypassed for a person, the data only has to be what the services would have left).
The bench user becomes a référent of the first structure, which owns resources, so
the approval queue and the statement have something to show.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

SIZES = {
    "large": {"resources": 200, "structures": 50, "bookings": 300_000},
    "small": {"resources": 20, "structures": 5, "bookings": 30_000},
}
DAYS_BACK, DAYS_AHEAD = 730, 365
SLOT_STARTS = (8, 10, 12, 14, 16, 18)  # two-hour slots, 08:00–20:00 local
CHUNK = 5_000
BENCH_USER = "bench@bench.ptce.fr"
ROOM_WORDS = (
    "Vélo",
    "Rosa-Parks",
    "Jardin",
    "Atelier",
    "Forum",
    "Écluse",
    "Canal",
    "Verrière",
    "Réemploi",
    "Tiers-lieu",
)
PURPOSES = (
    "Conseil d’administration",
    "Formation des bénévoles",
    "Réunion d’équipe",
    "Atelier tout public",
    "Assemblée générale",
    "Permanence d’accueil",
)


def generate(size: str) -> None:
    from django.db import transaction
    from django.utils import timezone

    from members.models import Membership, Organisation, User

    spec = SIZES[size]
    rng = random.Random(2026)
    structures = list(
        Organisation.objects.filter(slug__startswith="bench-structure-").order_by(
            "slug"
        )[: spec["structures"]]
    )
    if len(structures) < spec["structures"]:
        raise SystemExit("Run bench/generate.py first: it creates the structures.")
    bench_user = User.objects.get(email=BENCH_USER)
    # The bench user decides for the first structure (approval queue, statement).
    Membership.objects.filter(user=bench_user, organisation=structures[0]).update(
        role=Membership.Role.REFERENT
    )
    people: dict[int, list[int]] = {}
    for user_id, organisation_id in Membership.objects.filter(
        organisation__in=structures
    ).values_list("user_id", "organisation_id"):
        people.setdefault(organisation_id, []).append(user_id)
    with transaction.atomic():
        resources = _resources(structures, spec["resources"], rng)
        _opening_hours(resources)
    today = timezone.localdate()
    now = timezone.now()
    made = 0
    per_resource = spec["bookings"] // len(resources)
    extra = spec["bookings"] - per_resource * len(resources)
    pending: list = []
    for index, resource in enumerate(resources):
        count = per_resource + (1 if index < extra else 0)
        pending += _bookings(
            resource,
            count,
            structures=structures,
            people=people,
            bench_user=bench_user,
            today=today,
            now=now,
            rng=rng,
        )
        if len(pending) >= CHUNK:
            made += _flush(pending, now)
            pending = []
    made += _flush(pending, now)
    _close_old_months(today)
    print(
        f"Pooling: {len(resources)} resources of {len(structures)} structures, "
        f"{made} bookings, {_lines_count()} ledger lines."
    )


def _resources(structures, count: int, rng: random.Random) -> list:
    from resources.models import Resource

    kinds = [Resource.Kind.PREMISES] * 6 + [Resource.Kind.EQUIPMENT] * 3
    kinds += [Resource.Kind.STAFF]
    regimes = [choice for choice, _label in Resource.VatRegime.choices]
    rows = []
    for n in range(count):
        kind = rng.choice(kinds)
        priced = rng.random() < 0.6
        regime = rng.choice(regimes)
        quantity = 1
        if kind == Resource.Kind.EQUIPMENT and rng.random() < 0.6:
            quantity = rng.choice((4, 5, 8, 10))
        name = {
            Resource.Kind.PREMISES: f"Salle {rng.choice(ROOM_WORDS)} {n:03d}",
            Resource.Kind.EQUIPMENT: (
                f"Vidéoprojecteurs {n:03d}" if quantity > 1 else f"Camionnette {n:03d}"
            ),
            Resource.Kind.STAFF: f"Heures de comptabilité {n:03d}",
        }[kind]
        rows.append(
            Resource(
                owner=structures[n % len(structures)],
                kind=kind,
                name=name,
                summary="Ressource mutualisée générée pour les mesures.",
                description="Salle lumineuse, accès tramway, café à disposition.",
                quantity=quantity,
                capacity=rng.choice((6, 8, 12, 20, 40, 60))
                if kind == Resource.Kind.PREMISES
                else None,
                wheelchair_accessible=rng.random() < 0.5,
                equipment_present="Écran, paperboard, wifi"
                if kind == Resource.Kind.PREMISES
                else "",
                staff_role="Assistante de gestion"
                if kind == Resource.Kind.STAFF
                else "",
                granularity=Resource.Granularity.HOUR,
                min_duration=60,
                max_duration=480,
                horizon_days=400,
                approval_required=rng.random() < 0.7,
                price_unit=Resource.PriceUnit.HOUR
                if priced
                else Resource.PriceUnit.FREE,
                price_amount=Decimal(rng.choice(("8.00", "12.00", "15.50", "27.50")))
                if priced
                else Decimal("0.00"),
                vat_regime=regime,
                vat_rate=Decimal("20.00")
                if regime == Resource.VatRegime.TAXABLE
                else Decimal("0.00"),
            )
        )
    for row in rows:
        row.search_text = row.fold_text()  # what save() would have folded
    return Resource.objects.bulk_create(rows)


def _opening_hours(resources) -> None:
    from resources.models import OpeningPeriod

    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(resource=r, weekday=day, opens=time(8), closes=time(20))
        for r in resources
        for day in range(6)
    )


def _instant(day: date, hour: int) -> datetime:
    from pooling.recurrence import PARIS

    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


def _bookings(resource, count, *, structures, people, bench_user, today, now, rng):
    from pooling.models import Booking

    tracks = 2 if resource.quantity > 1 else 1
    first = today - timedelta(days=DAYS_BACK)
    slots = [
        (track, first + timedelta(days=offset), hour)
        for offset in range(DAYS_BACK + DAYS_AHEAD)
        if (first + timedelta(days=offset)).weekday() < 6
        for hour in SLOT_STARTS
        for track in range(tracks)
    ]
    chosen = rng.sample(slots, min(count, len(slots)))
    bookings = []
    for _track, day, hour in chosen:
        hours = rng.choice((1, 2, 2))
        start = _instant(day, hour + (1 if hours == 1 and rng.random() < 0.5 else 0))
        end = start + timedelta(hours=hours)
        organisation = rng.choice(structures)
        booked_by = rng.choice(people.get(organisation.pk) or [bench_user.pk])
        if rng.random() < 0.01:
            organisation, booked_by = structures[0], bench_user.pk
        past = end <= now
        roll = rng.random()
        if past:
            status = (
                Booking.Status.CONFIRMED
                if roll < 0.85
                else Booking.Status.CANCELLED
                if roll < 0.93
                else Booking.Status.DECLINED
                if roll < 0.97
                else Booking.Status.EXPIRED
            )
        else:
            status = (
                Booking.Status.CONFIRMED
                if roll < 0.7
                else Booking.Status.PENDING
                if roll < 0.85
                else Booking.Status.CANCELLED
            )
        created = start - timedelta(days=rng.randint(3, 40))
        booking = Booking(
            resource=resource,
            organisation=organisation,
            booked_by_id=booked_by,
            start=start,
            end=end,
            blocked_start=start,
            blocked_end=end,
            exclusive=resource.quantity == 1,
            quantity=rng.randint(1, 2) if resource.quantity > 1 else 1,
            purpose=rng.choice(PURPOSES),
            attendees=rng.randint(2, resource.capacity) if resource.capacity else None,
            status=status,
            created_at=min(created, now),
        )
        if status != Booking.Status.PENDING:
            booking.decided_at = min(created + timedelta(hours=5), now)
        if status == Booking.Status.CANCELLED:
            booking.cancelled_at = min(created + timedelta(days=1), now)
            booking.cancel_reason = "Réunion reportée."
        bookings.append(booking)
    return bookings


def _flush(bookings, now) -> int:
    from django.db import transaction

    from pooling.ledger.models import LedgerLine
    from pooling.ledger.periods import month_of
    from pooling.models import Booking
    from pooling.pricing import quote

    if not bookings:
        return 0
    for booking in bookings:
        if booking.status in (Booking.Status.CONFIRMED, Booking.Status.CANCELLED):
            price = quote(
                booking.resource, booking.start, booking.end, booking.quantity
            )
            booking.priced_at = booking.decided_at
            booking.price_unit = price.price_unit
            booking.unit_price = price.unit_price
            booking.price_units = price.units
            booking.amount_excl_vat = price.amount_excl_vat
            booking.vat_regime = price.vat_regime
            booking.vat_rate = price.vat_rate
            booking.vat_amount = price.vat_amount
    with transaction.atomic():
        Booking.objects.bulk_create(bookings, batch_size=1_000)
        LedgerLine.objects.bulk_create(
            (
                LedgerLine(
                    booking=booking,
                    kind=LedgerLine.Kind.CHARGE,
                    period=month_of(booking.start),
                    service_month=month_of(booking.start),
                    user_id=booking.organisation_id,
                    provider_id=booking.resource.owner_id,
                    resource=booking.resource,
                    label=booking.resource.name,
                    resource_kind=booking.resource.kind,
                    start=booking.start,
                    end=booking.end,
                    quantity=booking.quantity,
                    price_unit=booking.price_unit,
                    unit_price=booking.unit_price,
                    units=booking.price_units,
                    amount_excl_vat=booking.amount_excl_vat,
                    vat_regime=booking.vat_regime,
                    vat_rate=booking.vat_rate,
                    vat_amount=booking.vat_amount,
                    free_cancellation_until=booking.start - timedelta(hours=48),
                    created_by_id=booking.booked_by_id,
                    created_at=booking.decided_at,
                )
                for booking in bookings
                if booking.status == Booking.Status.CONFIRMED
                and booking.end <= now
                and booking.organisation_id != booking.resource.owner_id
            ),
            batch_size=1_000,
        )
    return len(bookings)


def _close_old_months(today: date) -> None:
    from pooling.ledger.models import ClosedMonth, LedgerLine
    from pooling.ledger.periods import previous_month

    last_open = previous_month(previous_month(date(today.year, today.month, 1)))
    months = (
        LedgerLine.objects.filter(period__lt=last_open)
        .values_list("period", flat=True)
        .distinct()
    )
    ClosedMonth.objects.bulk_create(
        (ClosedMonth(period=period) for period in sorted(set(months))),
        ignore_conflicts=True,
    )


def _lines_count() -> int:
    from pooling.ledger.models import LedgerLine

    return LedgerLine.objects.count()
