"""Suite-wide reporting: say up front which services the run uses and what it skips.

`make test` works on a bare machine (SQLite, eager tasks, no browser) and on CI
(PostgreSQL, Redis, Chromium). The header makes the difference visible, so a green run
on a laptop is never mistaken for the full CI run. With CI=true, a missing service is
an error instead of a silent skip.
"""

from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest


@dataclass(frozen=True)
class Capabilities:
    postgres: bool
    redis: bool
    chromium: bool

    def header_lines(self) -> list[str]:
        database_url = os.environ.get("DATABASE_URL", "")
        if self.postgres:
            database = "database: PostgreSQL (DATABASE_URL)"
        elif database_url:
            database = "database: DATABASE_URL is set but is not PostgreSQL"
        else:
            database = "database: SQLite (PostgreSQL tests skipped: DATABASE_URL unset)"
        if self.redis and self.postgres:
            redis = "redis: reachable (REDIS_URL) — worker integration tests run"
        elif self.redis:
            redis = "redis: reachable — worker tests skipped (they need PostgreSQL too)"
        elif os.environ.get("REDIS_URL"):
            redis = "redis: REDIS_URL unreachable — worker integration tests skipped"
        else:
            redis = "redis: unavailable (REDIS_URL unset) — integration tests skipped"
        browser = (
            f"browser: chromium at {shutil.which('chromium')} — e2e tests run"
            if self.chromium
            else "browser: chromium not found — e2e tests skipped"
        )
        return [database, redis, browser]

    def missing(self) -> list[str]:
        names = {"PostgreSQL": self.postgres, "Redis": self.redis}
        names["Chromium"] = self.chromium
        return [name for name, present in names.items() if not present]


def _redis_reachable(url: str) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    # A TCP connect is enough to tell "configured and up" from "absent"; the
    # integration tests themselves check the real protocol.
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1
        ):
            return True
    except OSError:
        return False


def detect_capabilities() -> Capabilities:
    scheme = urlsplit(os.environ.get("DATABASE_URL", "")).scheme
    return Capabilities(
        postgres=scheme.startswith(("postgres", "pgsql")),
        redis=_redis_reachable(os.environ.get("REDIS_URL", "")),
        chromium=shutil.which("chromium") is not None,
    )


def _is_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_CAPABILITIES] = detect_capabilities()


_CAPABILITIES = pytest.StashKey[Capabilities]()


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = config.stash[_CAPABILITIES].header_lines()
    if _is_ci():
        lines.append("CI=true: every service is required, skips of them are failures")
    return lines


def pytest_terminal_summary(terminalreporter, exitstatus: int, config) -> None:
    capabilities = config.stash[_CAPABILITIES]
    terminalreporter.section("services used by this run")
    for line in capabilities.header_lines():
        terminalreporter.write_line(line)
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        terminalreporter.write_line(
            "no test ran: reported as a failure (exit status 1)", red=True
        )
    if _is_ci() and capabilities.missing():
        terminalreporter.write_line(
            "CI=true but missing: " + ", ".join(capabilities.missing()), red=True
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Exit code 5 ("no tests collected") must never look like success to a wrapper
    # that only checks for a crash, and on CI a missing service is a failure.
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif _is_ci() and session.config.stash[_CAPABILITIES].missing():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
