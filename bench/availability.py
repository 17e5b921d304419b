"""The availability engine at scale, in-process: how long one search takes.

    DATABASE_URL=postgres://root@127.0.0.1:5432/ptce_bench \
        .venv/bin/python bench/availability.py [--searches 1000] [--seed 7]

On a database filled by bench/generate.py (which calls bench/gen_bookings.py), runs
`--searches` random availability questions, half of each kind, interleaved:

- "a room for N, free between two times": the search by need
  (pooling.search.search, the page /mutualisation/recherche/), N in 4–40, a weekday
  in the next eight weeks, 2 or 3 hours between 08:00 and 18:00;
- "one resource's free slots for a week": the week grid of a random bookable
  resource (pooling.selectors.week_grid, the week view), a week in the next twelve.

Reports p50/p95/p99/max in milliseconds and the number of SQL queries per search of
each kind (min–max: it must not depend on the data size). Target: p95 under 20 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-availability-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def questions(count: int, rng: random.Random, resources: list, today: date):
    from pooling.availability import local_datetime
    from resources.models import Resource

    for index in range(count):
        if index % 2 == 0:
            day = today + timedelta(days=rng.randint(1, 56))
            while day.weekday() >= 5:
                day += timedelta(days=1)
            hour = rng.randint(8, 15)
            start = local_datetime(day, datetime.min.time().replace(hour=hour))
            data = {
                "kind": Resource.Kind.PREMISES,
                "people": rng.choice((4, 8, 12, 20, 40)),
                "start": start,
                "end": start + timedelta(hours=rng.choice((2, 3))),
                "text": "",
                "accessible": False,
                "equipment": "",
                "equipment_quantity": None,
            }
            yield "room for N, free between two times", data
        else:
            monday = today - timedelta(days=today.weekday())
            monday += timedelta(weeks=rng.randint(0, 11))
            yield "one resource's week", (rng.choice(resources), monday)


def run(kind: str, argument, viewer) -> None:
    from pooling import search, selectors

    if kind == "one resource's week":
        resource, monday = argument
        selectors.week_grid(resource, monday)
    else:
        search.search(argument, viewer=viewer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pooling.models import Booking
    from pooling.selectors import bookable_resources

    rng = random.Random(args.seed)
    resources = list(bookable_resources())
    today = timezone.localdate()
    viewer = AnonymousUser()
    asked = list(questions(args.searches, rng, resources, today))
    # Warm-up: imports, translations, the first connection.
    for kind, argument in asked[:10]:
        run(kind, argument, viewer)
    times: dict[str, list[float]] = {}
    queries: dict[str, list[int]] = {}
    for kind, argument in asked:
        started = time.perf_counter()
        run(kind, argument, viewer)
        times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    # Queries, counted in a second pass so that capturing them never slows the timing.
    for kind, argument in asked[:100]:
        with CaptureQueriesContext(connection) as captured:
            run(kind, argument, viewer)
        queries.setdefault(kind, []).append(len(captured))
    every = [t for values in times.values() for t in values]
    print(
        f"{len(resources)} bookable resources, {Booking.objects.count():,} bookings, "
        f"{connection.vendor}; {len(every)} searches"
    )
    print("| search | n | p50 | p95 | p99 | max | queries |")
    print("|---|---|---|---|---|---|---|")
    for kind, values in [*times.items(), ("all", every)]:
        counts = queries.get(kind) or [q for v in queries.values() for q in v]
        print(
            f"| {kind} | {len(values)} | {statistics.median(values):.1f} ms "
            f"| {percentile(values, 0.95):.1f} ms | {percentile(values, 0.99):.1f} ms "
            f"| {max(values):.1f} ms | {min(counts)}–{max(counts)} |"
        )


if __name__ == "__main__":
    main()
