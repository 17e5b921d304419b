from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from notifications.kinds import EmailChoice
from notifications.models import DigestItem, EmailDelivery, Notification, Preference
from notifications.services import email_enqueue, notify, preference_set
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_notify_writes_nothing_when_the_callers_transaction_rolls_back():
    users = UserFactory.create_batch(2)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        notify(users, "notifications.announcement", {"title": "T", "message": "M"})
        assert Notification.objects.count() == 2
        raise Abort
    assert Notification.objects.count() == 0
    assert EmailDelivery.objects.count() == 0
    assert mail.outbox == []


def test_notify_sends_french_html_and_text_with_one_click_unsubscribe(announce):
    recipient = UserFactory(first_name="Awa", last_name="Diallo")
    target = OrganisationFactory(name="La Recyclerie")
    notifications = announce([recipient], title="Fermeture <estivale>", target=target)

    notification = notifications[0]
    assert notification.recipient == recipient
    assert notification.url == target.get_absolute_url()
    assert notification.target == target
    assert notification.text == (
        "Annonce de l’équipe de coordination\u00a0: Fermeture <estivale>"
    )
    (message,) = mail.outbox
    assert message.to == [recipient.email]
    assert message.subject == "[PTCE] Fermeture <estivale>"
    assert "Bonjour Awa Diallo" in message.body
    assert "&lt;" not in message.body  # plain text is not HTML-escaped
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Fermeture &lt;estivale&gt;" in html  # …and the HTML part is
    assert '<html lang="fr">' in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://127.0.0.1:8000/notifications/desabonnement/")
    assert unsubscribe.strip("<>") in html
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    delivery = EmailDelivery.objects.get()
    assert delivery.status == EmailDelivery.Status.SENT
    assert delivery.attempts == 1
    assert message.extra_headers["Message-ID"] == f"<delivery-{delivery.pk}@localhost>"


def test_notify_honours_each_persons_email_choice(announce):
    default, immediate, daily, never = UserFactory.create_batch(4)
    for user, choice in [
        (immediate, EmailChoice.IMMEDIATE),
        (daily, EmailChoice.DAILY),
        (never, EmailChoice.NEVER),
    ]:
        preference_set(user=user, kind="notifications.announcement", email=choice)
    inactive = UserFactory(is_active=False)

    # Duplicates are told once; inactive accounts are not told at all.
    announce([default, immediate, daily, never, inactive, default])

    assert Notification.objects.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [default.email, immediate.email]
    )
    item = DigestItem.objects.get()
    assert item.recipient == daily
    assert item.delivery is None
    assert item.subject == "[PTCE] Assemblée générale"


def test_account_emails_cannot_be_switched_off():
    user = UserFactory()
    with pytest.raises(ValueError):
        preference_set(user=user, kind="account", email=EmailChoice.NEVER)
    with pytest.raises(ValueError):
        preference_set(user=user, kind="notifications.announcement", email="weekly")
    with pytest.raises(LookupError):
        preference_set(user=user, kind="no.such.kind", email=EmailChoice.NEVER)
    assert not Preference.objects.exists()


def test_notify_rejects_an_unknown_kind():
    with pytest.raises(LookupError):
        notify([UserFactory()], "no.such.kind")
    assert not Notification.objects.exists()


def test_notify_queries_do_not_grow_with_recipients(
    django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    few = UserFactory.create_batch(3, verified=False)
    many = UserFactory.create_batch(60, verified=False)
    context = {"title": "T", "message": "M", "author": few[0]}
    notify([few[0]], "notifications.announcement", context)  # creates SiteIdentity
    with django_assert_max_num_queries(8) as few_queries:
        notify(few, "notifications.announcement", context)
    with django_assert_max_num_queries(8) as many_queries:
        notify(many, "notifications.announcement", context)
    assert len(many_queries.captured_queries) == len(few_queries.captured_queries)
    assert EmailDelivery.objects.count() == 64


def test_email_enqueue_queues_an_account_email_through_the_outbox(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        delivery = email_enqueue(
            to="nouvelle@exemple.fr",
            template_prefix="account/email/password_reset_key",
            context={"user": user, "password_reset_url": "http://x.test/reset/abc/"},
        )
    assert delivery.kind == "account"
    assert delivery.recipient == user
    # Account e-mails have no unsubscribe; From names the PTCE.
    assert delivery.headers == {"From": "PTCE <no-reply@localhost>"}
    (message,) = mail.outbox
    assert message.to == ["nouvelle@exemple.fr"]
    assert "http://x.test/reset/abc/" in message.body
    assert "http://x.test/reset/abc/" in message.alternatives[0][0]
    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
