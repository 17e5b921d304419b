"""The issue's journey, in a real browser and in French.

Sign up → confirm the e-mail address → log in → ask to join a structure → a référent of
that structure logs in and accepts → the newcomer finds the structure in "Mon espace".
Every page on the way is checked with axe.
"""

from __future__ import annotations

import re
import time

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from members.models import JoinRequest, Membership
from tests.e2e.browser import follow, visit
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PASSWORD = "Coop-Solidaire-2026"
CONFIRMATION_PATH = re.compile(r"/comptes/confirm-email/[^/\s]+/")


def confirmation_path(address: str, timeout: float = 10) -> str:
    # The live server thread sends the message after its transaction commits; give it
    # a moment rather than racing the redirect.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if address in message.to:
                found = CONFIRMATION_PATH.search(message.body)
                assert found, f"no confirmation link in:\n{message.body}"
                return found.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no e-mail sent to {address}: {[m.to for m in mail.outbox]}")


def log_in(page, email: str, password: str) -> None:
    visit(page, reverse("account_login"))
    page.get_by_label(re.compile("Courriel|Adresse e-mail")).fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(password)
    follow(page, page.get_by_role("main").get_by_role("button", name="Connexion"))
    expect(page.get_by_role("link", name="Se connecter")).to_have_count(0)


def sign_up(page, email: str) -> None:
    visit(page, reverse("account_signup"))
    page.get_by_label(re.compile("Courriel|Adresse e-mail")).fill(email)
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label(re.compile(r"^Nom")).fill("Durand")
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Mot de passe \(confirmation\)")).fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Créer mon compte"))


def test_newcomer_joins_a_structure_accepted_by_its_referent(open_page, mailoutbox):
    organisation = OrganisationFactory(name="Fab Lab du Vieux Port")
    referent = UserFactory(first_name="Inès", last_name="Martin")
    MembershipFactory(
        user=referent, organisation=organisation, role=Membership.Role.REFERENT
    )
    newcomer = open_page()

    sign_up(newcomer, "camille.durand@exemple.fr")
    visit(newcomer, confirmation_path("camille.durand@exemple.fr"))
    follow(
        newcomer, newcomer.get_by_role("main").get_by_role("button", name="Confirmer")
    )
    log_in(newcomer, "camille.durand@exemple.fr", PASSWORD)

    visit(newcomer, organisation.get_absolute_url())
    follow(newcomer, newcomer.get_by_role("button", name="Demander à rejoindre"))
    visit(newcomer, organisation.get_absolute_url())
    expect(newcomer.get_by_role("main")).to_contain_text("en attente")
    assert JoinRequest.objects.filter(
        user__email="camille.durand@exemple.fr", organisation=organisation
    ).exists()

    manager = open_page()
    log_in(manager, referent.email, "motdepasse-solide-42")
    visit(manager, reverse("members:organisation_manage", args=[organisation.slug]))
    follow(manager, manager.get_by_role("button", name=re.compile("^Accepter Camille")))
    expect(manager.get_by_role("main")).to_contain_text("camille.durand@exemple.fr")

    visit(newcomer, reverse("members:dashboard"))
    structures = newcomer.get_by_role("region", name="Mes structures")
    expect(structures.get_by_role("link", name="Fab Lab du Vieux Port")).to_be_visible()
    assert Membership.objects.filter(
        user__email="camille.durand@exemple.fr",
        organisation=organisation,
        role=Membership.Role.MEMBER,
    ).exists()
