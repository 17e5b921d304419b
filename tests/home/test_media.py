from __future__ import annotations

import importlib
from http import HTTPStatus

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

import config.urls


@pytest.fixture
def media_served(settings, tmp_path):
    # urls.py reads SERVE_MEDIA at import: reload it under the setting, then restore.
    settings.SERVE_MEDIA = True
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "logo.txt").write_text("logo")
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    with override_settings(SERVE_MEDIA=False):
        importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_uploaded_media_are_served_when_configured(client, media_served):
    response = client.get("/media/logo.txt")
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == b"logo"
    traversal = client.get("/media/../settings.py")
    assert traversal.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND)
