from __future__ import annotations

from http import HTTPStatus

import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_missing_page_is_answered_in_french_in_the_site_layout(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    content = response.content.decode()
    assert "Page introuvable" in content
    assert 'class="site-header"' in content


def test_forbidden_page_is_answered_in_french(client, user, organisation):
    # A signed-in person who is not a référent of the structure cannot manage it.
    client.force_login(user)
    response = client.get(f"/membres/structures/{organisation.slug}/gerer/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Accès refusé" in response.content.decode()


def test_server_error_page_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        content = render_to_string("500.html")
    assert "Erreur du serveur" in content
