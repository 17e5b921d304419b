"""A real Celery worker process on a real Redis, sharing the test database.

Skipped, with the reason, when REDIS_URL is unset or Redis does not answer, and on
SQLite: the worker is another process and cannot open pytest's in-memory SQLite test
database, so these tests run against PostgreSQL (DATABASE_URL), as CI does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_string
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.integration.brokers import celery_broker

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")


def _skip_reason() -> str | None:
    if not REDIS_URL:
        return "REDIS_URL is not set: the Celery worker tests need a real Redis"
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return f"Redis at REDIS_URL does not answer ({exc})"
    if connection.vendor != "postgresql":
        return (
            "the worker process cannot open the in-memory SQLite test database: "
            "set DATABASE_URL to PostgreSQL to run the worker tests"
        )
    return None


def _database_url(settings: dict) -> str:
    user = quote(settings.get("USER") or "")
    password = settings.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password)}@" if password else f"{user}@"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{settings['NAME']}"


@dataclass
class Worker:
    process: subprocess.Popen
    mail_dir: Path
    log_path: Path

    def mailbox(self) -> str:
        """Every message the worker's file e-mail backend wrote, concatenated."""
        return "".join(
            path.read_text(encoding="utf-8", errors="replace")
            for path in sorted(self.mail_dir.glob("*.log"))
        )

    def messages(self) -> list[EmailMessage]:
        """The messages, parsed (the file backend separates them with a dashed line)."""
        parsed = []
        for chunk in self.mailbox().split("-" * 79 + "\n"):
            if chunk.strip():
                parsed.append(message_from_string(chunk, policy=default))
        return parsed

    def empty_mailbox(self) -> None:
        for path in self.mail_dir.glob("*.log"):
            path.unlink()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def wait_until(condition: Callable[[], bool], *, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("worker")
    mail_dir = base / "mail"
    mail_dir.mkdir()
    # Our own queue: another test run or a developer's worker on the same Redis must
    # not take these tasks (it would look in another database).
    queue = f"ptce-test-{os.getpid()}"
    env = {
        **os.environ,
        # The site's, each e-mail connection written to a file of its own.
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CONN_MAX_AGE": "0",
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # django-environ drops the leading "/" of filemail:///abs: hence four slashes.
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "SECRET_KEY": "integration-tests-only",
        "DEBUG": "0",
        "VAR_DIR": str(base),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config",
        "--result-backend", REDIS_URL,
        "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
        "--without-heartbeat", "--without-gossip", "--without-mingle",
        "--loglevel=INFO",
    ]  # fmt: skip
    log_path = base / "worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
    handle = Worker(process=process, mail_dir=mail_dir, log_path=log_path)
    try:
        with celery_broker(REDIS_URL, queue=queue, result_backend=REDIS_URL):
            _purge(queue)
            yield handle
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with django_db_blocker.unblock():
            _restore_migration_data()


def _restore_migration_data() -> None:
    # The last transactional test ends with a flush: without this, a database kept by
    # --reuse-db starts the next run without Wagtail's root page and Site.
    serialized = getattr(connection, "_test_serialized_contents", None)
    if serialized:
        connection.creation.deserialize_db_from_string(serialized)


def _purge(queue: str) -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)
