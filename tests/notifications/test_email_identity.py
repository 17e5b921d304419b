from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core import mail
from django.urls import reverse

from ptce.models import SiteIdentity
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def identity():
    identity = SiteIdentity.load()
    identity.name = "PTCE Rives Solidaires"
    identity.save()
    return identity


def test_account_emails_name_the_ptce_not_example_com(
    client, identity, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://rives.example.org"
    settings.DEFAULT_FROM_EMAIL = "PTCE <no-reply@rives.example.org>"
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    message = mail.outbox[0]
    assert "example.com" not in message.body and "example.com" not in message.subject
    assert "PTCE Rives Solidaires" in message.body
    assert "rives.example.org" in message.body
    sent = message.message()
    assert sent["From"] == "PTCE Rives Solidaires <no-reply@rives.example.org>"


def test_notification_emails_come_from_the_ptce(identity, announce):
    announce([UserFactory()])
    assert mail.outbox[0].message()["From"].startswith("PTCE Rives Solidaires <")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORT": "8101"}, "http://127.0.0.1:8101"),
        ({"HOST": "0.0.0.0", "PORT": "8107"}, "http://0.0.0.0:8107"),
        (
            {"PORT": "8101", "SITE_URL": "https://ptce.example.org/"},
            "https://ptce.example.org",
        ),
    ],
)
def test_site_url_follows_the_development_address(env, expected):
    clean = {
        k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "SITE_URL")
    }
    code = "from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == expected
