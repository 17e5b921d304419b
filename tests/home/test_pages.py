from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_is_served_in_french(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert '<html lang="fr">' in response.content.decode()
    assert "Passer au contenu principal" in response.content.decode()


def test_language_switcher_serves_english(client):
    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": "/"},
        headers={"Origin": "http://testserver"},  # as every browser sends it
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert '<html lang="en">' in response.content.decode()
