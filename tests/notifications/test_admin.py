from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from notifications.models import EmailDelivery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("email_deliveries:index")


def _delivery(status) -> EmailDelivery:
    return EmailDelivery.objects.create(
        to_address="dest@exemple.fr",
        kind="notifications.announcement",
        subject=f"Sujet {status}",
        body_text="Texte",
        status=status,
        attempts=5,
        last_error="SMTPServerDisconnected",
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_the_outbox_is_listed_read_only_with_a_status_filter(client, admin_user):
    _delivery(EmailDelivery.Status.SENT)
    _delivery(EmailDelivery.Status.FAILED)
    client.force_login(admin_user)
    response = client.get(INDEX, {"status": "failed"})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Sujet failed" in page and "Sujet sent" not in page
    # Nobody writes the outbox by hand, not even a superuser.
    assert client.get(reverse("email_deliveries:add")).status_code in (
        HTTPStatus.FORBIDDEN,
        HTTPStatus.FOUND,
    )
    assert not EmailDelivery.objects.filter(subject="").exists()


def test_a_failed_delivery_is_resent_from_the_admin(
    client, admin_user, django_capture_on_commit_callbacks
):
    failed = _delivery(EmailDelivery.Status.FAILED)
    sent = _delivery(EmailDelivery.Status.SENT)
    client.force_login(admin_user)
    url = reverse("notifications_delivery_resend", args=[failed.pk])
    assert client.get(url).status_code == HTTPStatus.OK
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == HTTPStatus.FOUND
    failed.refresh_from_db()
    assert failed.status == EmailDelivery.Status.SENT
    assert failed.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Sujet failed"]
    # A delivery that did not fail cannot be "resent".
    already = reverse("notifications_delivery_resend", args=[sent.pk])
    refused = client.post(already)
    # Wagtail's admin turns PermissionDenied into a redirect with an error message.
    assert refused.status_code == HTTPStatus.FOUND
    assert refused["Location"] == reverse("wagtailadmin_home")
    assert len(mail.outbox) == 1


def test_coordinators_see_the_outbox_members_do_not(client):
    coordinator = UserFactory()
    coordinator.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_emaildelivery"])
    )
    _delivery(EmailDelivery.Status.FAILED)
    client.force_login(coordinator)
    assert client.get(INDEX).status_code == HTTPStatus.OK

    member = UserFactory()
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(member)
    assert client.get(INDEX).status_code != HTTPStatus.OK
    failed = EmailDelivery.objects.get()
    resend = reverse("notifications_delivery_resend", args=[failed.pk])
    assert client.post(resend)["Location"] == reverse("wagtailadmin_home")
    failed.refresh_from_db()
    assert failed.status == EmailDelivery.Status.FAILED
