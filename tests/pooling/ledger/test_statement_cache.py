"""A structure's statement body is kept per structure, month, view, content version
and language, and shared by everyone allowed to read it; the permission check comes
first and costs no query for the structure's référents."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from pooling.ledger import services
from tests.factories import MembershipFactory, OrganisationFactory

from .conftest import PricedResourceFactory, make_booking, paris, referent_of
from .test_views import structure_url

pytestmark = pytest.mark.django_db


def test_referent_reads_a_kept_statement_without_a_query(
    client, may, django_assert_num_queries
):
    a, b, c = may
    client.force_login(referent_of(a))
    for name in ("pooling_ledger:structure", "pooling_ledger:structure_print"):
        url = structure_url(a, name)
        client.get(url)
        client.get(url)  # the first page created the site's identity: a new version
        # Standing (roles), body, the person and the header: from the caches.
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert "Salle Jaune" in response.content.decode()


def test_each_reader_gets_their_structures_statement_and_no_other(
    client, may, coordinator
):
    a, b, c = may
    # Everyone made first: a new membership would bump the content version.
    alpha_referent, beta_referent = referent_of(a), referent_of(b)
    alpha_member = MembershipFactory(organisation=a).user
    client.force_login(alpha_referent)
    client.get(structure_url(a))
    alpha = client.get(structure_url(a)).content.decode()
    client.force_login(beta_referent)
    beta = client.get(structure_url(b)).content.decode()
    assert "Statement of Bêta" in beta or "Relevé de Bêta" in beta
    assert "Relevé de Alpha" not in beta and "Relevé d'Alpha" not in beta
    assert "Bêta" in alpha and alpha != beta
    # Kept for Alpha's référents: still refused to Bêta's, and to Alpha's members.
    assert client.get(structure_url(a)).status_code == HTTPStatus.FORBIDDEN
    client.force_login(alpha_member)
    assert client.get(structure_url(a)).status_code == HTTPStatus.FORBIDDEN
    # Unknown structure: 404, even for a coordinator.
    client.force_login(coordinator)
    missing = reverse(
        "pooling_ledger:structure",
        kwargs={"slug": "inconnue", "year": 2026, "month": 5},
    )
    assert client.get(missing).status_code == HTTPStatus.NOT_FOUND
    # A coordinator reads the same body as the référents.
    shared = client.get(structure_url(a)).content.decode()
    body = alpha.split("<h1>")[1].split("</main>")[0]
    assert body in shared
    # Another month: another body.
    june = reverse(
        "pooling_ledger:structure", kwargs={"slug": a.slug, "year": 2026, "month": 6}
    )
    assert "Salle Jaune" not in client.get(june).content.decode()


def test_a_new_line_and_a_lost_role_show_at_once(client, may):
    a, b, c = may
    referent = referent_of(a)
    client.force_login(referent)
    url = structure_url(a)
    assert "Salle Verte" not in client.get(url).content.decode()
    services.record_confirmation(
        booking=make_booking(
            PricedResourceFactory(owner=a, name="Salle Verte"),
            OrganisationFactory(),
            paris(2026, 5, 21, 9),
            paris(2026, 5, 21, 10),
        ),
        by=None,
    )
    assert "Salle Verte" in client.get(url).content.decode()
    membership = referent.memberships.get(organisation=a)
    membership.role = "member"
    membership.save()
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
