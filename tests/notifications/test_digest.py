from __future__ import annotations

import pytest
from django.core import mail

from notifications.kinds import EmailChoice
from notifications.models import DigestItem, EmailDelivery
from notifications.services import preference_set
from notifications.tasks import send_digests
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_daily_digest_gathers_everything_in_one_email_once(
    announce, django_capture_on_commit_callbacks
):
    daily, other_daily, immediate = UserFactory.create_batch(3)
    for user in (daily, other_daily):
        preference_set(user=user, kind="notifications.announcement", email="daily")
    target = OrganisationFactory()
    announce([daily, immediate], title="Première annonce", target=target)
    announce([daily, other_daily], title="Seconde annonce")
    assert [m.to for m in mail.outbox] == [[immediate.email]]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.apply().get() == 2

    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {daily.email, other_daily.email}
    digest = by_address[daily.email]
    assert "2 notifications" in digest.subject
    assert "Première annonce" in digest.body
    assert "Seconde annonce" in digest.body
    assert f"http://127.0.0.1:8000{target.get_absolute_url()}" in digest.body
    html = digest.alternatives[0][0]
    assert "Première annonce" in html and "Seconde annonce" in html
    assert "/notifications/preferences/" in html
    assert not DigestItem.objects.filter(delivery__isnull=True).exists()

    # A second run (beat fired twice, task redelivered) sends nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.apply().get() == 0
    assert mail.outbox == []
    assert EmailDelivery.objects.filter(kind="notifications.digest").count() == 2


def test_no_digest_for_people_who_said_never_or_immediately(announce):
    never = UserFactory()
    preference_set(
        user=never, kind="notifications.announcement", email=EmailChoice.NEVER
    )
    announce([never, UserFactory()])
    mail.outbox.clear()
    assert send_digests.apply().get() == 0
    assert mail.outbox == []
