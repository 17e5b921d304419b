from __future__ import annotations

import json
from http import HTTPStatus
from unittest import mock

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_is_ok_and_never_cached(client, settings):
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get(reverse("home:health"))
    assert response.status_code == HTTPStatus.OK
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "disabled"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_cache_failure_gives_503_without_details(client):
    with mock.patch(
        "home.health.cache.get", side_effect=ConnectionError("redis://secret@host")
    ):
        response = client.get(reverse("home:health"))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert body["checks"]["cache"] == "error"
    assert body["checks"]["database"] == "ok"
    assert "secret" not in response.content.decode()


def test_cache_returning_wrong_value_is_an_error(client):
    with mock.patch("home.health.cache.get", return_value=None):
        response = client.get(reverse("home:health"))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE


def test_unreachable_broker_gives_503(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    connection = mock.MagicMock()
    connection.__enter__.return_value.ensure_connection.side_effect = OSError("down")
    with mock.patch("config.celery.app.connection_for_write", return_value=connection):
        response = client.get(reverse("home:health"))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert json.loads(response.content)["checks"]["broker"] == "error"
    ensure = connection.__enter__.return_value.ensure_connection
    assert ensure.call_args.kwargs["timeout"] == 2


def test_reachable_broker_is_ok(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with mock.patch("config.celery.app.connection_for_write"):
        response = client.get(reverse("home:health"))
    assert response.status_code == HTTPStatus.OK
    assert json.loads(response.content)["checks"]["broker"] == "ok"


def test_database_failure_gives_503(client):
    with mock.patch("home.health.check_database", side_effect=RuntimeError("db")):
        response = client.get(reverse("home:health"))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert json.loads(response.content)["checks"]["database"] == "error"
