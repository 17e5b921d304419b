"""Fill a database with a PTCE at scale, for the page benchmarks.

    DATABASE_URL=postgres://root@127.0.0.1:5432/ptce_bench \
        .venv/bin/python bench/generate.py --size large

Sizes: `large` (what a big PTCE network would hold after years) and `small` (a tenth),
so that a page's query count can be compared between the two. The demo data
(`manage.py load_demo`) is loaded first, then bulk rows are added. Idempotent per size:
it refuses to run twice on the same database.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("EMAIL_URL", "dummymail://")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

SIZES = {
    "large": {"organisations": 2_000, "people_per_org": 6, "notifications": 2_000},
    "small": {"organisations": 200, "people_per_org": 6, "notifications": 200},
}
BENCH_USER = "bench@bench.ptce.fr"
WORDS = (
    "solidaire coopérative atelier réemploi mobilité alimentation insertion culture "
    "numérique énergie habitat jardin tiers-lieu formation recyclerie circuit court "
    "mutualisation emploi jeunesse santé"
).split()


def luhn_siret(seed: int) -> str:
    from members.validators import luhn_is_valid

    base = f"{seed:013d}"[-13:]
    for check in range(10):
        if luhn_is_valid(base + str(check)):
            return base + str(check)
    raise AssertionError("unreachable: one check digit always fits")


def generate(size: str, *, pages_only: bool = False) -> None:
    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.db import transaction

    from members.models import Membership, Organisation, User

    spec = SIZES[size]
    call_command("migrate", verbosity=0)
    if User.objects.filter(email=BENCH_USER).exists():
        sys.exit("This database already holds generated data: use a fresh database.")
    call_command("load_demo", verbosity=0)
    rng = random.Random(42)
    categories = [choice for choice, _ in Organisation.Category.choices]
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Structure {n:05d} {rng.choice(WORDS)}",
                slug=f"bench-structure-{n:05d}",
                category=(category := rng.choice(categories)),
                legal_form="association" if category == "ess" else "",
                siret=luhn_siret(10_000_000 + n),
                status=Organisation.Status.MEMBER,
                summary=" ".join(rng.choices(WORDS, k=12)),
                description=" ".join(rng.choices(WORDS, k=120)),
                city=rng.choice(["Villeurbanne", "Vaulx-en-Velin", "Lyon", "Bron"]),
            )
            for n in range(spec["organisations"])
        )
        template_user = User()
        template_user.set_password("bench")  # one hash for all: hashing 12,000 is slow
        users = User.objects.bulk_create(
            User(
                email=f"p{n:06d}@bench.ptce.fr",
                first_name=f"Prénom{n}",
                last_name=f"Nom{n}",
                password=template_user.password,
            )
            for n in range(spec["organisations"] * spec["people_per_org"])
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in users
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                organisation=organisations[n // spec["people_per_org"]],
                role="referent" if n % spec["people_per_org"] == 0 else "member",
                show_in_directory=n % 3 == 0,
            )
            for n, user in enumerate(users)
        )
    bench_user = User.objects.create_user(BENCH_USER, "bench-password")
    EmailAddress.objects.create(
        user=bench_user, email=BENCH_USER, verified=True, primary=True
    )
    Membership.objects.create(user=bench_user, organisation=organisations[0])
    _notifications(bench_user, spec["notifications"])
    if pages_only:  # the main pages' benchmark reads neither posts nor bookings
        return
    __import__("gen_posts").generate(size)  # news and forum: bench/gen_posts.py
    __import__("gen_bookings").generate(size)  # pooling: resources, bookings, ledger


def _notifications(user, count: int) -> None:
    from django.db import transaction

    from notifications.services import notify

    with transaction.atomic():
        for _ in range(count):
            notify(
                [user],
                "notifications.announcement",
                {"title": "Annonce", "message": "Réunion de la coordination."},
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="skip the slow news/forum posts and pooling bookings generators "
        "(enough for the main pages of bench/pages.py)",
    )
    args = parser.parse_args()
    import django

    django.setup()
    started = time.perf_counter()
    generate(args.size, pages_only=args.pages_only)
    # Statistics for the planner and the visibility map, as a production database
    # has them after autovacuum: without statistics it guesses from an empty
    # table's and plans several page queries badly; without the visibility map no
    # scan can be index-only (the upcoming lists' covering indexes).
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # autocommit: VACUUM runs outside one
            cursor.execute("VACUUM ANALYZE")
    print(f"Generated size={args.size} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
