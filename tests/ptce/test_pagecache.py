"""Visitors' pages and shared fragments come from the cache, and every published
change shows at once (ptce.pagecache)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from home.models import GlossaryTerm, StandardPage
from ptce.models import SiteIdentity
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "members:organisation_list"


@pytest.fixture
def home():
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def page(home):
    SiteIdentity.load()  # created on first read otherwise, which changes the version
    page = StandardPage(slug="projet", title="Notre projet", body="<p>Version 1</p>")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_visitor_gets_the_second_view_from_the_cache_without_a_query(
    client, page, django_assert_num_queries
):
    first = client.get(page.url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(page.url)
    assert second.status_code == HTTPStatus.OK
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert not second.cookies and not first.cookies  # no CSRF or session cookie


def test_a_query_string_page_is_kept_in_process_memory_not_in_redis(client, page):
    """Visitors write query strings at will: a flood of distinct URLs must not fill
    the shared cache (Redis also holds Celery's queue), so those pages are kept in
    the process's bounded memory, each hit a response of its own."""
    from django.core.cache import cache

    from ptce import pagecache

    url = f"{page.url}?utm=1"
    writes = []
    real_set = cache.set

    def spy(key, *args, **kwargs):
        writes.append(key)
        return real_set(key, *args, **kwargs)

    cache.set = spy
    try:
        first = client.get(url)
        second = client.get(url)
        third = client.get(url)
        assert not [key for key in writes if key.startswith("ptce:page:")]
        # Without a query string: the shared cache, as before.
        client.get(page.url)
        assert [key for key in writes if key.startswith("ptce:page:")]
    finally:
        del cache.set
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == third["X-Page-Cache"] == "hit"
    assert second.content == first.content and second is not third
    assert second["Content-Type"] == first["Content-Type"]
    pagecache._typed_pages.clear()
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_publishing_shows_at_once(client, page):
    client.get(page.url)
    page.body = "<p>Version 2</p>"
    page.save_revision().publish()
    response = client.get(page.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Version 2" in response.content.decode()


@pytest.mark.parametrize("change", ["unpublish", "delete", "move"])
def test_unpublishing_deleting_or_moving_a_page_empties_the_cache(
    client, home, page, change
):
    other = StandardPage(slug="autre", title="Autre")
    home.add_child(instance=other)
    client.get(page.url)
    if change == "unpublish":
        page.unpublish()
        assert client.get(page.url).status_code == HTTPStatus.NOT_FOUND
    elif change == "delete":
        page.delete()
        assert client.get("/projet/").status_code == HTTPStatus.NOT_FOUND
    else:
        page.move(other, pos="last-child")
        response = client.get("/projet/")  # Wagtail's redirect to the new place
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY


def test_identity_structures_and_glossary_changes_show_at_once(client, home):
    directory = reverse(DIRECTORY)
    organisation = OrganisationFactory(name="Atelier Un")
    client.get("/"), client.get(directory)
    identity = SiteIdentity.load()
    identity.name = "PTCE renommé"
    identity.save()
    assert "PTCE renommé" in client.get("/").content.decode()
    organisation.name = "Atelier Deux"
    organisation.save()
    assert "Atelier Deux" in client.get(directory).content.decode()
    home.body = "<p>Le PTCE coopère.</p>"
    home.save_revision().publish()
    client.get("/")
    GlossaryTerm.objects.create(term="PTCE", definition="Pôle territorial.")
    assert 'href="/glossaire/#ptce"' in client.get("/").content.decode()


def test_signed_in_pages_are_never_shared(client, page):
    person = UserFactory(first_name="Camille", last_name="Martin")
    Client().get(page.url)  # a visitor fills the cache
    client.force_login(person)
    response = client.get(page.url)
    assert "X-Page-Cache" not in response
    assert "Camille Martin" in response.content.decode()


def test_a_page_with_a_form_is_not_shared(client):
    login = reverse("account_login")
    first = client.get(login)
    second = Client().get(login)
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    assert "csrfmiddlewaretoken" in second.content.decode()
    # A visitor holding a CSRF cookie gets no Set-Cookie: still not shared.
    assert "X-Page-Cache" not in client.get(login)


def test_each_language_has_its_own_copy(client, page):
    french = client.get(page.url).content.decode()
    english = Client(headers={"Cookie": "django_language=en"}).get(page.url)
    assert 'lang="fr"' in french
    assert 'lang="en"' in english.content.decode()
    assert english["X-Page-Cache"] == "miss"


def test_visitors_with_a_session_or_messages_are_not_served_from_the_cache(page):
    Client().get(page.url)
    for cookie in ("sessionid=abc", "messages=xyz"):
        response = Client(headers={"Cookie": cookie}).get(page.url)
        assert response.status_code == HTTPStatus.OK
        assert response.get("X-Page-Cache") != "hit"


def test_the_footer_fragment_is_cached_and_follows_the_identity(
    client, user, page, django_assert_max_num_queries
):
    client.force_login(user)
    client.get(page.url)
    identity = SiteIdentity.load()
    identity.contact_email = "contact@ptce.fr"
    identity.save()
    assert "mailto:contact@ptce.fr" in client.get(page.url).content.decode()


def test_the_language_switcher_needs_no_token_but_the_same_origin(client):
    url = reverse("set_language")
    data = {"language": "en", "next": "/"}
    assert client.post(url, data).status_code == HTTPStatus.FORBIDDEN
    evil = client.post(url, data, headers={"Origin": "https://evil.example"})
    assert evil.status_code == HTTPStatus.FORBIDDEN
    assert "django_language" not in evil.cookies
    for headers in (
        {"Origin": "http://testserver"},
        {"Sec-Fetch-Site": "same-origin"},
        {"Referer": "http://testserver/membres/structures/"},
    ):
        response = Client(enforce_csrf_checks=True).post(url, data, headers=headers)
        assert response.status_code == HTTPStatus.FOUND, headers
        assert response.cookies["django_language"].value == "en"
    assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
