"""Wagtail pages routed from process memory (ptce.routing): no routing query while
the content is unchanged, every change seen at the next request, view restrictions
checked by Wagtail as always."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail import hooks
from wagtail.models import PageViewRestriction, Site

from home.models import StandardPage
from ptce.models import SiteIdentity
from tests.factories import UserFactory

from .test_cache_outage import redis_down  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    SiteIdentity.load()
    home = Site.objects.get(is_default_site=True).root_page.specific
    parent = StandardPage(slug="projet", title="Notre projet", body="<p>Projet</p>")
    home.add_child(instance=parent)
    parent.save_revision().publish()
    child = StandardPage(slug="equipe", title="L’équipe", body="<p>Équipe</p>")
    parent.add_child(instance=child)
    child.save_revision().publish()
    return home, parent, child


def test_a_page_costs_no_routing_query_once_served(
    client, pages, django_assert_num_queries
):
    client.force_login(UserFactory())
    assert client.get("/projet/equipe/").status_code == HTTPStatus.OK
    with django_assert_num_queries(0):
        response = client.get("/projet/equipe/")
    assert response.status_code == HTTPStatus.OK
    assert "Équipe" in response.content.decode()


def test_unpublished_moved_and_renamed_pages_are_seen_at_once(client, pages):
    home, parent, child = pages
    client.force_login(UserFactory())
    assert client.get("/projet/equipe/").status_code == HTTPStatus.OK
    assert client.get("/autre/").status_code == HTTPStatus.NOT_FOUND

    child.slug = "autre"
    child.save_revision().publish()
    assert client.get("/projet/equipe/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/projet/autre/").status_code == HTTPStatus.OK

    child.move(home, pos="last-child")
    response = client.get("/projet/autre/")  # Wagtail's redirect on a move
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/autre/"
    assert client.get("/autre/").status_code == HTTPStatus.OK

    child.unpublish()
    assert client.get("/autre/").status_code == HTTPStatus.NOT_FOUND


def test_a_restriction_added_later_is_enforced_on_the_page_and_below(pages):
    _home, parent, _child = pages
    visitor, member = Client(), Client()
    member.force_login(UserFactory())
    for client in (visitor, member):  # routes remembered without restriction
        assert client.get("/projet/equipe/").status_code == HTTPStatus.OK

    PageViewRestriction.objects.create(
        page=parent, restriction_type=PageViewRestriction.LOGIN
    )
    response = visitor.get("/projet/equipe/")
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response["Location"]
    assert member.get("/projet/equipe/").status_code == HTTPStatus.OK


def test_group_and_password_restrictions_still_answer_as_wagtail_does(pages):
    _home, parent, child = pages
    member = Client()
    member.force_login(UserFactory())
    assert member.get("/projet/").status_code == HTTPStatus.OK
    restriction = PageViewRestriction.objects.create(
        page=parent, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Conseil"))
    assert member.get("/projet/").status_code == HTTPStatus.FOUND

    PageViewRestriction.objects.create(
        page=child, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    restriction.delete()
    response = member.get("/projet/equipe/")
    assert response.status_code == HTTPStatus.OK
    assert 'name="password"' in response.content.decode()


def test_each_request_gets_its_own_page_object(client, pages):
    client.force_login(UserFactory())  # a visitor's second request is a cached page
    seen = []

    def mark(page, request, args, kwargs):
        seen.append(getattr(page, "_marked_by_a_request", False))
        page._marked_by_a_request = True

    with hooks.register_temporarily("before_serve_page", mark):
        for _ in range(3):
            assert client.get("/projet/").status_code == HTTPStatus.OK
    assert seen == [False, False, False]


def test_without_the_cache_wagtail_routes_as_always(
    client,
    pages,
    redis_down,  # noqa: F811
):
    assert client.get("/projet/equipe/").status_code == HTTPStatus.OK
    assert client.get("/projet/inconnu/").status_code == HTTPStatus.NOT_FOUND
