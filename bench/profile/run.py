"""Where a page's time goes: cProfile over N in-process requests, DEBUG off.

    DATABASE_URL=postgres://root@127.0.0.1:5432/ptce_bench \
        .venv/bin/python bench/profile/run.py [--requests 200] [--signed-in]

Each page is requested once to warm the caches, then N times under cProfile. The
self time of every function is summed by area (SQL, Wagtail routing, templates,
glossary, middleware, session and auth, the bell…) and printed per page in ms per
request, with the query count. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]

# Longest match wins: (area, substring of "filename:function").
AREAS = [
    ("SQL (ORM + driver)", "django/db/"),
    ("SQL (ORM + driver)", "psycopg"),
    ("SQL (ORM + driver)", "sqlite3"),
    ("Wagtail routing and pages", "wagtail/"),
    ("Wagtail routing and pages", "modelcluster/"),
    ("templates", "django/template/"),
    ("templates", "templatetags/"),
    ("glossary annotation", "home/glossary.py"),
    ("glossary annotation", "html/parser.py"),
    ("glossary annotation", "unicodedata"),
    ("middleware", "django/middleware/"),
    ("middleware", "django/core/handlers/"),
    ("middleware", "whitenoise/"),
    ("middleware", "allauth/"),
    ("middleware", "csp/"),
    ("session and auth", "django/contrib/sessions/"),
    ("session and auth", "django/contrib/auth/"),
    ("session and auth", "django/contrib/messages/"),
    ("the bell", "notifications/templatetags/"),
    ("URL resolving", "django/urls/"),
    ("i18n", "django/utils/translation/"),
    ("cache (Redis/locmem)", "django/core/cache/"),
    ("cache (Redis/locmem)", "django_redis/"),
    ("cache (Redis/locmem)", "redis/"),
    ("cache (Redis/locmem)", "ptce/cache.py"),
    ("platform code", "/platform/"),
    ("Django utils", "django/utils/"),
    ("HTTP request/response", "django/http/"),
]

PAGES = {
    "home": "/",
    "standard page": "/mentions-legales/",
    "member directory": "/membres/structures/",
    "member directory, filtered": "/membres/structures/?category=ess&q=solidaire",
    "structure profile": "/membres/structures/bench-structure-00001/",
    "search": "/recherche/?q=coop%C3%A9ration",
    "glossary": "/glossaire/",
    "my space (signed in)": "/membres/mon-espace/",
    "notification centre (signed in)": "/notifications/",
}


def area_of(filename: str, function: str) -> str:
    where = f"{filename}:{function}"
    best, length = "Python and C built-ins", 0
    for area, needle in AREAS:
        if needle in where and len(needle) > length:
            best, length = area, len(needle)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--signed-in", action="store_true")
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--top", type=int, default=0, help="also print top functions")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "profile-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("STATIC_ROOT", "/tmp/ptce-profile-static")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--no-input", verbosity=0)  # manifest storage
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members.models import User

    client = Client()
    if args.signed_in:
        client.force_login(User.objects.get(email="bench@bench.ptce.fr"))
    who = "signed in" if args.signed_in else "visitor"
    for name in args.pages:
        path = PAGES[name]
        if "signed in" in name and not args.signed_in:
            continue
        response = client.get(path)
        if response.status_code != 200:
            print(f"{name}: {response.status_code}, skipped")
            continue
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        query_count = len(queries.captured_queries)
        start = time.perf_counter()
        for _ in range(args.requests):
            client.get(path)
        per_request = (time.perf_counter() - start) / args.requests * 1000
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            client.get(path)
        profile.disable()
        stats = pstats.Stats(profile)
        areas: dict[str, float] = defaultdict(float)
        for (filename, _line, function), row in stats.stats.items():
            areas[area_of(filename, function)] += row[2]  # self time
        total = sum(areas.values()) or 1.0
        # The profiler slows everything alike: shares of its time, scaled to the
        # unprofiled time per request.
        parts = ", ".join(
            f"{area} {seconds / total * per_request:.1f}"
            for area, seconds in sorted(areas.items(), key=lambda kv: -kv[1])
            if seconds / total >= 0.03
        )
        print(f"| {name} ({who}) | {query_count} | {per_request:.1f} ms | {parts} |")
        if args.top:
            stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
