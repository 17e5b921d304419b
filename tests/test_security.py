"""Site-wide guards: NUL bytes, the 429 page, the Content-Security-Policy, cookies."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import override_settings
from django.urls import reverse

from members.models import Organisation
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("home:search", {"q": "\x00"}),
        ("home:search", {"q": "ESS\x00coop", "page": "2"}),
        ("members:organisation_list", {"q": "a\x00"}),
        ("members:organisation_list", {"city": "\x00"}),
        ("members:organisation_list", {"page": "\x00"}),
        ("members:organisation_list", {"x\x00": "1"}),
        ("account_login", {"next": "/\x00"}),
    ],
)
def test_nul_bytes_in_query_strings_get_a_french_400(client, path, params):
    response = client.get(reverse(path), params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "Requête invalide" in page
    assert 'class="skip-link"' in page  # in the site's layout


def test_nul_bytes_in_forms_write_nothing(client, user):
    client.force_login(user)
    response = client.post(
        reverse("members:organisation_apply"),
        {"name": "Atelier\x00", "category": "ess", "city": "Lyon"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Organisation.objects.exists()
    organisation = OrganisationFactory()
    response = client.post(
        reverse("members:join_request_create", args=[organisation.slug]),
        {"message": "bonjour\x00"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not organisation.join_requests.exists()


def test_nul_bytes_in_the_path_get_a_400(client):
    assert client.get("/membres/structures/a%00b/").status_code == 400


def test_ordinary_input_still_passes(client):
    response = client.get(reverse("members:organisation_list"), {"q": 'l’ESS "coop'})
    assert response.status_code == HTTPStatus.OK


def test_the_rate_limit_page_is_french_and_in_the_layout(client):
    user = UserFactory()
    url = reverse("account_reset_password")
    statuses = [client.post(url, {"email": user.email}).status_code for _ in range(7)]
    assert statuses[-1] == HTTPStatus.TOO_MANY_REQUESTS
    page = client.post(url, {"email": user.email}).content.decode()
    assert "Trop de tentatives" in page
    assert 'class="skip-link"' in page and "Too Many Requests" not in page


def test_public_pages_have_a_strict_content_security_policy(client):
    organisation = OrganisationFactory()
    for url in (
        "/",
        reverse("members:organisation_list"),
        organisation.get_absolute_url(),
        reverse("account_login"),
        "/page-qui-n-existe-pas/",
    ):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"], url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_public_pages_carry_no_inline_script_or_style(client):
    organisation = OrganisationFactory()
    client.force_login(UserFactory())  # the header then shows the bell
    for url in (
        "/",
        reverse("members:organisation_list"),
        organisation.get_absolute_url(),
    ):
        page = client.get(url).content.decode()
        assert " style=" not in page, url
        assert "<script>" not in page and "<script >" not in page, url
        assert "onclick=" not in page and "javascript:" not in page, url


def test_the_wagtail_admin_still_loads_under_a_report_only_policy(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == HTTPStatus.OK
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_language_cookie_is_samesite_httponly_and_secure_in_production(
    client, settings
):
    same_origin = {"HTTP_ORIGIN": "http://testserver"}  # ptce.views.language_set
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, **same_origin
    )
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["samesite"] == "Lax" and cookie["httponly"]
    import importlib
    import os
    from unittest import mock

    from config import settings as config_settings

    with mock.patch.dict(os.environ, {"DEBUG": "0", "SECURE_COOKIES": "1"}):
        production = importlib.reload(config_settings)
        assert production.LANGUAGE_COOKIE_SECURE is True
        assert production.SESSION_COOKIE_SECURE is True
    importlib.reload(config_settings)
    with override_settings(LANGUAGE_COOKIE_SECURE=True):
        response = client.post(
            reverse("set_language"), {"language": "fr", "next": "/"}, **same_origin
        )
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"]
