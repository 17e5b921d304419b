"""In a real browser, in French, on a 375 px phone screen: a member changes the times
of her booking from its page (the booking goes back to the owner's approval), and a
référente adds a photo to her structure's room, which the catalogue then shows.
Every page is checked with axe; nothing overflows the narrow screen.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from PIL import Image as Pillow
from playwright.sync_api import expect

from members.models import Membership
from pooling.models import Booking
from resources.models import ResourcePhoto
from tests.e2e.browser import follow, visit
from tests.e2e.test_journey import log_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.pooling.factories import BookingFactory, ResourceFactory, open_every_day

PASSWORD = "motdepasse-solide-42"  # tests.factories.UserFactory
PHONE = {"width": 375, "height": 800}


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_member_changes_a_booking_on_a_phone(open_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = OrganisationFactory(name="Recyclerie du Canal")
    borrower = OrganisationFactory(name="Les Jardins de la Rize")
    member = UserFactory(first_name="Awa", last_name="Diallo")
    MembershipFactory(user=member, organisation=borrower)
    referente = UserFactory(first_name="Inès", last_name="Morvan")
    MembershipFactory(user=referente, organisation=owner, role=Membership.Role.REFERENT)
    room = ResourceFactory(owner=owner, name="Atelier de réparation", capacity=14)
    open_every_day(room, opens=time(8), closes=time(20))
    day = timezone.localdate() + timedelta(days=5)
    start = datetime.combine(day, time(10), tzinfo=timezone.get_default_timezone())
    booking = BookingFactory(
        resource=room,
        organisation=borrower,
        booked_by=member,
        start=start,
        end=start + timedelta(hours=1),
        purpose="Atelier compost",
    )

    page = open_page()
    page.set_viewport_size(PHONE)
    log_in(page, member.email, PASSWORD)
    visit(page, booking.get_absolute_url())
    _no_horizontal_scroll(page)
    section = page.get_by_role("region", name="Modifier cette réservation")
    section.get_by_label(re.compile(r"^De[\s:]*$")).fill("14:00")
    section.get_by_label(re.compile(r"^À[\s:]*$")).fill("16:30")
    section.get_by_label("Nombre de personnes").fill("9")
    section.get_by_label(re.compile("Motif de la modification")).fill(
        "Le groupe arrive l’après-midi"
    )
    follow(page, section.get_by_role("button", name="Enregistrer la modification"))

    main = page.get_by_role("main")
    expect(main).to_contain_text("La réservation est modifiée")
    expect(main).to_contain_text("14:00")
    expect(main).to_contain_text("Le groupe arrive l’après-midi")
    _no_horizontal_scroll(page)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    assert timezone.localtime(booking.end).time() == time(16, 30)

    # A refused change says why and keeps the page usable.
    section = page.get_by_role("region", name="Modifier cette réservation")
    section.get_by_label(re.compile(r"^À[\s:]*$")).fill("21:00")
    follow(page, section.get_by_role("button", name="Enregistrer la modification"))
    expect(page.get_by_role("main")).to_contain_text("Rien n’a été modifié")
    _no_horizontal_scroll(page)

    # The référente adds a photo of the room; the catalogue card shows it.
    referente_page = open_page()
    referente_page.set_viewport_size(PHONE)
    log_in(referente_page, referente.email, PASSWORD)
    visit(referente_page, reverse("resources:photos", args=[room.pk]))
    _no_horizontal_scroll(referente_page)
    buffer = io.BytesIO()
    Pillow.new("RGB", (640, 400), (90, 140, 60)).save(buffer, format="JPEG")
    main = referente_page.get_by_role("main")
    main.get_by_label(re.compile(r"^Photo[\s:]*$")).set_input_files(
        {"name": "atelier.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}
    )
    main.get_by_label("Description de la photo").fill("Établis et outils au mur")
    follow(referente_page, main.get_by_role("button", name="Ajouter la photo"))
    expect(referente_page.get_by_role("main")).to_contain_text("La photo est ajoutée")
    assert ResourcePhoto.objects.filter(resource=room).count() == 1
    visit(referente_page, reverse("pooling:catalogue"))
    expect(referente_page.get_by_alt_text("Établis et outils au mur")).to_be_visible()
    _no_horizontal_scroll(referente_page)
