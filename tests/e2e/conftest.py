"""Browser tests: Playwright drives the system Chromium against the live server.

Every page a test visits is checked with axe-core (see tests/e2e/browser.py); a page
that was loaded but never checked fails the test at teardown, so a forgotten check
cannot pass silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would then refuse
# ORM calls from the test body (SynchronousOnlyOperation). The test body is still plain
# synchronous code, so the guard does not protect anything here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium")
E2E_DIR = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(
        reason="chromium not found on PATH (apt-get install chromium) — e2e skipped"
    )
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            # The live server needs committed data, hence a transactional test. The
            # home page and the Wagtail Site come from data migrations, which the
            # flush after each test would erase: serialized rollback restores them.
            if item.get_closest_marker("django_db") is None:
                item.add_marker(
                    pytest.mark.django_db(transaction=True, serialized_rollback=True)
                )
            if CHROMIUM is None:
                item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # The unchecked-pages assertion below only makes sense for a test that passed: a
    # failed navigation would otherwise be reported twice.
    if report.when == "call":
        item.e2e_call_failed = report.failed
    return report


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker) -> Iterator:
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django keeps one connection per thread, but per *context* once an event loop is
    # running, and Playwright's sync API leaves one running in this thread. The
    # connection that captured the migrated data for serialized rollback (the home
    # page, the Wagtail Site) must hand it over to the one the tests will use.
    with django_db_blocker.unblock():
        snapshots = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
    with sync_playwright() as playwright:
        for alias, contents in snapshots.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(request, browser, live_server):
    """Open a page in a fresh French-speaking context (one per person in a journey)."""
    contexts = []
    pages = []

    def open_page():
        # French as a French browser asks for it: navigator.language and the
        # Accept-Language header (LocaleMiddleware reads the header).
        context = browser.new_context(
            locale="fr-FR",
            extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
            base_url=live_server.url,
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.loaded_urls = []
        page.checked_urls = set()
        page.on("load", lambda loaded, urls=page.loaded_urls: urls.append(loaded.url))
        contexts.append(context)
        pages.append(page)
        return page

    yield open_page
    unchecked = [
        url
        for page in pages
        for url in page.loaded_urls
        if url not in page.checked_urls
    ]
    for context in contexts:
        context.close()
    if getattr(request.node, "e2e_call_failed", False):
        return
    assert not unchecked, (
        "pages loaded without an accessibility check (use visit/follow or call "
        "after_navigation): " + ", ".join(unchecked)
    )


@pytest.fixture
def page(open_page):
    return open_page()
