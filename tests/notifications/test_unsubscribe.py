from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.kinds import EmailChoice
from notifications.models import Preference
from notifications.services import unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KIND = "notifications.announcement"


def _link_from_email(announce, user) -> str:
    announce([user])
    header = mail.outbox[-1].extra_headers["List-Unsubscribe"]
    return header.strip("<>").removeprefix("http://127.0.0.1:8000")


def test_the_unsubscribe_link_asks_then_unsubscribes_without_logging_in(announce):
    user = UserFactory()
    url = _link_from_email(announce, user)
    client = Client(enforce_csrf_checks=True)

    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert "Se désabonner" in page.content.decode()
    assert not Preference.objects.exists()  # GET changes nothing (link scanners)

    response = client.post(url)
    assert response.status_code == HTTPStatus.OK
    assert user.email in response.content.decode()
    assert Preference.objects.get(user=user, kind=KIND).email == EmailChoice.NEVER

    mail.outbox.clear()
    announce([user])
    assert mail.outbox == []  # still told in the site, no longer by e-mail


def test_one_click_post_from_a_mail_client(announce):
    user = UserFactory()
    url = _link_from_email(announce, user)
    response = Client(enforce_csrf_checks=True).post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == HTTPStatus.OK
    assert Preference.objects.get(user=user, kind=KIND).email == EmailChoice.NEVER


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(
            token.split(":")[0], "WzIsIm5vdGlmaWNhdGlvbnMuYW5ub3VuY2VtZW50Il0"
        ),
        lambda token: "pas-un-jeton",
    ],
)
def test_a_tampered_link_is_rejected_with_a_french_message(tamper):
    user = UserFactory()
    token = tamper(unsubscribe_token(user_id=user.pk, kind=KIND))
    url = reverse("notifications:unsubscribe", args=[token])
    response = Client().post(url)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "lien de désabonnement n’est pas valide" in response.content.decode()
    assert not Preference.objects.exists()


def test_account_emails_cannot_be_unsubscribed_even_with_a_valid_signature():
    user = UserFactory()
    url = reverse(
        "notifications:unsubscribe",
        args=[unsubscribe_token(user_id=user.pk, kind="account")],
    )
    assert Client().post(url).status_code == HTTPStatus.BAD_REQUEST
    assert not Preference.objects.exists()


def test_a_link_signed_for_another_purpose_is_rejected():
    from django.core import signing

    user = UserFactory()
    token = signing.dumps([user.pk, KIND], salt="some.other.purpose", compress=True)
    url = reverse("notifications:unsubscribe", args=[token])
    assert Client().post(url).status_code == HTTPStatus.BAD_REQUEST
    assert not Preference.objects.exists()
