"""Django's PostgreSQL backend, with a health check that costs no round trip.

With `CONN_HEALTH_CHECKS`, Django checks a reused connection before the first query
of each request by sending it `SELECT 1`: a round trip to the server on every page
that queries, as long as the page's own query when it has one (the notification
centre's). Here the check first looks at the connection from the client's side:

- psycopg still holds it open and not broken, outside any transaction;
- its socket has nothing to read. An idle connection receives nothing unless the
  server ends it: a restart, `pg_terminate_backend()`, `idle_session_timeout` or a
  proxy closing it all send an error message or close the socket, which makes it
  readable at once.

Then the connection is used without a round trip. In any other case — something
to read, a broken or busy connection, the look failing — Django's own check runs
(`SELECT 1`) and closes the connection if it fails, so the request reconnects as
before. What neither check sees is a server that disappears silently (no FIN: a
cable pulled); a `SELECT 1` would wait on it as long as the page's query does.

After a query error, Django's `close_if_unusable_or_obsolete()` still asks
`is_usable()`, which still sends `SELECT 1`: there the server's view is needed.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus

__all__ = ["DatabaseWrapper"]


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _quiet(self) -> bool:
        """Open, idle, and nothing from the server waiting to be read."""
        connection = self.connection
        try:
            if connection.closed or connection.broken:
                return False
            if connection.info.transaction_status != TransactionStatus.IDLE:
                return False
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except Exception:  # noqa: BLE001 — any doubt: Django's own check decides
            return False
