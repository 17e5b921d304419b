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
Wall time counts the database and whatever else the shared machine runs; "CPU" is
this process's own CPU time per search (time.process_time), steadier under load; the
load average is printed before and after.

Before/after in one run: `--code DIR` measures the code of another checkout (e.g. `git
archive main | tar -x -C /tmp/main`) with this script; alternate the two a few times
with `--json FILE` each, then `--combine FILE…` prints the pooled table per file label.
"""

from __future__ import annotations

import argparse
import inspect
import json
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


def table(times: dict, cpu: dict, queries: dict) -> None:
    print("| search | n | p50 | p95 | p99 | max | CPU p50 | CPU p95 | queries |")
    print("|---|---|---|---|---|---|---|---|---|")
    every = [t for values in times.values() for t in values]
    every_cpu = [t for values in cpu.values() for t in values]
    for kind, values in [*times.items(), ("all", every)]:
        used = cpu.get(kind, every_cpu)
        counts = queries.get(kind) or [q for v in queries.values() for q in v]
        print(
            f"| {kind} | {len(values)} | {statistics.median(values):.1f} ms "
            f"| {percentile(values, 0.95):.1f} ms | {percentile(values, 0.99):.1f} ms "
            f"| {max(values):.1f} ms | {statistics.median(used):.1f} ms "
            f"| {percentile(used, 0.95):.1f} ms | {min(counts)}–{max(counts)} |"
        )


def combine(paths: list[str]) -> None:
    """Pool the --json files of several runs by their label (the --code given)."""
    pooled: dict[str, dict] = {}
    for path in paths:
        data = json.loads(Path(path).read_text())
        into = pooled.setdefault(data["label"], {"times": {}, "cpu": {}, "queries": {}})
        for key in ("times", "cpu", "queries"):
            for kind, values in data[key].items():
                into[key].setdefault(kind, []).extend(values)
        load = f"{data['load_before']} → {data['load_after']}"
        print(f"{path}: {data['label']}, load average {load}")
    for label, data in pooled.items():
        print(f"\n{label}")
        table(data["times"], data["cpu"], data["queries"])


def run(kind: str, argument, viewer) -> None:
    from pooling import search, selectors

    if kind == "one resource's week":
        resource, monday = argument
        selectors.week_grid(resource, monday)
    elif "viewer" in inspect.signature(search.search).parameters:
        search.search(argument, viewer=viewer)  # a checkout before 2026-12 (--code)
    else:
        search.search(argument)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to measure")
    parser.add_argument("--json", type=Path, help="also write the raw times here")
    parser.add_argument("--combine", nargs="+", help="pool --json files and stop")
    args = parser.parse_args()
    if args.combine:
        combine(args.combine)
        return
    code = args.code.resolve()
    sys.path[:0] = [str(code), str(code / "platform")]
    os.chdir(code)  # a dependency puts the working directory first on sys.path
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
    cpu: dict[str, list[float]] = {}
    queries: dict[str, list[int]] = {}
    load_before = os.getloadavg()
    for kind, argument in asked:
        started, started_cpu = time.perf_counter(), time.process_time()
        run(kind, argument, viewer)
        times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        cpu.setdefault(kind, []).append((time.process_time() - started_cpu) * 1000)
    load_after = os.getloadavg()
    # Queries, counted in a second pass so that capturing them never slows the timing.
    for kind, argument in asked[:100]:
        with CaptureQueriesContext(connection) as captured:
            run(kind, argument, viewer)
        queries.setdefault(kind, []).append(len(captured))
    every = [t for values in times.values() for t in values]
    print(
        f"{code}: {len(resources)} bookable resources, "
        f"{Booking.objects.count():,} bookings, {connection.vendor}; "
        f"{len(every)} searches; load average {load_before[0]:.2f} → "
        f"{load_after[0]:.2f}"
    )
    table(times, cpu, queries)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "label": str(code),
                    "load_before": round(load_before[0], 2),
                    "load_after": round(load_after[0], 2),
                    "times": times,
                    "cpu": cpu,
                    "queries": queries,
                }
            )
        )


if __name__ == "__main__":
    main()
