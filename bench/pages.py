"""Page benchmark: the platform's main pages against the bare-Django ceiling, same run.

    DATABASE_URL=postgres://root@127.0.0.1:5432/ptce_bench \
        .venv/bin/python bench/pages.py --rounds 3 --duration 20

Every page is measured as a visitor (no cookie) and signed in (the bench user's
session cookie). `--compare DIR` also serves another checkout of the platform (e.g.
`git worktree`/`git archive` of the previous commit) from the same database on a
second port, measured right after this one: before/after ratios in one run.

Method and targets: bench/README.md. Needs `wrk` (Debian package) and a database filled
by bench/generate.py. Writes a Markdown table to stdout and to bench/results/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# BENCH_PORT to run beside another engineer's benchmark on the same machine.
_PORT = int(os.environ.get("BENCH_PORT", "8011"))
PLATFORM_PORT, CEILING_PORT, COMPARE_PORT, FLOOR_PORT = range(_PORT, _PORT + 4)
FLOORS = {
    "wagtail": ("bare Wagtail page (floor)", "/"),
    "django": ("bare Django page with session (floor)", "/django/"),
}
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
    # bench/gen_posts.py: 50,000 posts, ~1,000 news items (a tenth at small size).
    "news index": "/actualites/",
    "news page (200 comments)": "/actualites/bench-actualite-00001/",
    "forum index": "/forum/",
    "forum": "/forum/mutualisation/",
    "forum thread (2,000 posts)": "/forum/sujet/1000000/",
    "forum moderation queue (moderator)": "/forum/moderation/",
}
# Pooling (bench/gen_bookings.py): dates relative to today, so the pages show the
# busy future and the last month's statement; the week view's resource is the first
# generated one (pk 9 after the demo's 8 resources; BENCH_RESOURCE to change it).
_TODAY = datetime.datetime.now(tz=datetime.UTC).date()
_DAY = _TODAY + datetime.timedelta(days=15 - _TODAY.weekday())  # a Tuesday ahead
_LAST_MONTH = (_TODAY.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
PAGES |= {
    "pooling catalogue": "/mutualisation/catalogue/",
    "pooling search by need": f"/mutualisation/recherche/?date={_DAY}"
    "&start_time=14%3A00&end_time=17%3A00&kind=premises&people=12",
    "pooling week view": f"/mutualisation/ressources/"
    f"{os.environ.get('BENCH_RESOURCE', '9')}/semaine/?semaine={_DAY}",
    "pooling day view": f"/mutualisation/jour/?date={_DAY}",
    "pooling my space (signed in)": "/mutualisation/",
    "pooling statement (signed in)": "/mutualisation/releves/structure/"
    f"bench-structure-00000/{_LAST_MONTH}/",
    "pooling approval queue (signed in)": "/mutualisation/demandes/",
}

# Pages only a moderator may open: measured signed in as gen_posts.BENCH_MODERATOR.
MODERATOR = "bench-moderation@bench.ptce.fr"


def signed_in_only(name: str) -> bool:
    return "signed in" in name or "(moderator)" in name


@dataclass
class Sample:
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    errors: int = 0


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)$", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(url: str, *, duration: int, connections: int, cookie: str = "") -> tuple:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # Anchored: "+/- Stdev" cells such as "81.50%" must not pass for the percentile.
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = (int(bad.group(1)) if bad else 0) + (
        sum(map(int, socket.groups())) if socket else 0
    )
    return rps, p50, p99, errors


def start_server(args: list[str], env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "3", "--bind", f"127.0.0.1:{port}", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):  # up to two minutes on a loaded machine
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}"
                + {CEILING_PORT: "/tiny/", FLOOR_PORT: "/"}.get(port, "/sante/"),
                timeout=1,
            )
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server on port {port} did not start")


def platform_env(static_root: str) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": static_root,
        "EMAIL_URL": "dummymail://",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "LOG_LEVEL": "WARNING",
    }


def page_facts(env: dict) -> tuple[dict[str, tuple[int, int]], dict[str, str]]:
    """Query count and size of each page, visitor and signed in, measured in-process
    (warm); and the session cookies of the bench user and the bench moderator. Keys:
    "visitor|page" and "signed in|page"."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members.models import User

    signed_in = Client()
    signed_in.force_login(User.objects.get(email="bench@bench.ptce.fr"))
    # The moderator (bench/gen_posts.py) only for the pages that need one (--pages).
    moderator = Client()
    if any("(moderator)" in name for name in PAGES):
        moderator.force_login(User.objects.get(email=MODERATOR))
    facts = {}
    for who, client in (("visitor", Client()), ("signed in", signed_in)):
        for name, path in PAGES.items():
            if who == "visitor" and signed_in_only(name):
                continue
            browser = moderator if "(moderator)" in name else client
            browser.get(path)  # warm caches exactly as the server would be warm
            with CaptureQueriesContext(connection) as queries:
                response = browser.get(path)
            assert response.status_code == 200, (who, path, response.status_code)
            facts[f"{who}|{name}"] = (len(queries), len(response.content))
    cookies = {
        "bench": f"sessionid={signed_in.cookies['sessionid'].value}",
        "moderator": f"sessionid={moderator.cookies['sessionid'].value}"
        if "sessionid" in moderator.cookies
        else "",
    }
    return facts, cookies


# The virtualenv's editable install maps the platform's packages to this checkout:
# without this, a module or template-tag package that only this checkout has (a new
# ptce/templatetags/) would be imported into the other checkout's code.
HIDE_EDITABLE_INSTALL = """import sys


def _editable(obj):
    return "__editable__" in (getattr(obj, "__module__", "") or "")


sys.meta_path[:] = [f for f in sys.meta_path if not _editable(f)]
sys.path_hooks[:] = [h for h in sys.path_hooks if not _editable(h)]
sys.path[:] = [p for p in sys.path if "__editable__" not in p]
sys.path_importer_cache.clear()
"""


def _facts_of(directory: str, env: dict) -> tuple[dict, dict[str, str]]:
    """page_facts() run by another checkout's code, in a subprocess."""
    # Only the pages measured (--pages): the others may not exist in this database.
    code = (
        "import json, sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/platform'];"
        "import pages; names = json.loads(sys.argv[2]);"
        "pages.PAGES = {k: v for k, v in pages.PAGES.items() if k in names};"
        "facts, cookie = pages.page_facts({});"
        "print(json.dumps({'facts': facts, 'cookie': cookie}))"
    )
    out = subprocess.run(
        [str(BIN / "python"), "-c", code, directory, json.dumps(list(PAGES))],
        env=env,
        cwd=ROOT / "bench",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    cookie = data["cookie"]
    if isinstance(cookie, str):  # a checkout from before the moderator's pages
        cookie = {"bench": cookie, "moderator": cookie}
    return {k: tuple(v) for k, v in data["facts"].items()}, cookie


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--compare", help="another checkout to measure as 'before'")
    parser.add_argument("--label", default="", help="a title for the results file")
    parser.add_argument(
        "--floor",
        metavar="DATABASE_URL",
        help="also serve bench/wagtail_floor (a bare Wagtail page) from this database",
    )
    parser.add_argument(
        "--who", choices=("both", "visitor", "signed in"), default="both"
    )
    parser.add_argument(
        "--pages",
        nargs="*",
        help="only these pages (names of PAGES), e.g. home glossary",
    )
    args = parser.parse_args()
    if args.pages:
        unknown = set(args.pages) - set(PAGES)
        if unknown:
            sys.exit(f"unknown pages: {', '.join(sorted(unknown))}")
        for name in set(PAGES) - set(args.pages):
            del PAGES[name]
    whos = ("visitor", "signed in") if args.who == "both" else (args.who,)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to the PostgreSQL database filled by bench/generate.py"
        )

    static_root = tempfile.mkdtemp(prefix="ptce-bench-static-")
    env = platform_env(static_root)
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--no-input", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    variants = {"after": (PLATFORM_PORT, env)}
    facts: dict[str, tuple[int, int]] = {}
    cookies: dict = {}  # variant → {"bench": …, "moderator": …}; "floor" → one cookie
    if args.compare:
        hide = tempfile.mkdtemp(prefix="ptce-bench-compare-")
        Path(hide, "sitecustomize.py").write_text(HIDE_EDITABLE_INSTALL)
        old_env = {
            **env,
            "PYTHONPATH": f"{hide}:{args.compare}:{args.compare}/platform",
            "CACHE_KEY_PREFIX": "bench-before",
        }
        old_facts, cookies["before"] = _facts_of(args.compare, old_env)
        facts.update({f"before|{k}": v for k, v in old_facts.items()})
        variants["before"] = (COMPARE_PORT, old_env)
    new_facts, cookies["after"] = page_facts(env)
    facts.update({f"after|{k}": v for k, v in new_facts.items()})
    ceiling_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings"}
    names = list(PAGES)
    floor_env = {**ceiling_env, "FLOOR_DATABASE_URL": args.floor or ""}
    if args.floor:
        floor = json.loads(
            subprocess.run(
                [str(BIN / "python"), "bench/wagtail_floor/prepare.py"],
                env=floor_env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        names += [name for name, _path in FLOORS.values()]
        cookies["floor"] = floor["cookie"]
        for key, fact in floor["facts"].items():
            kind, who = key.split("|")
            facts[f"floor|{who}|{FLOORS[kind][0]}"] = tuple(fact)
    servers: list[subprocess.Popen] = []
    measures = [
        (
            f"{variant}|{who}|{name}",
            port,
            path,
            cookies[variant]["moderator" if "(moderator)" in name else "bench"]
            if who == "signed in"
            else "",
        )
        for name, path in PAGES.items()
        for who in whos
        if not (who == "visitor" and signed_in_only(name))
        for variant, (port, _env) in variants.items()
    ]
    if args.floor:
        measures += [
            (
                f"floor|{who}|{name}",
                FLOOR_PORT,
                path,
                cookies["floor"] if who == "signed in" else "",
            )
            for name, path in FLOORS.values()
            for who in whos
        ]
    samples: dict[str, Sample] = defaultdict(Sample)
    try:
        servers.append(
            start_server(
                ["--chdir", "bench/ceiling", "wsgi"], ceiling_env, CEILING_PORT
            )
        )
        for variant, (port, variant_env) in variants.items():
            chdir = ["--chdir", args.compare] if variant == "before" else []
            servers.append(start_server([*chdir, "config.wsgi"], variant_env, port))
        if args.floor:
            servers.append(
                start_server(
                    ["--chdir", "bench/wagtail_floor", "wsgi"], floor_env, FLOOR_PORT
                )
            )
        for _key, port, path, cookie in measures:  # warm-up
            run_wrk(
                f"http://127.0.0.1:{port}{path}",
                duration=2,
                connections=args.connections,
                cookie=cookie,
            )
        for round_number in range(args.rounds):
            for name in names:
                # A B A B: each page right after a ceiling measure, so drift hits both.
                _record(
                    samples["bare tiny view"],
                    run_wrk(
                        f"http://127.0.0.1:{CEILING_PORT}/tiny/",
                        duration=args.duration,
                        connections=args.connections,
                    ),
                )
                for key, port, path, cookie in measures:
                    if key.endswith(f"|{name}"):
                        _record(
                            samples[key],
                            run_wrk(
                                f"http://127.0.0.1:{port}{path}",
                                duration=args.duration,
                                connections=args.connections,
                                cookie=cookie,
                            ),
                        )
            print(f"round {round_number + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        for server in servers:
            server.terminate()
    report = _report(samples, facts, args)
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"pages-{time.strftime('%Y%m%d-%H%M%S')}.md").write_text(report)


def _record(sample: Sample, result: tuple) -> None:
    rps, p50, p99, errors = result
    sample.rps.append(rps)
    sample.p50.append(p50)
    sample.p99.append(p99)
    sample.errors += errors


def _report(samples: dict[str, Sample], facts: dict, args) -> str:
    tiny_rps = samples["bare tiny view"].rps
    tiny = statistics.median(tiny_rps)
    lines = [
        f"{args.label} c={args.connections}, {args.rounds} rounds × {args.duration} s, "
        f"medians; ratio = req/s ÷ bare tiny view req/s (tiny: {tiny:,.0f} req/s)",
        "",
        "| page | who | version | queries | size | req/s | p50 | p99 | errors "
        "| ratio to tiny |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, sample in samples.items():
        if key == "bare tiny view":
            continue
        variant, who, name = key.split("|")
        queries, size = facts.get(key, (0, 0))
        rps = statistics.median(sample.rps)
        lines.append(
            f"| {name} | {who} | {variant} | {queries} | {size / 1024:.1f} KiB "
            f"| {rps:,.0f} | {statistics.median(sample.p50):.1f} ms "
            f"| {statistics.median(sample.p99):.1f} ms | {sample.errors} "
            f"| {rps / tiny:.3f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
