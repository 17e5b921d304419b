from __future__ import annotations

from datetime import date
from http import HTTPStatus

import pytest
from django.urls import reverse

from members.models import Membership
from pooling.ledger import services
from pooling.ledger.models import ClosedMonth
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .conftest import PricedResourceFactory, make_booking, paris, referent_of

pytestmark = pytest.mark.django_db


def structure_url(org, name="pooling_ledger:structure"):
    return reverse(name, kwargs={"slug": org.slug, "year": 2026, "month": 5})


def test_structure_statement_permission_matrix(client, may, coordinator):
    a, b, c = may
    url = structure_url(a)
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert "/comptes/" in response["Location"]
    cases = [
        (MembershipFactory(organisation=a).user, HTTPStatus.FORBIDDEN),
        (referent_of(b), HTTPStatus.FORBIDDEN),
        (UserFactory(), HTTPStatus.FORBIDDEN),
        (referent_of(a), HTTPStatus.OK),
        (coordinator, HTTPStatus.OK),
    ]
    for user, expected in cases:
        client.force_login(user)
        for name in ("pooling_ledger:structure", "pooling_ledger:structure_print"):
            assert client.get(structure_url(a, name)).status_code == expected, (
                user,
                name,
            )
    ptce = reverse("pooling_ledger:ptce", kwargs={"year": 2026, "month": 5})
    client.force_login(referent_of(a))
    assert client.get(ptce).status_code == HTTPStatus.FORBIDDEN
    client.force_login(coordinator)
    assert client.get(ptce).status_code == HTTPStatus.OK


def test_structure_statement_shows_lines_nets_and_staff_items(
    client, may, django_assert_max_num_queries
):
    a, b, c = may
    client.force_login(referent_of(a))
    client.get(structure_url(a))  # warm: the person's header caches
    # The body built again (the first page created the site's identity: a new
    # content version): the lines and the closed month; the rest from the caches
    # (test_statement_cache: none at all once kept).
    with django_assert_max_num_queries(2):
        response = client.get(structure_url(a))
    html = response.content.decode()
    assert "Salle Jaune" in html and "Comptable" in html
    # Room 2 h × 20 € to Bêta and to Gamma; staff 2 h × 20 € used from Bêta.
    assert "80,00\u00a0€" in html  # provided
    assert "40,00\u00a0€" in html  # used
    assert "30,00\u00a0€" in html  # salary item: 2 h × 15 €
    assert "Bêta" in html and "Gamma" in html
    assert 'lang="fr"' in html


def test_statement_query_count_does_not_grow_with_lines(
    client, may, django_assert_max_num_queries
):
    a, b, c = may
    room = PricedResourceFactory(owner=a)
    for day in range(10, 30):
        services.record_confirmation(
            booking=make_booking(
                room,
                OrganisationFactory(),
                paris(2026, 5, day, 9),
                paris(2026, 5, day, 10),
            ),
            by=None,
        )
    client.force_login(referent_of(a))
    client.get(structure_url(a))  # warm: the person's header caches
    # Only this structure's lines are loaded, the PTCE-wide balances are summed per
    # pair of structures by the database (once per content of the month, then read
    # from the cache): the same count for 4 lines or 24. Two: the lines and the
    # closed month, the body built again after the site's identity was created.
    with django_assert_max_num_queries(2):
        assert client.get(structure_url(a)).status_code == HTTPStatus.OK


def test_ptce_statement_and_month_close(
    client, may, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("pooling_ledger:ptce", kwargs={"year": 2026, "month": 5})
    client.get(url)  # warm: the person's header caches
    with django_assert_max_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    assert "Close May 2026" not in html  # French page
    assert "Clôturer mai 2026" in html
    close = reverse("pooling_ledger:month_close", kwargs={"year": 2026, "month": 5})
    assert client.get(close).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.post(close, follow=True)
    assert ClosedMonth.objects.filter(period=date(2026, 5, 1)).exists()
    assert "définitif" in response.content.decode()
    # A second close is refused with a message, not an error page.
    response = client.post(close, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "déjà clôturé" in response.content.decode()


def test_only_coordinators_close_months(client, may):
    a, b, c = may
    client.force_login(referent_of(a))
    close = reverse("pooling_ledger:month_close", kwargs={"year": 2026, "month": 5})
    assert client.post(close).status_code == HTTPStatus.FORBIDDEN
    assert not ClosedMonth.objects.exists()


@pytest.mark.parametrize("year, month", [(2026, 13), (2026, 0), (9999, 1), (1999, 12)])
def test_absurd_months_are_404(client, coordinator, year, month):
    client.force_login(coordinator)
    org = OrganisationFactory()
    for url in (
        reverse("pooling_ledger:ptce", kwargs={"year": year, "month": month}),
        reverse(
            "pooling_ledger:structure",
            kwargs={"slug": org.slug, "year": year, "month": month},
        ),
    ):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_unknown_structure_is_404(client, coordinator):
    client.force_login(coordinator)
    url = reverse(
        "pooling_ledger:structure", kwargs={"slug": "nope", "year": 2026, "month": 5}
    )
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_index_lists_what_each_person_may_read(client, may, coordinator):
    a, b, c = may
    client.force_login(referent_of(a))
    html = client.get(reverse("pooling_ledger:index")).content.decode()
    assert "Alpha" in html and "Gamma" not in html
    client.force_login(
        MembershipFactory(organisation=a, role=Membership.Role.MEMBER).user
    )
    assert (
        client.get(reverse("pooling_ledger:index")).status_code == HTTPStatus.FORBIDDEN
    )


def test_statement_reads_each_line_as_shown_with_no_related_model(
    may, django_assert_num_queries
):
    """One instance per line, the structures' names and the booking's status joined
    in: neither the booking nor the two structures are built for each line."""
    from pooling.ledger import selectors

    a, b, c = may
    # The lines, the closed month, the sums per pair; every structure named is
    # named by the lines (no fourth query for names).
    with django_assert_num_queries(3):
        statement = selectors.structure_statement(
            organisation=a, period=date(2026, 5, 1)
        )
    lines = statement.used + statement.provided
    assert len(lines) == 3
    assert not any(line._state.fields_cache for line in lines)
    assert sorted(line.user_name for line in statement.provided) == ["Bêta", "Gamma"]
    assert {line.booking_status for line in lines} == {"confirmed"}
    assert [net.other.name for net in statement.nets] == ["Gamma"]  # Bêta: even


def test_month_settlement_is_summed_once_per_content(may, django_assert_num_queries):
    """The PTCE-wide settlement (sums per pair of structures, balances, transfers) is
    kept under the month's fingerprint, read along with the lines: the next
    statement of any structure sums nothing, and a new line gives a new one."""
    from pooling.ledger import selectors

    a, b, c = may
    may_first = date(2026, 5, 1)
    with django_assert_num_queries(3):  # lines, closed month, sums per pair
        first = selectors.structure_statement(organisation=a, period=may_first)
    with django_assert_num_queries(2):  # lines (and the fingerprint), closed month
        again = selectors.structure_statement(organisation=a, period=may_first)
    with django_assert_num_queries(2):
        selectors.structure_statement(organisation=c, period=may_first)
    assert (again.balance, again.transfers) == (first.balance, first.transfers)
    services.record_confirmation(
        booking=make_booking(
            PricedResourceFactory(owner=a),
            c,
            paris(2026, 5, 20, 9),
            paris(2026, 5, 20, 10),
        ),
        by=None,
    )
    with django_assert_num_queries(3):
        after = selectors.structure_statement(organisation=a, period=may_first)
    assert after.balance > first.balance  # Gamma owes Alpha one more hour
    whole = selectors.ptce_statement(period=may_first)
    assert {org.pk: amount for org, amount in whole.balances}[a.pk] == (after.balance)


def test_statement_marks_a_late_cancellation_even_from_the_cache(client, may):
    from pooling.ledger.models import LedgerLine
    from pooling.models import Booking

    a, b, c = may
    client.force_login(referent_of(a))
    assert "Annulée hors délai" not in client.get(structure_url(a)).content.decode()
    line = LedgerLine.objects.filter(provider=a, user=b).get()
    Booking.objects.filter(pk=line.booking_id).update(status=Booking.Status.CANCELLED)
    html = client.get(structure_url(a)).content.decode()
    assert html.count("Annulée hors délai\u00a0: facturée") == 1


def test_statement_csv(client, may):
    pytest.importorskip("ptce.exports")
    a, b, c = may
    client.force_login(referent_of(a))
    response = client.get(structure_url(a, "pooling_ledger:structure_csv"))
    assert response.status_code == HTTPStatus.OK
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert ";" in header and "Montant HT" in header
    assert len(rows) == 3  # two rooms provided, one staff booking used
    assert any("40,00" in row for row in rows)
    assert "Salaire brut" in text


def test_ptce_statement_pages_its_lines_and_keeps_the_month_totals(
    client, may, coordinator, django_assert_max_num_queries, monkeypatch
):
    """Balances, transfers and totals are the whole month's; lines come a page at
    a time (every line is in the CSV), and the query count does not grow."""
    from pooling.ledger import selectors

    a, b, c = may
    url = reverse("pooling_ledger:ptce", kwargs={"year": 2026, "month": 5})
    client.force_login(coordinator)
    client.get(url)  # warm: the person's header caches
    with django_assert_max_num_queries(8):
        client.get(url)
    room = PricedResourceFactory(owner=a, name="Salle Bleue")
    for day in range(10, 31):
        services.record_confirmation(
            booking=make_booking(
                room, b, paris(2026, 5, day, 9), paris(2026, 5, day, 10)
            ),
            by=None,
        )
    monkeypatch.setattr(
        selectors.ptce_statement,
        "__kwdefaults__",
        {**selectors.ptce_statement.__kwdefaults__, "per_page": 10},
    )
    client.get(url)  # warm again: the writes changed the site's content version
    with django_assert_max_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    assert "Lignes du mois (25)" in html
    assert "Page 1 sur 3" in html
    # 4 lines of the fixture (4 × 2 h × 20 € = 160 €) + 21 × 1 h × 20 € = 580 €.
    assert "580,00\u00a0€" in html
    # Alpha is owed 80 € (fixture) + 420 € by Bêta.
    last = client.get(url, {"page": 3}).content.decode()
    assert "Page 3 sur 3" in last and "580,00\u00a0€" in last
    assert client.get(url, {"page": "abc"}).status_code == HTTPStatus.OK
    assert client.get(url, {"page": "9999"}).status_code == HTTPStatus.OK
    printed = client.get(
        reverse("pooling_ledger:ptce_print", kwargs={"year": 2026, "month": 5})
    ).content.decode()
    assert "Page 1 sur" not in printed
    csv = client.get(
        reverse("pooling_ledger:ptce_csv", kwargs={"year": 2026, "month": 5})
    ).content.decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 1 + 25


def test_a_statement_table_is_rendered_once_and_never_shows_stale_names(
    client, may, settings
):
    """The lines' table is cached under a key made of what it shows."""
    import re
    from unittest import mock

    from django.template import loader

    a, b, c = may
    client.force_login(referent_of(a))
    real = loader.render_to_string
    with mock.patch(
        "pooling.ledger.templatetags.ledger.render_to_string", side_effect=real
    ) as rendered:
        first = client.get(structure_url(a)).content.decode()
        assert rendered.call_count == 2  # used, provided
        again = client.get(structure_url(a)).content.decode()
        assert rendered.call_count == 2  # both from the cache

    def tables(html: str) -> list[str]:
        return re.findall(r"<table>.*?</table>", html, flags=re.S)

    assert tables(again) == tables(first) and len(tables(first)) == 3
    b.name = "Bêta Coopérative"
    b.save()
    renamed = client.get(structure_url(a)).content.decode()
    assert "Bêta Coopérative" in renamed
    # No table, cached or not, still says the old name.
    assert not any(re.search("Bêta(?! Coopérative)", t) for t in tables(renamed))
    assert "<script" not in renamed.split("<main", 1)[1].split("</main>", 1)[0]
