"""Notification fan-out benchmark: one kind to 5,000 people, outbox write and drain.

    DATABASE_URL=postgres://root@127.0.0.1:5432/ptce_bench_notif \
    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/outbox/run.py

Measures, on PostgreSQL + Redis with one real Celery worker process (solo pool) sending
to the in-memory e-mail backend:
  1. notify() to N recipients inside one transaction (render + bulk insert: the outbox
     write the calling request pays for);
  2. the after-commit enqueue of N tasks to Redis;
  3. the drain: from commit until every delivery is `sent` by the worker.
Not part of the test suite. The database is migrated and the bench users recreated.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "ptce-bench-notifications"
EMAIL_PREFIX = "bench-notif-"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    if not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get(
        "DATABASE_URL", ""
    ):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL.")
    import django

    django.setup()


def _recipients(count: int):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.objects.filter(email__startswith=EMAIL_PREFIX).delete()
    User.objects.bulk_create(
        User(
            email=f"{EMAIL_PREFIX}{i}@exemple.fr",
            first_name="Personne",
            last_name=str(i),
            password="!",  # unusable: bench accounts never log in
        )
        for i in range(count)
    )
    return list(User.objects.filter(email__startswith=EMAIL_PREFIX))


def _start_worker() -> subprocess.Popen:
    env = {**os.environ, "EMAIL_URL": "memorymail://", "CONN_MAX_AGE": "60"}
    command = [
        sys.executable, "-m", "celery", "-A", "config",
        "--result-backend", os.environ["REDIS_URL"],
        "worker", "--pool=solo", "--concurrency=1", "-Q", QUEUE,
        "--without-heartbeat", "--without-gossip", "--without-mingle",
        "--loglevel=WARNING",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=5000)
    args = parser.parse_args()
    _setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    from config.celery import app, ping
    from notifications.models import EmailDelivery, Notification
    from notifications.services import notify

    call_command("migrate", verbosity=0)
    app.conf.task_default_queue = QUEUE
    app.conf.result_backend = os.environ["REDIS_URL"]
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(QUEUE)
    users = _recipients(args.recipients)
    EmailDelivery.objects.all().delete()
    Notification.objects.filter(recipient__in=users).delete()
    worker = _start_worker()
    try:
        ping.delay().get(timeout=60)  # the worker is up and connected
        context = {"title": "Assemblée générale", "message": "Jeudi 18 h, salle 2."}
        context["author"] = users[0]

        def enqueue_timer():
            timings["enqueue_start"] = time.perf_counter()

        timings: dict[str, float] = {}
        start = time.perf_counter()
        with transaction.atomic():
            notify(users, "notifications.announcement", context)
            timings["written"] = time.perf_counter()
            queries_before_commit = len(connection.queries)
            transaction.on_commit(enqueue_timer)
        timings["enqueued"] = time.perf_counter()
        while EmailDelivery.objects.exclude(status="sent").exists():
            time.sleep(0.2)
        drained = time.perf_counter()
        sent = EmailDelivery.objects.filter(status="sent").count()
        retried = EmailDelivery.objects.filter(attempts__gt=1).count()
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    write = timings["written"] - start
    enqueue = timings["enqueued"] - timings["written"]
    drain = drained - timings["written"]
    print(f"recipients                    {args.recipients}")
    print(
        f"outbox write (notify)         {write:7.2f} s  "
        f"({args.recipients / write:,.0f} recipients/s)"
    )
    print(f"commit + enqueue to Redis     {enqueue:7.2f} s")
    print(
        f"drain by one worker (solo)    {drain:7.2f} s  "
        f"({sent / drain:,.0f} e-mails/s) — from commit to last `sent`"
    )
    print(f"deliveries sent / re-tried    {sent} / {retried}")
    if queries_before_commit:
        print(f"queries in notify()           {queries_before_commit}")


if __name__ == "__main__":
    main()
