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


def _pooling_pages() -> dict[str, str]:
    """bench/pages.py's pooling pages (their dates are relative to today)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from pages import PAGES as MEASURED

    return {name: path for name, path in MEASURED.items() if "pooling" in name}


PAGES |= _pooling_pages()


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
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="instead of cProfile areas: wall time per request spent in the header, "
        "footer, session, user, SQL and Redis, Redis round trips, templates rendered",
    )
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
    if args.breakdown:
        return breakdown(client, args, who)
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


class Meter:
    """Wall time and calls of a few functions, patched in place (no profiler)."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._depth: dict[str, int] = defaultdict(int)

    def wrap(self, owner, attribute: str, label, *, count_only: bool = False):
        original = getattr(owner, attribute)

        def wrapper(*args, **kwargs):
            name = label(*args) if callable(label) else label
            if name is None:
                return original(*args, **kwargs)
            self.calls[name] += 1
            if count_only or self._depth[name]:  # re-entrant: count the outer call
                return original(*args, **kwargs)
            self._depth[name] += 1
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.ms[name] += (time.perf_counter() - start) * 1000
                self._depth[name] -= 1

        setattr(owner, attribute, wrapper)


def breakdown(client, args, who: str) -> None:
    from django.contrib import auth
    from django.contrib.sessions.backends import cached_db
    from django.db import connection
    from django.template import base as template_base
    from django.template import loader_tags
    from redis import connection as redis_connection

    meter = Meter()
    shared = {
        "includes/header.html": "header (brand, bell, menus, language)",
        "includes/main_menu.html": "main menu (in the header)",
        "includes/footer.html": "footer",
    }

    def include_label(node, context):
        template = node.template.resolve(context)
        name = getattr(template, "name", None) or getattr(
            getattr(template, "template", None), "name", template
        )
        return shared.get(name)

    meter.wrap(loader_tags.IncludeNode, "render", include_label)
    meter.wrap(template_base.Template, "render", "templates rendered", count_only=True)
    meter.wrap(cached_db.SessionStore, "load", "session load")
    meter.wrap(auth, "get_user", "user load")
    meter.wrap(redis_connection.Connection, "send_packed_command", "Redis round trips")
    meter.wrap(redis_connection.Connection, "read_response", "Redis wait")

    def sql(execute, sql, params, many, context):
        meter.calls["SQL queries"] += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            meter.ms["SQL queries"] += (time.perf_counter() - start) * 1000

    for name in args.pages:
        path = PAGES[name]
        if "signed in" in name and who != "signed in":
            continue
        client.get(path)
        client.get(path)
        meter.ms.clear()
        meter.calls.clear()
        with connection.execute_wrapper(sql):
            start = time.perf_counter()
            for _ in range(args.requests):
                client.get(path)
            total = (time.perf_counter() - start) * 1000 / args.requests
        n = args.requests
        parts = [f"total {total:.2f} ms"]
        for label in sorted({*meter.ms, *meter.calls}):
            ms = meter.ms.get(label)
            calls = meter.calls.get(label, 0) / n
            text = f"{label}: {calls:g}/req" if calls != 1 else label
            if ms is not None:
                text += f" {ms / n:.2f} ms ({ms / n / total:.0%})"
            parts.append(text)
        print(f"| {name} ({who}) | " + " · ".join(parts) + " |")


if __name__ == "__main__":
    main()
