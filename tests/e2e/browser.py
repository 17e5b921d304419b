"""Navigation helpers for browser tests: every page visited is checked with axe-core.

Navigate through `visit(page, path)`; after a click or a form submission that loads a
page, call `after_navigation(page)`. axe-core is bundled with axe-playwright-python, so
no network is needed.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def axe_check(page) -> None:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    page.checked_urls.add(page.url)
    if violations:
        lines = [
            f"- {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:5])
            for v in violations
        ]
        pytest.fail(
            f"axe: {len(violations)} accessibility violation(s) on {page.url}\n"
            + "\n".join(lines),
            pytrace=False,
        )


def after_navigation(page) -> None:
    """Wait for the page a click or a submission loaded, then check it with axe."""
    page.wait_for_load_state("load")
    axe_check(page)


def follow(page, locator) -> None:
    """Click a link or a submit button that loads a new page, then check that page."""
    with page.expect_navigation():
        locator.click()
    after_navigation(page)


def visit(page, path: str):
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response.status}"
    after_navigation(page)
    return response
