"""allauth in the site's layout, in French, with e-mails through the outbox."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from members.models import User
from notifications.models import EmailDelivery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"
SIGNUP = {
    "first_name": "Camille",
    "last_name": "Martin",
    "email": "camille@exemple.fr",
    "password1": "Un-mot-de-passe-tres-long-2026",
    "password2": "Un-mot-de-passe-tres-long-2026",
}


def _link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def test_signup_confirm_then_login(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == HTTPStatus.FOUND
    user = User.objects.get(email="camille@exemple.fr")
    assert (user.first_name, user.last_name) == ("Camille", "Martin")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille@exemple.fr"]
    # Sent through the outbox (members.adapter), not directly by allauth.
    delivery = EmailDelivery.objects.get(to_address="camille@exemple.fr")
    assert (delivery.kind, delivery.status) == ("account", EmailDelivery.Status.SENT)

    # Not verified yet: logging in sends to the "verification sent" page, not in.
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": SIGNUP["email"], "password": SIGNUP["password1"]},
    )
    assert "_auth_user_id" not in client.session
    confirm_path = _link(mail.outbox[0].body)
    page = client.get(confirm_path)
    assert page.status_code == HTTPStatus.OK
    content = page.content.decode()
    assert 'action="' in content and "csrfmiddlewaretoken" in content
    # A GET must not confirm (mail scanners open links).
    assert not EmailAddress.objects.get(email=SIGNUP["email"]).verified
    client.post(confirm_path)
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified

    response = client.post(
        reverse("account_login"),
        {"login": SIGNUP["email"], "password": SIGNUP["password1"]},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_requires_names_and_shows_an_error_summary(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "first_name": ""})
    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert not User.objects.filter(email=SIGNUP["email"]).exists()
    assert 'class="error-summary" role="alert"' in content
    assert 'href="#id_first_name"' in content
    assert content.index('for="id_first_name"') < content.index('for="id_email"')
    assert 'aria-invalid="true"' in content
    assert "id_first_name_error" in content


def test_unverified_address_cannot_log_in(client, django_capture_on_commit_callbacks):
    user = UserFactory(verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )
    assert "_auth_user_id" not in client.session
    # allauth re-sends the confirmation e-mail through the outbox.
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_verified_user_logs_in(client):
    user = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failed_logins_are_rate_limited(client):
    user = UserFactory()
    statuses = [
        client.post(
            reverse("account_login"), {"login": user.email, "password": "faux"}
        ).status_code
        for _ in range(6)
    ]
    assert set(statuses) == {HTTPStatus.OK}
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives de connexion" in response.content.decode()


def test_login_is_protected_by_csrf():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("name", "french"),
    [
        ("account_login", "Connexion"),
        ("account_signup", "Créer mon compte"),
        ("account_reset_password", "Réinitialisation du mot de passe"),
        ("account_email_verification_sent", "Vérifiez votre"),
        ("account_reset_password_done", "Réinitialisation du mot de passe"),
        ("account_reset_password_from_key_done", "Votre mot de passe a été modifié."),
    ],
)
def test_entrance_pages_use_the_site_layout_in_french(client, name, french):
    response = client.get(reverse(name))
    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert '<html lang="fr">' in content
    assert 'id="contenu"' in content  # the site's <main>
    assert content.count("<h1") == 1
    assert french in content
    if "<form" in content.split('id="contenu"')[1]:
        assert re.search(r'<label for="id_\w+"', content)


@pytest.mark.parametrize(
    "name",
    ["account_email", "account_change_password", "account_logout"],
)
def test_account_management_pages_use_the_site_layout(client, name):
    client.force_login(UserFactory())
    response = client.get(reverse(name))
    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'id="contenu"' in content
    assert content.count("<h1") == 1


def test_password_reset_flow(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(response.url).status_code == HTTPStatus.OK  # "done" page
    link = _link(mail.outbox[0].body)
    response = client.get(link, follow=True)
    assert response.status_code == HTTPStatus.OK
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new = "Encore-un-mot-de-passe-2026"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password(new)
    # The link works once.
    assert "Mauvais jeton" in client.get(link, follow=True).content.decode()


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    new = "Encore-un-mot-de-passe-2026"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "faux", "password1": new, "password2": new},
    )
    assert 'class="error-summary"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password(new)


def test_change_of_email_address_is_confirmed_by_email(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"),
            {"action_add": "", "email": "autre@exemple.fr"},
        )
    assert response.status_code == HTTPStatus.FOUND
    assert [m.to for m in mail.outbox] == [["autre@exemple.fr"]]
    page = client.get(reverse("account_email")).content.decode()
    assert "autre@exemple.fr" in page
    # The new address only replaces the old one once confirmed.
    user.refresh_from_db()
    assert user.email != "autre@exemple.fr"
    confirm_path = _link(mail.outbox[0].body)
    client.post(confirm_path)
    assert EmailAddress.objects.get(email="autre@exemple.fr", user=user).primary


def test_logout_by_post(client):
    client.force_login(UserFactory())
    response = client.post(reverse("account_logout"))
    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" not in client.session


def test_signup_tells_what_happens_to_personal_data(client):
    content = client.get(reverse("account_signup")).content.decode()
    assert "Vos données personnelles" in content
    assert "CNIL" in content and "supprimer votre compte" in content
    assert "Création de compte" not in content and "Sign Up" not in content
