from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from members.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = "members:account"


def test_account_requires_login(client):
    response = client.get(reverse(URL))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response["Location"]


def test_a_person_edits_their_details_and_visibility(client, user):
    shown = MembershipFactory(user=user, show_in_directory=True)
    hidden = MembershipFactory(user=user, show_in_directory=False)
    client.force_login(user)
    page = client.get(reverse(URL)).content.decode()
    assert f'name="visible_{shown.pk}"' in page and "checked" in page
    response = client.post(
        reverse(URL),
        {
            "first_name": "Inès",
            "last_name": "Morvan",
            "job_title": "Directrice",
            "phone": "04 72 00 00 00",
            f"visible_{hidden.pk}": "on",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.job_title, user.phone) == (
        "Inès",
        "Morvan",
        "Directrice",
        "+33472000000",  # E.164, like every phone of the platform
    )
    shown.refresh_from_db()
    hidden.refresh_from_db()
    assert not shown.show_in_directory and hidden.show_in_directory
    profile = client.get(hidden.organisation.get_absolute_url()).content.decode()
    assert "Inès Morvan, Directrice" in profile
    assert '<a href="tel:+33472000000">04 72 00 00 00</a>' in profile


@pytest.mark.parametrize(
    "data",
    [
        {"first_name": ""},
        {"first_name": "x" * 100_000},
        {"phone": "٠٤ ٧٢"},
        {"phone": "appelez-moi"},
    ],
)
def test_bad_details_change_nothing(client, user, data):
    before = (user.first_name, user.phone, user.job_title)
    client.force_login(user)
    fields = {"first_name": "Inès", "last_name": "Morvan", "phone": "", **data}
    response = client.post(reverse(URL), fields)
    assert response.status_code == HTTPStatus.OK
    assert 'class="error-summary"' in response.content.decode()
    user.refresh_from_db()
    assert (user.first_name, user.phone, user.job_title) == before


def test_nul_bytes_are_refused(client, user):
    client.force_login(user)
    data = {"first_name": "A", "last_name": "B", "job_title": "nul\x00"}
    assert client.post(reverse(URL), data).status_code == HTTPStatus.BAD_REQUEST
    user.refresh_from_db()
    assert user.job_title == ""


def test_foreign_memberships_cannot_be_changed(client, user):
    other = MembershipFactory(show_in_directory=False)
    client.force_login(user)
    client.post(
        reverse(URL),
        {"first_name": "A", "last_name": "B", f"visible_{other.pk}": "on"},
    )
    other.refresh_from_db()
    assert not other.show_in_directory


def test_account_page_query_count(client, user, django_assert_max_num_queries):
    MembershipFactory.create_batch(5, user=user, role=Membership.Role.MEMBER)
    client.force_login(user)
    with django_assert_max_num_queries(16):  # 5 of them: the layout's, cold
        assert client.get(reverse(URL)).status_code == HTTPStatus.OK


def test_checkbox_labels_take_no_colon(client, organisation, referent):
    """A checkbox's label follows the box: « … dans l’annuaire », not « … : »."""
    client.force_login(referent)
    pages = [
        client.get(reverse("members:account")).content.decode(),
        client.get(
            reverse("members:organisation_manage", args=[organisation.slug])
        ).content.decode(),
    ]
    for html in pages:
        assert "dans l’annuaire</label>" in html
        assert "l’annuaire\xa0:" not in html
