"""Pooling's part of the demo PTCE: shared resources, a few months of bookings, a
weekly series, quotas and closed months.

Everything goes through the services (resources.services, pooling.services, the
series, quota and ledger services); past bookings are made with the `now` they would
have had, so every rule still applies. Idempotent: each part is added only when it is
missing (the resources and their bookings, the series, each quota, each closed month).
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from members.models import Membership
from ptce.demo import DemoContext, register
from resources import services as resource_services
from resources.models import Resource

from . import services
from .availability import local_datetime
from .calendars import series as series_services
from .calendars.models import BookingSeries
from .ledger import periods as months
from .ledger import quota_services
from .ledger import services as ledger_services
from .ledger.models import ClosedMonth, LedgerLine, Quota
from .recurrence import Frequency, Recurrence

WEEKDAYS = range(5)


def _referent(organisation):
    return (
        Membership.objects.filter(
            organisation=organisation, role=Membership.Role.REFERENT
        )
        .select_related("user")
        .first()
        .user
    )


def _people(organisation):
    return [
        m.user
        for m in Membership.objects.filter(organisation=organisation).select_related(
            "user"
        )
    ]


def _hours(
    weekdays=WEEKDAYS, periods=((time(8, 30), time(12, 30)), (time(13, 30), time(18)))
):
    return [(day, opens, closes) for day in weekdays for opens, closes in periods]


RESOURCES = [
    # owner slug, data, opening periods, manager index (in the owner's people) or None
    (
        "recyclerie-du-canal",
        {
            "kind": Resource.Kind.EQUIPMENT,
            "name": "Camionnette 12 m³",
            "summary": "Utilitaire Renault Master, permis B, hayon.",
            "description": "Idéale pour un déménagement de local ou une collecte. "
            "Retour plein fait, clés à l’accueil de la recyclerie.",
            "leaves_premises": True,
            "granularity": Resource.Granularity.HALF_DAY,
            "min_duration": 240,
            "max_duration": 3 * 1440,
            "buffer_after": 30,
            "min_notice": 48,
            "price_unit": Resource.PriceUnit.HALF_DAY,
            "price_amount": Decimal("25.00"),
            "vat_regime": Resource.VatRegime.NOT_LIABLE,
        },
        _hours(periods=((time(8), time(18)),)),
        1,
    ),
    (
        "recyclerie-du-canal",
        {
            "kind": Resource.Kind.EQUIPMENT,
            "name": "Vidéoprojecteurs",
            "summary": "Cinq vidéoprojecteurs Full HD avec câbles HDMI.",
            "quantity": 5,
            "leaves_premises": True,
            "granularity": Resource.Granularity.HOUR,
            "min_duration": 60,
            "approval_required": False,
        },
        _hours(weekdays=range(6), periods=((time(8), time(20)),)),
        None,
    ),
    (
        "recyclerie-du-canal",
        {
            "kind": Resource.Kind.PREMISES,
            "name": "Atelier de réparation",
            "summary": "Atelier de 80 m² avec établis et outillage.",
            "capacity": 12,
            "surface": Decimal("80"),
            "address": "12 rue du Canal, Villeurbanne",
            "floor": "Rez-de-chaussée",
            "wheelchair_accessible": True,
            "equipment_present": "6 établis, outillage à main, aspiration",
            "granularity": Resource.Granularity.HALF_HOUR,
            "min_duration": 120,
            "buffer_after": 30,
            "min_notice": 24,
            "price_unit": Resource.PriceUnit.HOUR,
            "price_amount": Decimal("12.00"),
            "vat_regime": Resource.VatRegime.EXEMPT,
        },
        _hours(),
        None,
    ),
    (
        "cooperative-batir-ensemble",
        {
            "kind": Resource.Kind.PREMISES,
            "name": "Salle de réunion Rosa-Parks",
            "summary": "Salle lumineuse de 20 places, écran et paperboard.",
            "capacity": 20,
            "surface": Decimal("45"),
            "address": "4 avenue Gabriel-Péri, Vaulx-en-Velin",
            "floor": "1er étage (ascenseur)",
            "wheelchair_accessible": True,
            "equipment_present": "Écran, paperboard, wifi",
            "granularity": Resource.Granularity.HALF_HOUR,
            "min_duration": 60,
            "buffer_after": 15,
        },
        _hours(periods=((time(8), time(20)),)),
        1,
    ),
    (
        "menuiserie-duval",
        {
            "kind": Resource.Kind.PREMISES,
            "name": "Salle du conseil",
            "summary": "Petite salle de 8 places à l’étage de l’atelier.",
            "capacity": 8,
            "floor": "1er étage (escalier)",
            "granularity": Resource.Granularity.HOUR,
            "min_duration": 60,
            "approval_required": False,
            "price_unit": Resource.PriceUnit.HOUR,
            "price_amount": Decimal("10.00"),
            "vat_regime": Resource.VatRegime.TAXABLE,
            "vat_rate": Decimal("20.00"),
        },
        _hours(periods=((time(9), time(17)),)),
        None,
    ),
    (
        "jardins-de-la-rize",
        {
            "kind": Resource.Kind.PREMISES,
            "name": "Cuisine pédagogique",
            "summary": "Cuisine équipée pour des ateliers de 10 personnes.",
            "capacity": 10,
            "wheelchair_accessible": True,
            "equipment_present": "Piano de cuisson, four, chambre froide",
            "granularity": Resource.Granularity.HALF_DAY,
            "min_duration": 240,
            "buffer_before": 30,
            "buffer_after": 60,
            "min_notice": 72,
            "price_unit": Resource.PriceUnit.USE,
            "price_amount": Decimal("30.00"),
            "vat_regime": Resource.VatRegime.FRANCHISE,
        },
        _hours(periods=((time(8), time(12)), (time(14), time(18)))),
        1,
    ),
    (
        "menuiserie-duval",
        {
            "kind": Resource.Kind.STAFF,
            "name": "Heures de comptabilité",
            "summary": "Saisie, rapprochements bancaires, préparation du bilan.",
            "staff_role": "Assistante de gestion",
            "staff_skills": "Comptabilité associative, paie, Dolibarr",
            "staff_hours_per_week": Decimal("6"),
            "granularity": Resource.Granularity.HOUR,
            "min_duration": 60,
            "max_duration": 480,
            "min_notice": 72,
            "price_unit": Resource.PriceUnit.HOUR,
            "price_amount": Decimal("27.50"),
            "vat_regime": Resource.VatRegime.NOT_LIABLE,
        },
        _hours(weekdays=(1, 3), periods=((time(9), time(12)), (time(14), time(17)))),
        None,
    ),
    (
        "jardins-de-la-rize",
        {
            "kind": Resource.Kind.STAFF,
            "name": "Heures de community management",
            "summary": "Publications, newsletter, visuels pour vos événements.",
            "staff_role": "Chargée de communication numérique",
            "staff_skills": "Réseaux sociaux, newsletter, Canva",
            "staff_hours_per_week": Decimal("4"),
            "granularity": Resource.Granularity.HOUR,
            "min_duration": 60,
            "max_duration": 240,
            "min_notice": 48,
            "price_unit": Resource.PriceUnit.HOUR,
            "price_amount": Decimal("24.20"),
            "vat_regime": Resource.VatRegime.EXEMPT,
        },
        _hours(weekdays=(0, 2, 4), periods=((time(9), time(12)),)),
        None,
    ),
]

COSTS = {
    "Heures de comptabilité": (
        ("salary", Decimal("18.00")),
        ("social_charges", Decimal("8.10")),
        ("expenses", Decimal("1.40")),
    ),
    "Heures de community management": (
        ("salary", Decimal("16.00")),
        ("social_charges", Decimal("7.20")),
        ("expenses", Decimal("1.00")),
    ),
}
STAFF_PEOPLE = {"Heures de comptabilité": 1, "Heures de community management": 1}
PURPOSES = (
    "Conseil d’administration",
    "Formation des bénévoles",
    "Réunion d’équipe",
    "Atelier tout public",
    "Collecte de meubles",
    "Assemblée générale",
    "Permanence d’accueil",
    "Rendez-vous partenaires",
)


def _create_resources(ctx: DemoContext) -> list[Resource]:
    created = []
    for slug, data, periods, manager_index in RESOURCES:
        owner = ctx.organisations[slug]
        referent = _referent(owner)
        people = _people(owner)
        data = {**data}
        if data["name"] in STAFF_PEOPLE:
            data["staff_person"] = people[
                min(STAFF_PEOPLE[data["name"]], len(people) - 1)
            ]
        resource = resource_services.resource_create(
            owner=owner,
            by=referent,
            data=data,
            cost_items=[
                {"category": c, "hourly_amount": a}
                for c, a in COSTS.get(data["name"], ())
            ],
        )
        resource_services.opening_hours_set(
            resource=resource, by=referent, periods=periods
        )
        if manager_index is not None and len(people) > manager_index:
            resource_services.managers_set(
                resource=resource, by=referent, users=[people[manager_index]]
            )
        created.append(resource)
    return created


def _slot(resource: Resource, day: date, rng: random.Random):
    """A plausible slot within the resource's opening hours that day."""
    periods = [p for p in resource.opening_periods.all() if p.weekday == day.weekday()]
    if not periods:
        return None
    period = rng.choice(periods)
    hours = max(resource.min_duration // 60, 1)
    last = period.closes.hour - hours
    if last < period.opens.hour + (1 if period.opens.minute else 0):
        return None
    hour = rng.randint(period.opens.hour + (1 if period.opens.minute else 0), last)
    start = local_datetime(day, time(hour))
    return start, start + timedelta(minutes=resource.min_duration)


def _book(resource, organisation, person, start, end, *, now, rng, decide=True):
    try:
        booking = services.booking_request(
            resource=resource,
            organisation=organisation,
            by=person,
            start=start,
            end=end,
            quantity=rng.randint(1, 2) if resource.quantity > 1 else 1,
            purpose=rng.choice(PURPOSES),
            now=now,
        )
    except ValidationError:
        return None
    if decide and booking.status == booking.Status.PENDING:
        services.booking_decide(
            booking=booking,
            by=_referent(resource.owner),
            approve=rng.random() > 0.15,
            reason="" if rng.random() > 0.15 else "Déjà prévu en interne ce jour-là.",
            now=now + timedelta(hours=2),
        )
    return booking


@register("pooling", after=("members",))
def load(ctx: DemoContext) -> None:
    if not Resource.objects.filter(name="Camionnette 12 m³").exists():
        _bookings(ctx, _create_resources(ctx))
    _series(ctx)
    _quotas(ctx)
    _closed_months(ctx)


def _bookings(ctx: DemoContext, resources: list[Resource]) -> None:
    rng = random.Random(2025)
    borrowers = [
        o for o in ctx.organisations.values() if o.status == "member" and _people(o)
    ]
    today = timezone.localdate()
    made = 0
    for offset in range(-90, 60):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5 or rng.random() < 0.35:
            continue
        for resource in rng.sample(resources, k=2):
            slot = _slot(resource, day, rng)
            if slot is None:
                continue
            organisation = rng.choice(borrowers)
            person = rng.choice(_people(organisation))
            start, end = slot
            now = start - timedelta(hours=resource.min_notice + 24)
            if now > timezone.now():
                now = timezone.now()
            if start <= now:
                continue
            # Future requests to the référente's structure stay pending for her queue.
            pending = (
                offset > 3
                and resource.owner.slug == "recyclerie-du-canal"
                and rng.random() < 0.4
            )
            made += _book(
                resource, organisation, person, start, end,
                now=now, rng=rng, decide=not pending,
            ) is not None  # fmt: skip
    ctx.log(f"Pooling: {len(resources)} shared resources, {made} bookings.")


# --- A weekly team meeting ---------------------------------------------------------
SERIES_ROOM = "Salle du conseil"
SERIES_PURPOSE = "Réunion d’équipe hebdomadaire"
SERIES_WEEKS = 16  # six weeks past, ten ahead


def _series(ctx: DemoContext) -> None:
    """Recyclerie du Canal's team meets every Thursday 9:00–11:00 in the Menuiserie's
    council room: a series booked through the series service, free dates only (the
    preview lists those the other demo bookings already hold)."""
    room = Resource.objects.get(name=SERIES_ROOM)
    organisation = ctx.organisations["recyclerie-du-canal"]
    if BookingSeries.objects.filter(resource=room, organisation=organisation).exists():
        return
    member = ctx.people["membre"]
    today = timezone.localdate()
    first = today - timedelta(weeks=6)
    first += timedelta(days=(3 - first.weekday()) % 7)  # the next Thursday
    rule = Recurrence(Frequency.WEEKLY, weekdays=(3,), count=SERIES_WEEKS)
    arguments = {
        "resource": room,
        "organisation": organisation,
        "by": member,
        "recurrence": rule,
        "first_date": first,
        "start_time": time(9),
        "duration": timedelta(hours=2),
        "attendees": 6,
        # Booked the week before the first meeting, as the team would have.
        "now": local_datetime(first - timedelta(days=7), time(10)),
    }
    checks = series_services.series_preview(**arguments)
    free = {check.day for check in checks if check.free}
    if not free:
        return
    series = series_services.series_book(
        **arguments, dates=free, purpose=SERIES_PURPOSE
    )
    ctx.log(
        f"Pooling: weekly series «{SERIES_PURPOSE}», {series.occurrences.count()} "
        f"of {len(checks)} dates booked."
    )


# --- Quotas --------------------------------------------------------------------------
def _quotas(ctx: DemoContext) -> None:
    """Recyclerie du Canal may book 16 h a month of the Rosa-Parks room (set by the
    owner's référent) and 8 h a month of staff time (set by the coordination): the
    member login sees what is left in both booking forms."""
    organisation = ctx.organisations["recyclerie-du-canal"]
    room = Resource.objects.get(name="Salle de réunion Rosa-Parks")
    if not Quota.objects.filter(organisation=organisation, resource=room).exists():
        quota_services.quota_set(
            by=_referent(room.owner),
            organisation=organisation,
            hours_per_month=Decimal("16"),
            resource=room,
        )
    staff = {"organisation": organisation, "resource": None, "owner": None}
    if not Quota.objects.filter(**staff, resource_kind=Resource.Kind.STAFF).exists():
        quota_services.quota_set(
            by=ctx.people["coordinator"],
            organisation=organisation,
            hours_per_month=Decimal("8"),
            resource_kind=Resource.Kind.STAFF,
        )


# --- Closed months -------------------------------------------------------------------
def _closed_months(ctx: DemoContext) -> None:
    """The coordination has closed every month up to the one before last, in order,
    through the ledger service; last month stays open for the demo coordinator."""
    first = (
        LedgerLine.objects.order_by("period").values_list("period", flat=True).first()
    )
    if first is None:
        return
    last = months.previous_month(months.previous_month(months.current_month()))
    closed = set(ClosedMonth.objects.values_list("period", flat=True))
    month, count = first, 0
    while month <= last:
        if month not in closed:
            ledger_services.month_close(period=month, by=ctx.people["coordinator"])
            count += 1
        month = months.next_month(month)
    if count:
        ctx.log(f"Pooling: {count} month(s) closed, up to {months.label(last)}.")
