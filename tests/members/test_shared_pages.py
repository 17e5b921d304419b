"""The directory and the profiles are shared fragments (per content version), the
viewer's part comes from their cached standing (members.standing): a warm page
costs the user's row only, a change shows at once, and nobody sees another
person's part."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from members import services
from members.models import JoinRequest, Membership, Organisation
from members.permissions import COORDINATORS_GROUP
from ptce.models import SiteIdentity
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:organisation_list")
DASHBOARD = reverse("members:dashboard")
MEMBER_TEXT = "Vous agissez déjà pour cette structure."
ASK = "Demander à rejoindre"
MANAGE = "Gérer cette structure"
PENDING = "en attente de la réponse"
LOGIN_TO_ASK = "Connectez-vous pour demander à rejoindre"


@pytest.fixture(autouse=True)
def _identity(db):
    SiteIdentity.load()  # created by the first page otherwise: a content change


def _page(client: Client, url: str, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_warm_directory_profile_and_dashboard_cost_no_query(
    organisation, django_assert_num_queries
):
    """Fails on the code before: 3, 6 and 5 queries. (The person's row comes from
    the cache too: ptce.auth.)"""
    OrganisationFactory.create_batch(25)
    person = MembershipFactory(organisation=organisation).user
    JoinRequest.objects.create(user=person, organisation=OrganisationFactory())
    client = _signed_in(person)
    for url, query in (
        (DIRECTORY, {}),
        (DIRECTORY, {"page": "2"}),
        (DIRECTORY, {"category": "ess", "q": "structure"}),
        (organisation.get_absolute_url(), {}),
        (DASHBOARD, {}),
    ):
        _page(client, url, **query)
        with django_assert_num_queries(0):
            _page(client, url, **query)


def test_a_structure_edit_shows_at_once_in_the_directory_and_its_profile(
    client, organisation, django_assert_num_queries
):
    referent = MembershipFactory(
        organisation=organisation, role=Membership.Role.REFERENT
    ).user
    viewer = _signed_in(UserFactory())
    referent_client = _signed_in(referent)
    before = organisation.name
    assert before in _page(referent_client, DASHBOARD)  # their standing, cached
    assert before in _page(viewer, DIRECTORY)
    assert before in _page(viewer, organisation.get_absolute_url())
    assert before in _page(client, organisation.get_absolute_url())  # a visitor
    # A référent edits the profile (a service), a coordinator renames (the admin).
    services.organisation_update_profile(
        organisation=organisation,
        by=referent,
        data={"summary": "Vrac et circuit court", "city": "Vaulx-en-Velin"},
    )
    organisation.refresh_from_db()
    organisation.name = "Épicerie du Canal"
    organisation.save()
    for page in (
        _page(viewer, DIRECTORY),
        _page(viewer, DIRECTORY, q="epicerie"),
        _page(viewer, organisation.get_absolute_url()),
        _page(client, organisation.get_absolute_url()),
    ):
        assert "Épicerie du Canal" in page and before not in page
    profile = _page(viewer, organisation.get_absolute_url())
    assert "Vrac et circuit court" in profile and "Vaulx-en-Velin" in profile
    assert "Vaulx-en-Velin" in _page(viewer, DIRECTORY)
    # Its referent's Mon espace, cached per person, follows the name too.
    dashboard = _page(referent_client, DASHBOARD)
    assert "Épicerie du Canal" in dashboard and before not in dashboard


def test_a_bulk_rename_shows_at_once_in_the_cached_directory(organisation):
    viewer = _signed_in(UserFactory())
    assert organisation.name in _page(viewer, DIRECTORY)
    Organisation.objects.filter(pk=organisation.pk).update(name="Zèbre coopératif")
    assert "Zèbre coopératif" in _page(viewer, DIRECTORY)
    assert "Zèbre coopératif" in _page(viewer, organisation.get_absolute_url())


def test_a_structure_leaving_the_directory_is_gone_at_once(organisation):
    viewer = _signed_in(UserFactory())
    assert organisation.name in _page(viewer, DIRECTORY)
    _page(viewer, organisation.get_absolute_url())
    organisation.status = Organisation.Status.FORMER
    organisation.save()
    assert organisation.name not in _page(viewer, DIRECTORY)
    response = viewer.get(organisation.get_absolute_url())
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_each_viewer_sees_their_own_part_of_a_cached_profile(organisation):
    """Member, référent, coordinator, stranger, applicant and visitor read the same
    cached body one after the other; each gets their own part, never another's."""
    url = organisation.get_absolute_url()
    member = MembershipFactory(organisation=organisation).user
    referent = MembershipFactory(
        organisation=organisation, role=Membership.Role.REFERENT
    ).user
    coordinator = UserFactory()
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    stranger = UserFactory()
    applicant = UserFactory()
    JoinRequest.objects.create(user=applicant, organisation=organisation)

    pages = {
        "member": _page(_signed_in(member), url),
        "referent": _page(_signed_in(referent), url),
        "coordinator": _page(_signed_in(coordinator), url),
        "stranger": _page(_signed_in(stranger), url),
        "applicant": _page(_signed_in(applicant), url),
        "visitor": _page(Client(), url),
    }
    assert MEMBER_TEXT in pages["member"] and MANAGE not in pages["member"]
    assert MEMBER_TEXT in pages["referent"] and MANAGE in pages["referent"]
    assert MANAGE in pages["coordinator"] and ASK in pages["coordinator"]
    assert MEMBER_TEXT not in pages["coordinator"]
    assert ASK in pages["stranger"]
    assert MEMBER_TEXT not in pages["stranger"] and MANAGE not in pages["stranger"]
    assert PENDING in pages["applicant"] and ASK not in pages["applicant"]
    assert LOGIN_TO_ASK in pages["visitor"]
    for name, page in pages.items():
        assert organisation.name in page, name
        if name != "applicant":
            assert PENDING not in page, name
        if name != "visitor":
            assert LOGIN_TO_ASK not in page, name


def test_only_published_contacts_show_on_the_cached_profile(organisation):
    shown = MembershipFactory(organisation=organisation, show_in_directory=True)
    hidden = MembershipFactory(organisation=organisation, show_in_directory=False)
    url = organisation.get_absolute_url()
    for client in (_signed_in(hidden.user), Client(), _signed_in(shown.user)):
        page = _page(client, url)
        assert shown.user.display_name in page
        assert hidden.user.display_name not in page.split("<main")[1]


def test_a_contact_hiding_or_renaming_themselves_shows_at_once(organisation):
    contact = MembershipFactory(organisation=organisation, show_in_directory=True)
    url = organisation.get_absolute_url()
    viewer = _signed_in(UserFactory())
    assert contact.user.display_name in _page(viewer, url)
    services.account_update(
        user=contact.user,
        by=contact.user,
        details={
            "first_name": "Camille",
            "last_name": "Rivière",
            "job_title": "",
            "phone": "",
        },
        visibility={contact.pk: True},
    )
    assert "Camille Rivière" in _page(viewer, url)
    services.account_update(
        user=contact.user,
        by=contact.user,
        details={
            "first_name": "Camille",
            "last_name": "Rivière",
            "job_title": "",
            "phone": "",
        },
        visibility={contact.pk: False},
    )
    assert "Camille Rivière" not in _page(viewer, url)


def test_the_viewers_part_follows_their_memberships_requests_and_groups_at_once(
    organisation, on_commit
):
    url = organisation.get_absolute_url()
    person = UserFactory()
    client = _signed_in(person)
    assert ASK in _page(client, url)

    services.join_request_create(organisation=organisation, by=person)
    assert PENDING in _page(client, url)
    dashboard = _page(client, DASHBOARD)
    assert f"Demande pour rejoindre {organisation.name}" in dashboard

    referent = MembershipFactory(
        organisation=organisation, role=Membership.Role.REFERENT
    ).user
    with on_commit():
        services.join_request_decide(
            join_request=JoinRequest.objects.get(user=person),
            by=referent,
            accept=True,
        )
    assert MEMBER_TEXT in _page(client, url)
    dashboard = _page(client, DASHBOARD)
    assert organisation.name in dashboard and "Demande pour rejoindre" not in dashboard

    with on_commit():
        services.membership_remove(
            membership=Membership.objects.get(user=person), by=referent
        )
    assert ASK in _page(client, url)
    assert organisation.name not in _page(client, DASHBOARD)

    group = Group.objects.get_or_create(name=COORDINATORS_GROUP)[0]
    person.groups.add(group)
    assert MANAGE in _page(client, url)
    assert "Coordination" in _page(client, DASHBOARD)
    group.user_set.remove(person)
    assert MANAGE not in _page(client, url)
    person.groups.add(group)
    assert MANAGE in _page(client, url)
    group.user_set.clear()  # from the group's side: nobody named
    assert MANAGE not in _page(client, url)
    assert "Coordination" not in _page(client, DASHBOARD)


def test_my_space_shows_my_structures_and_never_someone_elses():
    mine = MembershipFactory(role=Membership.Role.REFERENT)
    theirs = MembershipFactory()
    JoinRequest.objects.create(user=theirs.user, organisation=OrganisationFactory())
    me, them = _signed_in(mine.user), _signed_in(theirs.user)
    for _ in range(2):  # cold, then from each person's cache
        my_page, their_page = _page(me, DASHBOARD), _page(them, DASHBOARD)
        assert mine.organisation.name in my_page
        assert f"Gérer {mine.organisation.name}" in my_page
        assert theirs.organisation.name not in my_page
        assert "Demande pour rejoindre" not in my_page
        assert theirs.organisation.name in their_page
        assert mine.organisation.name not in their_page
        assert f"Gérer {theirs.organisation.name}" not in their_page
        assert "Demande pour rejoindre" in their_page
