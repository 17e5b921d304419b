"""Pooling in a real browser, in French: search by need → book a set → approve.

A member of one structure looks for a room for 12 with 2 projectors, books both at
once; the owner's référente sees the request counted in the header, approves it from
her queue, and the booking shows as confirmed. Every page is checked with axe;
screenshots at 1280 and 375 px go to var/screenshots/ for review.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Membership
from pooling.models import Booking
from tests.e2e.browser import follow, visit
from tests.e2e.test_journey import log_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.pooling.factories import EquipmentFactory, ResourceFactory, open_every_day

PASSWORD = "motdepasse-solide-42"  # tests.factories.UserFactory
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"pooling-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_search_book_a_set_and_approve(open_page):
    owner = OrganisationFactory(name="Recyclerie du Canal")
    borrower = OrganisationFactory(name="Les Jardins de la Rize")
    referente = UserFactory(first_name="Inès", last_name="Morvan")
    MembershipFactory(user=referente, organisation=owner, role=Membership.Role.REFERENT)
    member = UserFactory(first_name="Awa", last_name="Diallo")
    MembershipFactory(user=member, organisation=borrower)
    room = ResourceFactory(owner=owner, name="Atelier de réparation", capacity=14)
    projectors = EquipmentFactory(
        owner=owner, name="Vidéoprojecteurs", quantity=5, approval_required=False
    )
    for resource in (room, projectors):
        open_every_day(resource, opens=time(8), closes=time(20))
    day = timezone.localdate() + timedelta(days=4)

    borrower_page = open_page()
    log_in(borrower_page, member.email, PASSWORD)
    visit(borrower_page, reverse("pooling:search"))
    main = borrower_page.get_by_role("main")
    main.get_by_label("Date").fill(day.isoformat())
    main.get_by_label(re.compile(r"^De[\s:]*$")).fill("14:00")
    main.get_by_label(re.compile(r"^À[\s:]*$")).fill("17:00")
    main.get_by_label("Pour combien de personnes").fill("12")
    main.get_by_label("Avec du matériel").fill("vidéoprojecteur")
    main.get_by_label(re.compile(r"^Combien[\s:]*$")).fill("2")
    follow(borrower_page, main.get_by_role("button", name="Rechercher"))
    expect(main).to_contain_text("Atelier de réparation")
    expect(main).to_contain_text("Vidéoprojecteurs")
    shoot(borrower_page, "search")

    main.get_by_label("Objet").fill("Atelier compost")
    follow(
        borrower_page,
        main.get_by_role("button", name="Réserver toutes les ressources cochées"),
    )
    expect(borrower_page.get_by_role("main")).to_contain_text("2 réservations faites")
    statuses = dict(
        Booking.objects.filter(organisation=borrower).values_list(
            "resource__name", "status"
        )
    )
    assert statuses == {
        "Atelier de réparation": "pending",
        "Vidéoprojecteurs": "confirmed",
    }
    shoot(borrower_page, "my-space")

    visit(borrower_page, reverse("pooling:week", args=[room.pk]) + f"?semaine={day}")
    shoot(borrower_page, "week")

    owner_page = open_page()
    log_in(owner_page, referente.email, PASSWORD)
    badge = owner_page.get_by_role("banner").locator(".badge-count")
    expect(badge).to_have_text(re.compile(r"^1\s*demande attend votre décision"))
    follow(owner_page, badge)
    shoot(owner_page, "approvals")
    owner_main = owner_page.get_by_role("main")
    owner_main.get_by_label("Atelier de réparation", exact=False).check()
    owner_main.get_by_label("Valider").check()
    follow(
        owner_page,
        owner_main.get_by_role("button", name="Appliquer aux demandes cochées"),
    )
    expect(owner_page.get_by_role("main")).to_contain_text("1 demande traitée")
    expect(owner_page.get_by_role("main")).to_contain_text(
        "Aucune demande n’attend votre décision"
    )
    booking = Booking.objects.get(resource=room)
    assert booking.status == Booking.Status.CONFIRMED

    visit(owner_page, booking.get_absolute_url())
    expect(owner_page.get_by_role("main")).to_contain_text("Confirmée")
    expect(owner_page.get_by_role("main")).to_contain_text("Atelier compost")
    shoot(owner_page, "booking")
