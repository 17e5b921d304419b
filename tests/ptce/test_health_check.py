"""The PostgreSQL backend's health check (ptce.backends.postgresql): a reused idle
connection is checked without a round trip, and a connection the server ended is
still replaced before the request's first query, as Django's `SELECT 1` did.

Each test holds two real connections to the test database besides the test's own:
the one checked (as a web worker's, between two requests) and an observer."""

from __future__ import annotations

import select

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from tests.concurrency import needs_postgresql

pytestmark = [needs_postgresql, pytest.mark.django_db]


def _connection():
    # The settings of the test's connection: the test database, health checks on.
    opened = connections.create_connection(DEFAULT_DB_ALIAS)
    opened.ensure_connection()
    return opened


@pytest.fixture
def worker():
    opened = _connection()
    yield opened
    opened.close()


@pytest.fixture
def observer():
    opened = _connection()
    yield opened
    opened.close()


def _last_query(observer, pid: int) -> str:
    with observer.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def _next_request(worker) -> int:
    """What Django does between two requests, then the request's first query: the
    server process that answers it."""
    worker.close_if_unusable_or_obsolete()  # request_started: a check is due
    with worker.cursor() as cursor:  # the first query runs the check first
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _wait_readable(worker) -> None:
    poller = select.poll()
    poller.register(worker.connection.fileno(), select.POLLIN)
    assert poller.poll(5000), "the server's message never reached the socket"


def test_the_site_runs_on_this_backend():
    default = connections[DEFAULT_DB_ALIAS]
    assert type(default).__module__ == "ptce.backends.postgresql.base"
    assert default.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_an_idle_connection_is_reused_without_select_1(worker, observer):
    """Fails with Django's own backend: its check's `SELECT 1` is the connection's
    last statement."""
    pid = worker.connection.info.backend_pid
    with worker.cursor() as cursor:
        cursor.execute("SELECT 'before the check'")
    worker.close_if_unusable_or_obsolete()
    worker.close_if_health_check_failed()
    assert worker.health_check_done
    assert _last_query(observer, pid) == "SELECT 'before the check'"
    assert _next_request(worker) == pid  # the same connection, still working


def test_a_connection_the_server_ended_is_replaced_before_the_first_query(
    worker, observer
):
    """A restart or pg_terminate_backend(): the request still gets an answer, on a
    new connection. Fails if the check trusts the connection without looking."""
    pid = worker.connection.info.backend_pid
    with observer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    _wait_readable(worker)
    new_pid = _next_request(worker)
    assert new_pid != pid
    assert _next_request(worker) == new_pid  # and that one is kept


def test_something_to_read_asks_the_server_and_keeps_a_good_connection(
    worker, observer
):
    """Data on an idle connection that is not an ending (a NOTIFY): `SELECT 1`
    decides, and the connection stays."""
    pid = worker.connection.info.backend_pid
    with worker.cursor() as cursor:
        cursor.execute("LISTEN ptce_health_check")
    with observer.cursor() as cursor:
        cursor.execute("NOTIFY ptce_health_check")
    _wait_readable(worker)
    worker.close_if_unusable_or_obsolete()
    worker.close_if_health_check_failed()
    assert _last_query(observer, pid) == "SELECT 1"
    assert _next_request(worker) == pid


def test_a_connection_left_in_a_transaction_is_checked_by_the_server(worker, observer):
    pid = worker.connection.info.backend_pid
    worker.connection.execute("BEGIN")  # behind Django's back
    worker.health_check_done = False
    worker.close_if_health_check_failed()
    assert _last_query(observer, pid) == "SELECT 1"
    worker.connection.execute("ROLLBACK")
