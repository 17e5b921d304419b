"""Run a function in N threads at once, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

needs_postgresql = pytest.mark.skipif(
    "postgresql" not in connection.vendor,
    reason="real concurrent connections need PostgreSQL (set DATABASE_URL)",
)


def run_concurrently(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Start `count` threads together; returns each one's result or exception."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 — reported to the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
