"""E-mails that carry a key are never readable by another person (issue 6, high)."""

from __future__ import annotations

import re
from collections import deque
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.permissions import COORDINATORS_GROUP
from notifications import services
from notifications.kinds import ACCOUNT, secret_kinds
from notifications.models import EmailDelivery
from notifications.permissions import can_resend_delivery
from ptce.roles import ensure_groups
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Links in href attributes and in the JSON of Wagtail's sidebar menu alike.
ADMIN_LINK = re.compile(r"""["'](/cms/[^"'\s<>\\]*)["']""")
# Links a crawl must not follow: they change state on GET or leave the session.
SKIP = ("/cms/logout/", "/delete/", "/unpublish/", "/lock/", "/unlock/")


def _delivery(kind: str, **fields) -> EmailDelivery:
    return EmailDelivery.objects.create(
        to_address="dest@exemple.fr",
        kind=kind,
        subject="Sujet",
        body_text="Clé : https://ptce.example/comptes/password/reset/key/1-abc/",
        body_html="<p>Clé</p>",
        **fields,
    )


def test_account_and_invitation_kinds_are_secret():
    assert {ACCOUNT, "members.invitation"} <= set(secret_kinds())
    assert "notifications.announcement" not in secret_kinds()
    assert services.sent_body_fields(ACCOUNT) == {"body_text": "", "body_html": ""}
    assert services.sent_body_fields("notifications.announcement") == {}
    assert services.sent_body_fields("no.such.kind") == {}


def test_a_sent_secret_email_keeps_its_metadata_not_its_body():
    secret = _delivery(ACCOUNT)
    ordinary = _delivery("notifications.announcement")
    for delivery in (secret, ordinary):
        assert services.delivery_send(delivery_id=delivery.pk).status == "sent"
    # What was sent was the full e-mail…
    assert all("reset/key/1-abc" in message.body for message in mail.outbox)
    secret.refresh_from_db()
    ordinary.refresh_from_db()
    # …but the outbox forgets the key once it is out.
    assert (secret.body_text, secret.body_html) == ("", "")
    assert (secret.status, secret.to_address, secret.kind, secret.attempts) == (
        EmailDelivery.Status.SENT,
        "dest@exemple.fr",
        ACCOUNT,
        1,
    )
    assert secret.sent_at is not None
    assert "reset/key" in ordinary.body_text


def test_the_sweeper_forgets_failed_secret_bodies_after_the_retention():
    now = timezone.now()
    old = now - services.SECRET_BODY_RETENTION - timedelta(hours=1)
    stale_failed = _delivery(
        ACCOUNT, status=EmailDelivery.Status.FAILED, created_at=old
    )
    fresh_failed = _delivery(ACCOUNT, status=EmailDelivery.Status.FAILED)
    old_ordinary = _delivery(
        "notifications.announcement", status=EmailDelivery.Status.FAILED, created_at=old
    )
    pending = _delivery(ACCOUNT)
    services.outbox_sweep()
    for row in (stale_failed, fresh_failed, old_ordinary, pending):
        row.refresh_from_db()
    assert stale_failed.body_text == "" and stale_failed.body_html == ""
    # Still needed: a failed one may be resent, a pending one is not sent yet.
    assert fresh_failed.body_text and pending.body_text and old_ordinary.body_text
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert can_resend_delivery(admin, fresh_failed)
    assert not can_resend_delivery(admin, stale_failed)


def _coordinator():
    user = UserFactory()
    ensure_groups()  # the group with its real permissions, as after migrate
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    return user


def _crawl(client, start: str, limit: int = 400):
    """Every admin page reachable by links from `start`: yields (url, response).

    One visit per path: sorting and filtering variants of a listing show the same
    rows, and the machine is shared.
    """
    seen = {start}
    queue = deque([start])
    while queue and len(seen) <= limit:
        url = queue.popleft()
        response = client.get(url)
        if response.streaming:  # files (images, documents): no admin data inside
            continue
        yield url, response
        if response.status_code != HTTPStatus.OK or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        for href in ADMIN_LINK.findall(response.content.decode()):
            parts = urlsplit(urldefrag(href.replace("&amp;", "&"))[0])
            link = parts.path
            if parts.netloc or not parts.path.startswith("/cms/"):
                continue
            if any(skip in parts.path for skip in SKIP) or link in seen:
                continue
            seen.add(link)
            queue.append(link)


def test_no_admin_page_a_coordinator_reaches_shows_a_password_reset_key(
    client, settings
):
    victim = UserFactory(is_superuser=True, is_staff=True, email="chef@exemple.fr")
    # Anyone, signed out, asks for a reset of the superuser's password.
    response = client.post(reverse("account_reset_password"), {"email": victim.email})
    assert response.status_code == HTTPStatus.FOUND
    delivery = EmailDelivery.objects.get(to_address=victim.email)
    key_path = re.search(r"/comptes/password/reset/key/(\S+?)/", delivery.body_text)
    assert key_path, delivery.body_text
    key = key_path.group(1)
    token = key.split("-", 1)[1]

    client.force_login(_coordinator())
    pages = dict(_crawl(client, reverse("wagtailadmin_home")))
    outbox_pages = [url for url in pages if url.startswith("/cms/email_deliveries/")]
    inspect = reverse("email_deliveries:inspect", args=[delivery.pk])
    assert inspect in outbox_pages, "the crawl must reach the delivery's own page"
    assert len(pages) > 20
    for url, response in pages.items():
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, url
        content = response.content.decode(errors="replace")
        assert token not in content, url
        assert "password/reset/key" not in content, url
    # The metadata stays visible.
    page = pages[inspect].content.decode()
    assert victim.email in page and delivery.subject in page
