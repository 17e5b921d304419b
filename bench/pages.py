"""Page benchmark: the platform's main pages against the bare-Django ceiling, same run.

    DATABASE_URL=postgres://root@127.0.0.1:5432/ptce_bench \
        .venv/bin/python bench/pages.py --rounds 3 --duration 20

Method and targets: bench/README.md. Needs `wrk` (Debian package) and a database filled
by bench/generate.py. Writes a Markdown table to stdout and to bench/results/.
"""

from __future__ import annotations

import argparse
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PLATFORM_PORT, CEILING_PORT = 8011, 8012
CEILING = {
    "bare tiny view": "/tiny/",
    "bare template view (20-item loop)": "/template/",
}
PAGES = {
    "home": "/",
    "member directory": "/membres/structures/",
    "member directory, filtered": "/membres/structures/?category=ess&q=solidaire",
    "structure profile": "/membres/structures/bench-structure-00001/",
    "search": "/recherche/?q=coop%C3%A9ration",
    "glossary": "/glossaire/",
    "notification centre (signed in)": "/notifications/",
}


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
    for _ in range(100):
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/sante/"
                if port == PLATFORM_PORT
                else f"http://127.0.0.1:{port}/tiny/",
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


def page_facts(env: dict) -> tuple[dict[str, tuple[int, int]], str]:
    """Query count and size of each page, measured in-process; and a session cookie."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members.models import User

    client = Client()
    client.force_login(User.objects.get(email="bench@bench.ptce.fr"))
    facts = {}
    for name, path in PAGES.items():
        client.get(path)  # warm caches exactly as the server would be warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        facts[name] = (len(queries), len(response.content))
    return facts, f"sessionid={client.cookies['sessionid'].value}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
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
    facts, cookie = page_facts(env)
    ceiling_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings"}
    servers = [
        start_server(
            ["--chdir", "bench/ceiling", "wsgi"],
            ceiling_env,
            CEILING_PORT,
        ),
        start_server(["config.wsgi"], env, PLATFORM_PORT),
    ]
    samples: dict[str, Sample] = {name: Sample() for name in [*CEILING, *PAGES]}
    try:
        for url in [f"http://127.0.0.1:{CEILING_PORT}{p}" for p in CEILING.values()] + [
            f"http://127.0.0.1:{PLATFORM_PORT}{p}" for p in PAGES.values()
        ]:
            run_wrk(
                url, duration=2, connections=args.connections, cookie=cookie
            )  # warm-up
        for round_number in range(args.rounds):
            for name, path in PAGES.items():
                # A B A B: each page right after a ceiling measure, so drift hits both.
                for ceiling_name, ceiling_path in CEILING.items():
                    _record(
                        samples[ceiling_name],
                        run_wrk(
                            f"http://127.0.0.1:{CEILING_PORT}{ceiling_path}",
                            duration=args.duration,
                            connections=args.connections,
                        ),
                    )
                _record(
                    samples[name],
                    run_wrk(
                        f"http://127.0.0.1:{PLATFORM_PORT}{path}",
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
    tiny = statistics.median(samples["bare tiny view"].rps)
    lines = [
        f"c={args.connections}, {args.rounds} rounds × {args.duration} s, medians; "
        "ratio = req/s ÷ bare tiny view req/s",
        "",
        "| page | queries | size | req/s | p50 | p99 | errors | ratio to tiny |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, sample in samples.items():
        queries, size = facts.get(name, (0, 0))
        rps = statistics.median(sample.rps)
        lines.append(
            f"| {name} | {queries} | {size / 1024:.1f} KiB | {rps:,.0f} | "
            f"{statistics.median(sample.p50):.1f} ms | "
            f"{statistics.median(sample.p99):.1f} ms | {sample.errors} | "
            f"{rps / tiny:.3f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
