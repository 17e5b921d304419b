"""Query counts and single-request timings of the news and forum pages of
bench/pages.py, in-process (no server, no load): the figures of bench/README.md,
"News and forum at scale".

    DATABASE_URL=postgres://root@127.0.0.1:5432/ptce_news_bench_large \
        .venv/bin/python bench/news_forum_facts.py

Each page is requested by a visitor, the bench user and (the moderation queue) the
bench moderator: "cold" right after the cache is cleared (what the view itself costs),
then "warm" (what pages.py reports: shared fragments and visitors' pages cached).
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("EMAIL_URL", "dummymail://")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

from pages import MODERATOR, PAGES, signed_in_only  # noqa: E402

NAMES = [name for name in PAGES if "news" in name or "forum" in name]


def main() -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members.models import User

    browsers = {"visitor": Client(), "bench user": Client(), "moderator": Client()}
    browsers["bench user"].force_login(User.objects.get(email="bench@bench.ptce.fr"))
    browsers["moderator"].force_login(User.objects.get(email=MODERATOR))
    print("| page | who | queries cold | queries warm | ms cold | ms warm | KiB |")
    print("|---|---|---|---|---|---|---|")
    for name in NAMES:
        path = PAGES[name]
        if "(moderator)" in name:
            who_list = ["moderator"]
        elif signed_in_only(name):
            who_list = ["bench user"]
        else:
            who_list = ["visitor", "bench user"]
        for who in who_list:
            browser = browsers[who]
            row = []
            for _state in ("cold", "warm"):
                if _state == "cold":
                    cache.clear()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = browser.get(path)
                    elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    sys.exit(f"{who} {path}: HTTP {response.status_code}")
                row.append((len(queries), elapsed, len(response.content)))
            (cold_q, cold_ms, _), (warm_q, warm_ms, size) = row
            print(
                f"| {name} | {who} | {cold_q} | {warm_q} | {cold_ms:.0f} "
                f"| {warm_ms:.0f} | {size / 1024:.0f} |"
            )


if __name__ == "__main__":
    main()
