"""The Content-Security-Policy blocks nothing the site needs, and the admin loads."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import visit
from tests.e2e.test_journey import log_in
from tests.factories import OrganisationFactory, UserFactory

PASSWORD = "motdepasse-solide-42"


def _csp_reports(page) -> list[str]:
    reports: list[str] = []
    page.on(
        "console",
        lambda message: (
            reports.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return reports


def test_public_pages_run_under_the_policy_without_violations(page):
    organisation = OrganisationFactory(name="Atelier Partagé")
    reports = _csp_reports(page)
    user = UserFactory(password=PASSWORD)
    for path in ("/", reverse("members:organisation_list"), "/glossaire/"):
        response = visit(page, path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    log_in(page, user.email, PASSWORD)
    visit(page, organisation.get_absolute_url())
    # The bell's icon and the glossary's script are styled and loaded from files.
    expect(page.locator("svg.bell-icon")).to_have_count(1)
    assert reports == []


def test_the_wagtail_admin_loads_and_works(page):
    admin = UserFactory(is_superuser=True, is_staff=True, password=PASSWORD)
    reports = _csp_reports(page)
    log_in(page, admin.email, PASSWORD)
    response = page.goto(reverse("wagtailadmin_home"))
    assert response.ok
    # Wagtail's own admin pages are Wagtail's to audit for accessibility.
    page.checked_urls.add(page.url)
    assert "content-security-policy" not in response.headers
    # The admin's own JavaScript ran: the sidebar menu is built client-side.
    expect(page.get_by_role("navigation").first).to_be_visible()
    expect(page.get_by_text("Membres").first).to_be_visible()
    page.goto(reverse("member_structures:index"))
    page.checked_urls.add(page.url)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    # Report-only violations are logged, never enforced: the pages above still work.
    assert all("[Report Only]" in report for report in reports)
