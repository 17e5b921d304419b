"""Pooling in a real browser, in French: search by need → book a set → approve →
calendar feed → statement.

A member of one structure looks for a room for 12 with 2 projectors, books both at
once; the owner's référente sees the request counted in the header, approves it from
her queue, and the booking shows as confirmed. The member then follows the calendar
feed link of her space: fetched without any session, as a calendar client would, the
feed holds the booking. The référente opens her structure's statement of that month:
the booking is a line there, and in the CSV export (UTF-8 with BOM, `;`). Every page
is checked with axe; screenshots at 1280 and 375 px go to var/screenshots/ for review.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.error
import urllib.request
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Membership
from pooling.ledger import periods
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


def test_search_book_a_set_approve_then_feed_and_statement(open_page, live_server):
    owner = OrganisationFactory(name="Recyclerie du Canal")
    borrower = OrganisationFactory(name="Les Jardins de la Rize")
    referente = UserFactory(first_name="Inès", last_name="Morvan")
    MembershipFactory(user=referente, organisation=owner, role=Membership.Role.REFERENT)
    member = UserFactory(first_name="Awa", last_name="Diallo")
    MembershipFactory(user=member, organisation=borrower)
    room = ResourceFactory(
        owner=owner,
        name="Atelier de réparation",
        capacity=14,
        price_unit="hour",
        price_amount=Decimal("12.00"),
        vat_regime="exempt_261b",
    )
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

    # Calendar feed: the member follows the feed link of her space; a calendar client
    # fetches it with no session at all, and finds the confirmed booking.
    visit(borrower_page, reverse("pooling:my_space"))
    feed_link = borrower_page.get_by_role("main").get_by_role(
        "link", name="Adresse ICS (https)"
    )
    href = feed_link.get_attribute("href")
    path = urlsplit(href).path
    assert (
        borrower_page.locator(
            f'head link[rel="alternate"][type="text/calendar"][href="{href}"]'
        ).count()
        == 1
    )
    with urllib.request.urlopen(live_server.url + path, timeout=15) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        assert "Set-Cookie" not in response.headers
        calendar = icalendar.Calendar.from_ical(response.read())
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    event = events["Atelier de réparation — Les Jardins de la Rize"]
    assert event.decoded("DTSTART") == booking.start
    assert event.decoded("DTEND") == booking.end
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["DESCRIPTION"]) == "Atelier compost"
    # A tampered token is a 404, not someone else's calendar.
    try:
        urllib.request.urlopen(live_server.url + path.replace("/moi", "x/moi"))
    except urllib.error.HTTPError as error:
        assert error.code == 404
    else:
        raise AssertionError("a tampered feed address answered")

    # Statement: the référente opens her structure's statement for the booking's
    # month (from the list of statements, then month by month) and finds the line.
    month = periods.month_of(booking.start)
    visit(owner_page, reverse("pooling_ledger:index"))
    owner_main = owner_page.get_by_role("main")
    current = periods.current_month()
    follow(
        owner_page,
        owner_main.get_by_role("region", name="Recyclerie du Canal")
        .get_by_role("link")
        .first,
    )
    if month != current:  # the booking falls next month: one step forward
        follow(
            owner_page,
            owner_page.get_by_role(
                "navigation", name="Mois et formats du relevé"
            ).get_by_role("link", name=re.compile(r"→$")),
        )
    expect(owner_page.get_by_role("heading", level=1)).to_contain_text(
        "Recyclerie du Canal"
    )
    provided = owner_page.get_by_role("table", name="Ce que la structure a fourni")
    line = provided.get_by_role("row").filter(has_text="Atelier de réparation")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Les Jardins de la Rize")
    expect(line).to_contain_text(
        timezone.localtime(booking.start).strftime("%d/%m/%Y %H:%M")
    )
    expect(line).to_contain_text("36,00")
    shoot(owner_page, "statement")

    # CSV export, downloaded with the référente's session: BOM, ';', the line.
    csv_link = owner_page.get_by_role("link", name="Télécharger (CSV)")
    assert csv_link.get_attribute("href") == reverse(
        "pooling_ledger:structure_csv", args=[owner.slug, month.year, month.month]
    )
    download = owner_page.request.get(live_server.url + csv_link.get_attribute("href"))
    assert download.ok and download.headers["content-type"].startswith("text/csv")
    body = download.body()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header, lines = rows[0], rows[1:]
    assert len(header) > 10 and "Ressource" in header
    (row,) = [r for r in lines if "Atelier de réparation" in r]
    record = dict(zip(header, row, strict=True))
    assert record["Structure utilisatrice"] == "Les Jardins de la Rize"
    assert record["Structure fournisseuse"] == "Recyclerie du Canal"
    assert record["Montant HT"] == "36,00"
