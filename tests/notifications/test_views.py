from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications import selectors
from notifications.cached import FIRST_PAGE
from notifications.kinds import EmailChoice
from notifications.models import Announcement, Notification, Preference
from notifications.services import announcement_send
from ptce.personcache import person_forget
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def _notification(user, *, text="Une notification", url="", **fields) -> Notification:
    return Notification.objects.create(
        recipient=user, kind="notifications.announcement", text=text, url=url, **fields
    )


def test_the_bell_shows_the_unread_count_accessibly(client, user):
    _notification(user)
    _notification(user)
    _notification(user, read_at=timezone.now())
    _notification(UserFactory())
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Notifications, 2 non lues" in page
    assert '<span class="badge" aria-hidden="true">2</span>' in page
    assert f'href="{LIST}"' in page


def test_the_bell_is_not_shown_to_visitors(client):
    assert f'href="{LIST}"' not in client.get("/").content.decode()


def test_the_centre_needs_a_login(client):
    response = client.get(LIST)
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response["Location"]


def test_the_centre_lists_my_notifications_newest_first_grouped_by_day(
    client, user, django_assert_max_num_queries
):
    # Today's local noon: « now minus 5 minutes » fell on yesterday just after
    # midnight (Europe/Paris), and the test failed then.
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    _notification(user, text="Aujourd'hui A", created_at=now - timedelta(minutes=5))
    _notification(user, text="Aujourd'hui B", created_at=now)
    _notification(user, text="Hier", created_at=now - timedelta(days=1))
    _notification(
        user, text="Ancienne", created_at=now - timedelta(days=40), read_at=now
    )
    _notification(UserFactory(), text="Pas pour moi")
    client.force_login(user)
    page = client.get(LIST).content.decode()
    assert "Pas pour moi" not in page
    assert page.index("Aujourd&#x27;hui B") < page.index("Aujourd&#x27;hui A")
    assert (
        page.index("Aujourd&#x27;hui A") < page.index(">Hier<") < page.index("Ancienne")
    )
    assert "<h2" in page and ">Aujourd’hui<" in page or ">Aujourd'hui<" in page
    assert page.count('class="badge">Non lue<') == 3  # not colour alone


def test_items_show_their_local_time_under_their_local_day(client, user):
    """Stored in UTC, shown in the site's zone (Europe/Paris): 23:30 UTC on the
    14th is 00:30 on the 15th, under the 15th (on PostgreSQL and SQLite alike)."""
    _notification(
        user, text="Avant", created_at=datetime(2026, 1, 14, 22, 30, tzinfo=UTC)
    )
    _notification(
        user, text="Après", created_at=datetime(2026, 1, 14, 23, 30, tzinfo=UTC)
    )
    client.force_login(user)
    page = client.get(LIST).content.decode()
    assert '<time datetime="2026-01-15T00:30+01:00">00:30</time>' in page
    assert '<time datetime="2026-01-14T23:30+01:00">23:30</time>' in page
    assert (
        page.index(">Jeudi 15 janvier 2026<")
        < page.index(">Après<")
        < page.index(">Mercredi 14 janvier 2026<")
        < page.index(">Avant<")
    )


def test_the_centres_page_query_gives_the_orms_rows(user):
    """selectors.notification_page's own statement: the same rows, values (aware
    datetimes) and order as the ORM's notifications_for(), page by page."""
    now = timezone.now()
    for n in range(7):
        _notification(
            user,
            text=f"N{n}",
            created_at=now - timedelta(hours=n % 3),  # ties: by id, newest first
            read_at=now if n % 2 else None,
        )
    _notification(UserFactory(), text="Pas pour moi")
    expected = list(
        selectors.notifications_for(user=user).values_list(
            "pk", "text", "created_at", "read_at"
        )
    )
    pages = [
        selectors.notification_page(user=user, offset=offset, limit=3)
        for offset in (0, 3, 6, 9)
    ]
    assert [list(row) for page in pages for row in page] == [
        list(row) for row in expected
    ]
    assert [len(page) for page in pages] == [3, 3, 1, 0]
    assert all(timezone.is_aware(row[2]) for page in pages for row in page)


def test_the_centre_is_paginated_with_a_fixed_number_of_queries(
    client, user, django_assert_max_num_queries
):
    few_user = UserFactory()
    _notification(few_user)
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="notifications.announcement", text=f"N{i}")
        for i in range(120)
    )
    client.force_login(few_user)
    client.get(LIST)  # warm-up: creates the site's settings rows
    person_forget(FIRST_PAGE, [few_user.pk])  # its rows read again, as after a change
    with django_assert_max_num_queries(1) as few:  # the page (the user: ptce.auth)
        client.get(LIST)
    client.force_login(user)
    client.get(LIST)  # warm-up: this person's cached header items
    person_forget(FIRST_PAGE, [user.pk])
    with django_assert_max_num_queries(1) as many:
        response = client.get(LIST)
    assert "Page 1 sur 5" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries) == 1
    with django_assert_max_num_queries(1) as later:
        response = client.get(LIST, {"page": 2})
    assert response.status_code == HTTPStatus.OK
    assert "Page 2 sur 5" in response.content.decode()
    assert len(later.captured_queries) == len(few.captured_queries)


def test_opening_a_notification_marks_it_read_and_leads_to_its_object(client, user):
    organisation = OrganisationFactory()
    notification = _notification(user, url=organisation.get_absolute_url())
    client.force_login(user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == organisation.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_cannot_be_opened_or_marked(client, user):
    notification = _notification(UserFactory())
    client.force_login(user)
    for name, method in [
        ("notifications:open", "get"),
        ("notifications:read_one", "post"),
    ]:
        response = getattr(client, method)(reverse(name, args=[notification.pk]))
        assert response.status_code == HTTPStatus.FORBIDDEN
    # The centre's form names the notification: another person's id is refused too.
    response = client.post(
        reverse("notifications:read"), {"notification": notification.pk}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("value", [None, "", "abc", "999999", "99999999999999999999"])
def test_marking_no_or_an_unknown_notification_is_not_found(client, user, value):
    mine = _notification(user)
    client.force_login(user)
    data = {} if value is None else {"notification": value}
    response = client.post(reverse("notifications:read"), data)
    assert response.status_code == HTTPStatus.NOT_FOUND
    mine.refresh_from_db()
    assert mine.read_at is None


def test_an_external_url_is_never_followed(client, user):
    notification = _notification(user, url="https://evil.example/")
    client.force_login(user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == LIST


def test_mark_one_and_all_as_read(user):
    first, second, third = (_notification(user) for _ in range(3))
    other = _notification(UserFactory())
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    # CSRF is enforced on these POSTs.
    refused = client.post(reverse("notifications:read_all"))
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert Notification.objects.filter(read_at__isnull=True).count() == 4

    refused = client.post(reverse("notifications:read"), {"notification": first.pk})
    assert refused.status_code == HTTPStatus.FORBIDDEN
    first.refresh_from_db()
    assert first.read_at is None

    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("notifications:read"),
        {"notification": first.pk, "next": LIST},
        follow=True,
    )
    assert "La notification est marquée comme lue." in response.content.decode()
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notification.objects.filter(read_at__isnull=True).count() == 3
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "Toutes vos notifications sont marquées comme lues." in (
        response.content.decode()
    )
    assert not Notification.objects.filter(
        recipient=user, read_at__isnull=True
    ).exists()
    other.refresh_from_db()
    assert other.read_at is None
    assert "Tout marquer comme lu" not in client.get(LIST).content.decode()
    del second, third


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_the_centre_is_one_form_with_a_named_button_per_unread_item(client, user):
    """One form and one CSRF token for the page, not one per unread item; each
    button carries its notification's id and names it for screen readers."""
    read = _notification(user, text="Déjà lue", read_at=timezone.now())
    first = _notification(user, text="Réunion <jeudi>")
    second = _notification(user, text="Atelier")
    client.force_login(user)
    main = _main(client.get(LIST).content.decode())
    assert main.count("<form") == 1
    assert main.count('name="csrfmiddlewaretoken"') == 1
    assert f'<form method="post" action="{reverse("notifications:read")}">' in main
    assert f'formaction="{reverse("notifications:read_all")}"' in main
    assert f'<input type="hidden" name="next" value="{LIST}">' in main
    assert main.count('name="notification"') == 2
    for notification in (first, second):
        assert f'name="notification" value="{notification.pk}"' in main
    assert f'value="{read.pk}"' not in main
    assert (
        'Marquer comme lue<span class="visually-hidden"> : Réunion &lt;jeudi&gt;'
        "</span></button>"
    ) in main
    assert "<jeudi>" not in main
    assert f'href="{reverse("notifications:open", args=[read.pk])}"' in main


def test_the_page_form_marks_one_read_with_its_csrf_token_and_the_bell_follows(user):
    """Without JavaScript: the page's own form, CSRF enforced, posts the pressed
    button's notification; the bell counts one less on the page it leads to."""
    mine = [_notification(user, text=f"Note {n}") for n in range(3)]
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(LIST).content.decode()
    assert "Notifications, 3 non lues" in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(
        reverse("notifications:read"),
        {"csrfmiddlewaretoken": token, "next": LIST, "notification": mine[1].pk},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "La notification est marquée comme lue." in page
    assert "Notifications, 2 non lues" in page
    assert f'name="notification" value="{mine[1].pk}"' not in page
    assert [n.pk for n in Notification.objects.filter(read_at__isnull=False)] == [
        mine[1].pk
    ]
    # Without the token, nothing is marked.
    refused = client.post(reverse("notifications:read"), {"notification": mine[0].pk})
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_marking_from_a_later_page_comes_back_to_it(client, user):
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="notifications.announcement", text=f"N{i}")
        for i in range(30)
    )
    client.force_login(user)
    second = f"{LIST}?page=2"
    page = client.get(second).content.decode()
    assert f'<input type="hidden" name="next" value="{LIST}?page=2">' in page
    pk = int(re.search(r'name="notification" value="(\d+)"', page)[1])
    response = client.post(
        reverse("notifications:read"), {"notification": pk, "next": second}
    )
    assert response["Location"] == second
    response = client.post(reverse("notifications:read_all"), {"next": second})
    assert response["Location"] == second
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    # Another site is never a destination.
    response = client.post(
        reverse("notifications:read_all"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == LIST


def test_preferences_page_saves_one_choice_per_kind(client, user):
    url = reverse("notifications:preferences")
    client.force_login(user)
    page = client.get(url).content.decode()
    assert "<legend" in page and "Annonces de l’équipe de coordination" in page
    assert re.search(  # the kind's default
        r'name="notifications.announcement" value="immediate"[^>]* checked', page
    )
    assert "Compte" not in page  # account e-mails are not configurable

    response = client.post(
        url, {"notifications.announcement": EmailChoice.DAILY}, follow=True
    )
    assert response.status_code == HTTPStatus.OK
    assert "Vos préférences d’e-mail sont enregistrées." in response.content.decode()
    assert (
        Preference.objects.get(user=user, kind="notifications.announcement").email
        == EmailChoice.DAILY
    )


def test_preferences_reject_a_bad_choice_and_change_nothing(client, user):
    client.force_login(user)
    response = client.post(
        reverse("notifications:preferences"),
        {"notifications.announcement": "weekly"},
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert 'class="error-summary" role="alert"' in page
    assert not Preference.objects.exists()


def test_preferences_need_a_login(client):
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == HTTPStatus.FOUND


ANNOUNCE = reverse("notifications:announcement")


def test_a_coordinator_sends_an_announcement_to_everyone(
    client, coordinator, django_capture_on_commit_callbacks
):
    people = UserFactory.create_batch(3)
    client.force_login(coordinator)
    assert client.get(ANNOUNCE).status_code == HTTPStatus.OK
    text = {"title": "Fête du PTCE", "message": "Samedi à 15 h."}
    # A preview first, and the question: nothing is sent yet.
    preview = client.post(ANNOUNCE, {**text, "step": "preview"}).content.decode()
    assert "Envoyer à 4 personnes\u00a0?" in preview
    assert "Samedi à 15 h." in preview
    assert not Notification.objects.exists()
    # Back to the text keeps it, still sends nothing.
    edit = client.post(ANNOUNCE, {**text, "step": "edit"}).content.decode()
    assert "Fête du PTCE" in edit and not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ANNOUNCE, {**text, "step": "send"}, follow=True)
    assert "L’annonce a été envoyée à 4 personnes." in response.content.decode()
    announcement = Announcement.objects.get()
    assert response.redirect_chain[-1][0] == announcement.get_absolute_url()
    assert announcement.recipients_count == 4
    notifications = Notification.objects.filter(recipient__in=people)
    assert notifications.count() == 3
    # The notification leads to the announcement's own page.
    assert {n.url for n in notifications} == {announcement.get_absolute_url()}
    assert len(mail.outbox) == 4
    assert "Samedi à 15 h." in mail.outbox[0].body
    assert announcement.get_absolute_url() in mail.outbox[0].body


def test_announcement_page_and_archive_are_for_members(
    client, user, coordinator, django_assert_max_num_queries
):
    for n in range(3):
        announcement_send(author=coordinator, title=f"Annonce {n}", message="Texte")
    announcement = Announcement.objects.first()
    detail = reverse("notifications:announcement_detail", args=[announcement.pk])
    archive = reverse("notifications:announcement_list")
    assert client.get(detail).status_code == HTTPStatus.FOUND  # to the login
    assert client.get(archive).status_code == HTTPStatus.FOUND
    client.force_login(user)
    client.get(archive)  # warm-up: the layout's menu and footer links
    with django_assert_max_num_queries(12):
        page = client.get(detail)
    assert "Texte" in page.content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(archive).content.decode()
    assert page.index("Annonce 2") < page.index("Annonce 0")
    assert "Envoyer une annonce" not in page
    missing = reverse("notifications:announcement_detail", args=[999_999])
    assert client.get(missing).status_code == HTTPStatus.NOT_FOUND


def test_announcements_are_for_coordinators_only(client, user):
    assert client.get(ANNOUNCE).status_code == HTTPStatus.FOUND  # to the login
    client.force_login(user)
    response = client.post(ANNOUNCE, {"title": "T", "message": "M", "step": "send"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Notification.objects.exists()


def test_an_incomplete_announcement_is_not_sent(client, coordinator):
    client.force_login(coordinator)
    response = client.post(ANNOUNCE, {"title": "", "message": "M", "step": "send"})
    page = response.content.decode()
    assert 'class="error-summary" role="alert"' in page
    assert 'aria-invalid="true"' in page
    assert not Notification.objects.exists()


def test_an_unknown_step_sends_nothing(client, coordinator):
    client.force_login(coordinator)
    client.post(ANNOUNCE, {"title": "T", "message": "M", "step": "envoyer"})
    assert not Announcement.objects.exists()


def test_coordinators_kinds_are_hidden_from_others_preferences(client, user):
    from django.contrib.auth.models import Group

    client.force_login(user)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="members.organisation_application"' not in page
    assert 'name="home.contact_message"' not in page
    assert 'name="notifications.announcement"' in page
    # Posting a hidden kind anyway changes nothing.
    client.post(
        reverse("notifications:preferences"),
        {"members.organisation_application": EmailChoice.NEVER},
    )
    assert not Preference.objects.filter(user=user).exists()
    user.groups.add(Group.objects.get_or_create(name="Coordinateurs")[0])
    page = Client()
    page.force_login(user)
    html = page.get(reverse("notifications:preferences")).content.decode()
    assert 'name="members.organisation_application"' in html
