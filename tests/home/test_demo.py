from __future__ import annotations

from http import HTTPStatus
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, Revision

from home.models import GlossaryTerm, StandardPage
from members.demo import demo_siret
from members.eligibility import eligibility_check
from members.models import JoinRequest, Membership, Organisation
from members.permissions import COORDINATORS_GROUP, MODERATORS_GROUP
from members.validators import luhn_is_valid, validate_siret
from ptce.demo import DEMO_PASSWORD
from ptce.models import SiteIdentity

pytestmark = pytest.mark.django_db

MODELS = (
    get_user_model(),
    EmailAddress,
    Organisation,
    Membership,
    JoinRequest,
    GlossaryTerm,
    Page,
    Revision,
    PageLogEntry,
)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def run() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_loads_twice_with_stable_counts_and_printed_logins_work():
    output = run()
    first = counts()
    run()
    assert counts() == first

    assert DEMO_PASSWORD in output
    emails = [
        "coordination@demo.ptce.fr",
        "moderation@demo.ptce.fr",
        "referente@demo.ptce.fr",
        "membre@demo.ptce.fr",
    ]
    for email in emails:
        assert email in output
        assert Client().login(email=email, password=DEMO_PASSWORD), email
    # And through allauth's own login form (mandatory e-mail verification).
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": "referente@demo.ptce.fr", "password": DEMO_PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("members:dashboard")).status_code == HTTPStatus.OK


def test_demo_content_is_complete_and_valid():
    run()
    User = get_user_model()
    coordinator = User.objects.get(email="coordination@demo.ptce.fr")
    assert coordinator.is_staff
    assert coordinator.groups.filter(name=COORDINATORS_GROUP).exists()
    assert (
        User.objects.get(email="moderation@demo.ptce.fr")
        .groups.filter(name=MODERATORS_GROUP)
        .exists()
    )

    members = Organisation.objects.filter(status=Organisation.Status.MEMBER)
    assert members.count() >= 15
    assert set(members.values_list("category", flat=True)) == set(
        Organisation.Category.values
    )
    for organisation in Organisation.objects.all():
        organisation.full_clean()
        assert luhn_is_valid(organisation.siret)
        if organisation.legal_form == Organisation.LegalForm.ASSOCIATION:
            assert organisation.rna
    for organisation in members:
        referents = organisation.memberships.filter(role=Membership.Role.REFERENT)
        assert referents.count() == 1, organisation
        assert 1 <= organisation.memberships.count() <= 3
    assert Organisation.objects.filter(status=Organisation.Status.APPLIED).count() == 1
    assert JoinRequest.objects.filter(status=JoinRequest.Status.PENDING).count() == 1
    assert not EmailAddress.objects.filter(verified=False).exists()
    assert eligibility_check().is_eligible

    assert GlossaryTerm.objects.count() >= 8
    identity = SiteIdentity.load()
    assert identity.name == "PTCE Rives Solidaires"
    assert identity.legal_notice_page.title == "Mentions légales"
    accessibility = StandardPage.objects.get(pk=identity.accessibility_page_id)
    for heading in (
        "État de conformité",
        "Contenus non accessibles",
        "Voies de recours",
    ):
        assert heading in accessibility.body
    assert StandardPage.objects.filter(slug="le-ptce", live=True).exists()


def test_demo_pages_render(client):
    run()
    for path in ("/", "/le-ptce/", "/mentions-legales/", "/declaration-accessibilite/"):
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK, path
    html = client.get("/").content.decode()
    assert "PTCE Rives Solidaires" in html
    assert 'href="/declaration-accessibilite/"' in html
    assert "Accessibilité\u00a0: non conforme" in html
    # The PTCE's legal name is a name, not prose: no definition of "Association" in
    # "Association PTCE Rives Solidaires" (the legal notice names its publisher).
    legal = client.get("/mentions-legales/").content.decode()
    legal = legal[legal.index("<article") :]
    assert "<p>Association PTCE Rives Solidaires (" in legal
    assert 'aria-describedby="glossaire-association' in legal  # later, in prose


def test_demo_siret_is_luhn_valid():
    for number in range(1, 40):
        siret = demo_siret(number)
        validate_siret(siret)
        assert luhn_is_valid(siret[:9])  # the SIREN too
