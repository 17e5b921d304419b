from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Site

from home.contact import RATE_LIMIT
from home.models import ContactFormField, ContactPage
from members.permissions import COORDINATORS_GROUP
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_page():
    home = Site.objects.get(is_default_site=True).root_page.specific
    page = ContactPage(slug="contact", title="Nous écrire")
    home.add_child(instance=page)
    ContactFormField.objects.create(
        page=page, label="Votre nom", field_type="singleline", required=True
    )
    ContactFormField.objects.create(
        page=page, label="Votre message", field_type="multiline", required=True
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def coordinators(db):
    group = Group.objects.get_or_create(name=COORDINATORS_GROUP)[0]
    people = UserFactory.create_batch(2)
    for person in people:
        person.groups.add(group)
    return people


def post(client, page, **data):
    fields = {"votre_nom": "Inès", "votre_message": "Bonjour l’équipe", **data}
    return client.post(page.url, fields, REMOTE_ADDR=data.pop("ip", "10.0.0.1"))


def test_a_message_reaches_every_coordinator(client, contact_page, coordinators):
    UserFactory()  # not a coordinator
    response = post(client, contact_page)
    assert response.status_code == HTTPStatus.OK
    assert "Message envoyé" in response.content.decode()
    submission = FormSubmission.objects.get(page=contact_page)
    assert submission.get_data()["votre_message"] == "Bonjour l’équipe"
    notified = Notification.objects.filter(kind="home.contact_message")
    assert {n.recipient for n in notified} == set(coordinators)
    assert "Bonjour l’équipe" in notified.first().text


def test_the_honeypot_swallows_robots(client, contact_page, coordinators):
    response = post(client, contact_page, site_web="http://spam.example")
    assert response.status_code == HTTPStatus.OK
    assert not FormSubmission.objects.exists()
    assert not Notification.objects.exists()


def test_messages_are_rate_limited_per_address(client, contact_page, coordinators):
    for _ in range(RATE_LIMIT):
        post(client, contact_page)
    response = post(client, contact_page)
    assert "Trop de messages" in response.content.decode()
    assert FormSubmission.objects.count() == RATE_LIMIT


@pytest.mark.parametrize(
    "data",
    [
        {"votre_message": ""},
        {"votre_message": "x" * 100_000},
    ],
)
def test_bad_input_writes_nothing(client, contact_page, coordinators, data):
    response = post(client, contact_page, **data)
    assert response.status_code == HTTPStatus.OK
    assert 'class="error-summary"' in response.content.decode()
    assert not FormSubmission.objects.exists()


def test_nul_bytes_are_refused(client, contact_page, coordinators):
    response = post(client, contact_page, votre_nom="nul\x00")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not FormSubmission.objects.exists()


def test_contact_page_query_count(client, contact_page, django_assert_max_num_queries):
    client.get(contact_page.url)
    with django_assert_max_num_queries(20):
        assert client.get(contact_page.url).status_code == HTTPStatus.OK


def test_a_forged_forwarded_header_does_not_escape_the_limit(
    client, contact_page, coordinators, settings
):
    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: the header is the client's own
    fields = {"votre_nom": "Robot", "votre_message": "Spam"}
    for n in range(RATE_LIMIT + 2):
        response = client.post(
            contact_page.url,
            {**fields, "votre_message": f"Spam {n}"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    assert "Trop de messages" in response.content.decode()
    assert FormSubmission.objects.count() == RATE_LIMIT


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(
    client, contact_page, coordinators, settings
):
    settings.TRUSTED_PROXY_COUNT = 1

    def send(forwarded: str) -> str:
        return client.post(
            contact_page.url,
            {"votre_nom": "Inès", "votre_message": "Bonjour"},
            REMOTE_ADDR="10.0.0.254",  # the proxy
            HTTP_X_FORWARDED_FOR=forwarded,
        ).content.decode()

    for _ in range(RATE_LIMIT):
        send("203.0.113.1")
    # Writing another address before the proxy's entry changes nothing.
    assert "Trop de messages" in send("198.51.100.1, 203.0.113.1")
    assert "Trop de messages" not in send("203.0.113.2")
    assert FormSubmission.objects.count() == RATE_LIMIT + 1
