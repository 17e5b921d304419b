"""Pooling pages in-process: SQL queries and time per request, visitor and signed in.

    DATABASE_URL=postgres://root@127.0.0.1:5432/ptce_bench \
        .venv/bin/python bench/pooling_pages.py [--requests 20]

For each pooling page of bench/pages.py's PAGES (catalogue, search by need, a
resource's week, the day view, Mon espace, the statement, the approval queue): one
warm-up request, the queries of the next one (CaptureQueriesContext), then the median
time of `--requests` more through django.test.Client, as a visitor (public pages) and
as the bench user. Run it on the large and the small database: the query counts must
be equal. No server, no wrk: a quick check between two full page benchmarks.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--show-sql", help="print the SQL of this page (its name)")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "platform"), str(ROOT / "bench")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pages import PAGES

    from members.models import User
    from pooling.models import Booking

    signed_in = Client()
    signed_in.force_login(User.objects.get(email="bench@bench.ptce.fr"))
    print(f"{Booking.objects.count():,} bookings, {connection.vendor}")
    print("| page | who | status | queries | size | median ms |")
    print("|---|---|---|---|---|---|")
    for name, path in PAGES.items():
        if not name.startswith("pooling"):
            continue
        for who, client in (("visitor", Client()), ("signed in", signed_in)):
            if who == "visitor" and "signed in" in name:
                continue
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            # Counted now: the next requests reset the connection's query log.
            count = len(queries)
            if args.show_sql == name:
                for query in queries:
                    print(query["sql"][:300])
            times = []
            for _ in range(args.requests):
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"| {name} | {who} | {response.status_code} | {count} "
                f"| {len(response.content) / 1024:.1f} KiB "
                f"| {statistics.median(times):.1f} |"
            )


if __name__ == "__main__":
    main()
