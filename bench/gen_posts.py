"""News and forum at scale, for the page benchmarks (called by bench/generate.py).

Large: 50,000 published forum posts over the demo forums in many threads (one long
thread among them, at a fixed id so that bench/pages.py can name it), a few hundred
posts waiting for moderation, ~1,000 published news items with tags and co-signing
structures, and comments under one news item. Small: a tenth of each.

Rows are written with bulk_create where Django allows it; news items are Wagtail pages
(a tree: one add_child each, no revision, as if published long ago). Then the content
version is bumped (ptce.pagecache), as after any bulk write visitors see.

Not named after an app: a module `bench/news.py` or `bench/forum.py` would shadow it.
"""

from __future__ import annotations

import random
from datetime import timedelta

SIZES = {
    "large": {"posts": 50_000, "threads": 2_500, "pending": 300, "news": 1_000},
    "small": {"posts": 5_000, "threads": 250, "pending": 30, "news": 100},
}
# The long thread and the news item measured by bench/pages.py.
LONG_THREAD_PK = 1_000_000
LONG_THREAD_SHARE = 0.04  # of the posts: 2,000 at large size
NEWS_SLUG = "bench-actualite-00001"
NEWS_COMMENTS_SHARE = 0.004  # of the posts: 200 comments under that news item
FORUM_SLUG = "mutualisation"  # the demo forum that pages.py measures
BENCH_MODERATOR = "bench-moderation@bench.ptce.fr"
WORDS = (
    "solidaire coopérative atelier réemploi mobilité alimentation insertion culture "
    "numérique énergie habitat jardin tiers-lieu formation recyclerie circuit court "
    "mutualisation emploi jeunesse santé"
).split()
BODIES = [
    "Bonjour, qui a déjà organisé un {w} ? Nous cherchons des conseils.",
    "Nous avons {{{{du matériel}}}} à prêter pour le {w} : écrivez-nous.",
    "Compte rendu de la réunion {w} :\n\nprochaine date en janvier.",
    "<quote>Qui peut aider pour le {w} ?</quote>\n\nNous, avec plaisir !",
    "Voir la fiche [{w}->https://www.ess-france.org/] du réseau.",
    "Merci pour ce {{retour}} sur le {w}, très utile.",
]


def generate(size: str) -> None:
    from django.db import transaction

    from ptce.pagecache import bump_content_version

    spec = SIZES[size]
    rng = random.Random(11)
    with transaction.atomic():
        authors = _authors()
        _moderator()
        news_page = _news(spec["news"], rng)
        _forum(spec, rng, authors, news_page)
    bump_content_version()


def _authors() -> list:
    from members.models import Membership

    return list(
        Membership.objects.select_related("user", "organisation")
        .filter(user__email__endswith="@bench.ptce.fr")
        .order_by("pk")[:3_000]
    )


def _moderator() -> None:
    """A member of the Modérateurs group, to measure the moderation queue."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from members.models import User
    from members.permissions import MODERATORS_GROUP

    user = User.objects.create_user(BENCH_MODERATOR, "bench-password")
    EmailAddress.objects.create(
        user=user, email=BENCH_MODERATOR, verified=True, primary=True
    )
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])


# --- news ------------------------------------------------------------------------
def _news(count: int, rng: random.Random):
    """Published news items with tags and co-signers; returns the measured one."""
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag

    from members.models import Organisation
    from news.models import NewsIndexPage, NewsPage, NewsPageStructure, NewsPageTag

    index = NewsIndexPage.objects.live().first()
    tags = [
        Tag.objects.filter(name=word).first()
        or Tag.objects.create(name=word, slug=f"bench-{slugify(word)}")
        for word in WORDS
    ]
    structures = list(
        Organisation.objects.filter(slug__startswith="bench-structure-").order_by("pk")[
            :500
        ]
    )
    now = timezone.now()
    pages = []
    for n in range(1, count + 1):
        published = now - timedelta(days=n, hours=rng.randrange(24))
        words = rng.sample(WORDS, 3)
        page = NewsPage(
            title=f"Actualité {n:05d} : {' '.join(words)}",
            slug=f"bench-actualite-{n:05d}",
            introduction=" ".join(rng.choices(WORDS, k=30)),
            body=[
                ("heading", {"text": " ".join(words), "level": "h2"}),
                *(
                    ("paragraph", f"<p>{' '.join(rng.choices(WORDS, k=60))}</p>")
                    for _ in range(3)
                ),
                ("quote", {"quote": "Coopérer pour le territoire.", "attribution": ""}),
            ],
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
        )
        index.add_child(instance=page)
        pages.append(page)
    NewsPageTag.objects.bulk_create(
        NewsPageTag(content_object=page, tag=tag)
        for page in pages
        for tag in rng.sample(tags, 3)
    )
    NewsPageStructure.objects.bulk_create(
        NewsPageStructure(page=page, organisation=organisation, sort_order=i)
        for page in pages
        for i, organisation in enumerate(rng.sample(structures, 2))
    )
    return pages[0]


# --- forum -----------------------------------------------------------------------
def _bodies() -> list[tuple[str, str, str]]:
    from forum import markup
    from ptce.search_providers import fold

    rendered = []
    for template in BODIES:
        for word in WORDS:
            body = template.format(w=word)
            rendered.append((body, markup.render(body), fold(body)))
    return rendered


def _forum(spec: dict, rng: random.Random, authors: list, news_page) -> None:
    from django.utils import timezone

    from forum import services
    from forum.models import Forum, Post, Thread

    forums = list(Forum.objects.filter(kind=Forum.Kind.FORUM).order_by("position"))
    measured = next(f for f in forums if f.slug == FORUM_SLUG)
    now = timezone.now()
    start = now - timedelta(days=700)
    long_thread = Thread.objects.create(
        pk=LONG_THREAD_PK,
        forum=measured,
        title="Le grand fil de la mutualisation",
        author=authors[0].user,
        created_at=start,
    )
    threads = [long_thread] + Thread.objects.bulk_create(
        Thread(
            forum=forums[n % len(forums)],
            title=f"Sujet {n:05d} : {' '.join(rng.sample(WORDS, 3))}",
            author=authors[n % len(authors)].user,
            created_at=start + timedelta(minutes=n),
        )
        for n in range(spec["threads"] - 1)
    )
    comments = services.page_thread(page=news_page, create=True)
    bodies = _bodies()
    long_count = int(spec["posts"] * LONG_THREAD_SHARE)
    comment_count = int(spec["posts"] * NEWS_COMMENTS_SHARE)
    others = spec["posts"] - long_count - comment_count
    step = timedelta(days=700) / max(spec["posts"], 1)

    def post(n: int, thread: Thread, *, pending: bool = False) -> Post:
        membership = authors[rng.randrange(len(authors))]
        body, html, folded = rng.choice(bodies)
        at = start + step * n
        return Post(
            thread=thread,
            author=membership.user,
            organisation=membership.organisation,
            status=Post.Status.PENDING if pending else Post.Status.PUBLISHED,
            body=body,
            body_html=html,
            search_text=folded,
            submitted_at=at,
            queued_at=now - timedelta(hours=rng.randrange(72)) if pending else None,
            published_at=None if pending else at,
            first_decided_at=None if pending else at + timedelta(hours=2),
            created_at=at,
        )

    published = [post(n, long_thread) for n in range(long_count)]
    published += [post(long_count + n, comments) for n in range(comment_count)]
    published += [
        post(long_count + comment_count + n, threads[1 + n % (len(threads) - 1)])
        for n in range(others)
    ]
    Post.objects.bulk_create(published, batch_size=2_000)
    pending = [
        post(spec["posts"] + n, threads[n % len(threads)], pending=True)
        for n in range(spec["pending"])
    ]
    Post.objects.bulk_create(pending, batch_size=2_000)
    _counts([*threads, comments])


def _counts(threads) -> None:
    """Each thread's published count and last publication, as services keep them."""
    from django.db.models import Count, Max

    from forum.models import Post, Thread

    rows = (
        Post.objects.filter(status=Post.Status.PUBLISHED, thread__in=threads)
        .values("thread")
        .annotate(total=Count("pk"), last=Max("published_at"))
    )
    by_thread = {row["thread"]: row for row in rows}
    for thread in threads:
        row = by_thread.get(thread.pk)
        thread.published_count = row["total"] if row else 0
        thread.last_published_at = row["last"] if row else None
    Thread.objects.bulk_update(
        threads, ["published_count", "last_published_at"], batch_size=2_000
    )
