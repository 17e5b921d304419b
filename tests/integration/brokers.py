"""Point the test process's Celery app at a real broker for the duration of a block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from config.celery import app

_KEYS = ("broker_url", "task_always_eager", "result_backend", "task_default_queue")


def _forget_connections() -> None:
    # Pools and the result backend are built lazily from the configuration: drop them
    # so the next publish uses the URLs set now.
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local = threading.local()


@contextmanager
def celery_broker(
    url: str, *, queue: str | None = None, result_backend: str | None = None
) -> Iterator[None]:
    saved = {key: app.conf[key] for key in _KEYS}
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    if result_backend:
        app.conf.result_backend = result_backend
    if queue:
        app.conf.task_default_queue = queue
    _forget_connections()
    try:
        yield
    finally:
        for key, value in saved.items():
            app.conf[key] = value
        _forget_connections()
