"""Comments under a page and the moderation queue are paginated like long threads:
50 a page, a post's link opens the page holding it, the author's own waiting post
shows in place to its author only, filters are kept, out-of-range and non-numeric
page numbers fall back, and batch actions apply to what was checked on the page."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from forum import services
from forum.models import Post
from forum.views import POSTS_PER_PAGE, QUEUE_PER_PAGE
from tests.factories import UserFactory

from .factories import ForumFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

P = Post.Status


def _ids(html: str, posts) -> list[int]:
    return [p.pk for p in posts if f'id="post-{p.pk}"' in html]


@pytest.fixture
def comments(article):
    thread = services.page_thread(page=article, create=True)
    return [
        PostFactory(thread=thread, body=f"commentaire {n:03d}")
        for n in range(2 * POSTS_PER_PAGE + 5)
    ]


def test_comments_under_a_page_are_paginated(client, article, comments):
    first = client.get(article.url).content.decode()
    assert _ids(first, comments) == [p.pk for p in comments[:POSTS_PER_PAGE]]
    assert 'rel="next"' in first and 'aria-label="Pagination"' in first
    assert "?page=2#forum" in first
    last = client.get(article.url, {"page": 3}).content.decode()
    assert _ids(last, comments) == [p.pk for p in comments[2 * POSTS_PER_PAGE :]]
    assert 'aria-current="page">Page 3 sur 3' in last.replace("\n", "")


@pytest.mark.parametrize(
    ("number", "expected"),
    [("abc", 1), ("-1", 3), ("0", 3), ("999999999999", 3), ("2.5", 1), ("", 1)],
)
def test_odd_page_numbers_fall_back_to_a_real_page(
    client, article, comments, number, expected
):
    response = client.get(article.url, {"page": number})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    start = (expected - 1) * POSTS_PER_PAGE
    assert _ids(html, comments) == [
        p.pk for p in comments[start : start + POSTS_PER_PAGE]
    ]


def test_a_comments_link_opens_the_page_holding_it(client, article, comments):
    late = comments[POSTS_PER_PAGE + 7]
    assert late.get_absolute_url() == f"{article.url}?message={late.pk}#post-{late.pk}"
    html = client.get(late.get_absolute_url()).content.decode()
    assert f'id="post-{late.pk}"' in html and f'id="post-{comments[0].pk}"' not in html
    # Reply and quote links keep their page too.
    assert (
        f'id="post-{late.pk}"'
        in client.get(article.url, {"repondre": late.pk}).content.decode()
    )
    # A post that is not there opens the first page.
    html = client.get(article.url, {"message": 999999}).content.decode()
    assert f'id="post-{comments[0].pk}"' in html


def test_own_waiting_comment_shows_in_place_to_its_author_only(
    client, article, comments, member
):
    thread = services.page_thread(page=article)
    pending = services.post_submit(thread=thread, by=member, body="Mon avis en attente")
    assert pending.status == P.PENDING
    client.force_login(member)
    response = client.get(pending.get_absolute_url())
    html = response.content.decode()
    assert "Mon avis en attente" in html and "en attente de validation" in html
    assert f'id="post-{comments[-1].pk}"' in html  # the last page, in its place
    # Anyone else: neither on that page nor by its address.
    for other in (Client(), None):
        browser = other or Client()
        if other is None:
            browser.force_login(UserFactory())
        for params in ({}, {"page": 3}, {"message": pending.pk}):
            html = browser.get(article.url, params).content.decode()
            assert "Mon avis en attente" not in html, params
            assert f'id="post-{pending.pk}"' not in html, params


def test_page_comments_count_no_waiting_post_in_the_pagination(client, article, member):
    thread = services.page_thread(page=article, create=True)
    for n in range(POSTS_PER_PAGE):
        PostFactory(thread=thread, body=f"c{n}")
    services.post_submit(thread=thread, by=member, body="en trop")
    # 50 published + 1 waiting: a visitor has one page, its author two.
    assert 'rel="next"' not in client.get(article.url).content.decode()
    client.force_login(member)
    assert 'rel="next"' in client.get(article.url).content.decode()


# --- the moderation queue ----------------------------------------------------------
@pytest.fixture
def waiting(forum, member, other_member):
    posts = []
    for n in range(QUEUE_PER_PAGE + 10):
        author = member if n % 2 else other_member
        thread = ThreadFactory(forum=forum, author=author)
        posts.append(
            PostFactory(thread=thread, author=author, status=P.PENDING, body=f"q{n}")
        )
    return posts


def _queue_ids(html: str, posts) -> list[int]:
    return [p.pk for p in posts if f'id="queue-{p.pk}"' in html]


def test_queue_is_paginated_and_keeps_its_filters(client, moderator, waiting, member):
    client.force_login(moderator)
    url = reverse("forum:queue")
    first = client.get(url).content.decode()
    assert _queue_ids(first, waiting) == [p.pk for p in waiting[:QUEUE_PER_PAGE]]
    assert "60 messages attendent la modération." in first
    assert 'aria-label="Pagination"' in first and 'href="?page=2"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert _queue_ids(second, waiting) == [p.pk for p in waiting[QUEUE_PER_PAGE:]]
    for odd in ("x", "-3", "99999"):
        assert client.get(url, {"page": odd}).status_code == HTTPStatus.OK
    # Filtered by one author: only theirs, and the page links keep the filter.
    theirs = [p for p in waiting if p.author_id == member.pk]
    for n in range(QUEUE_PER_PAGE):  # enough for two pages of this author alone
        theirs.append(
            PostFactory(
                thread=ThreadFactory(forum=waiting[0].thread.forum, author=member),
                author=member,
                status=P.PENDING,
                body=f"r{n}",
            )
        )
    html = client.get(url, {"auteur": member.pk}).content.decode()
    assert set(_queue_ids(html, waiting + theirs)) <= {p.pk for p in theirs}
    assert len(_queue_ids(html, theirs)) == QUEUE_PER_PAGE
    assert f'href="?page=2&amp;auteur={member.pk}"' in html
    page2 = client.get(url, {"auteur": member.pk, "page": 2}).content.decode()
    assert len(_queue_ids(page2, theirs)) == len(theirs) - QUEUE_PER_PAGE


def test_batch_action_applies_to_the_checked_items_of_the_page(
    client, moderator, waiting
):
    client.force_login(moderator)
    url = reverse("forum:queue") + "?page=2"
    chosen = waiting[QUEUE_PER_PAGE : QUEUE_PER_PAGE + 3]
    response = client.post(url, {"action": "approve", "posts": [p.pk for p in chosen]})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url  # back to the same page and filters
    assert set(
        Post.objects.filter(status=P.PUBLISHED).values_list("pk", flat=True)
    ) == {p.pk for p in chosen}


def test_batch_action_ignores_ids_the_moderator_may_not_decide(client, member, waiting):
    """A delegated moderator of another forum posts ids of this forum's queue, or
    of posts already decided: nothing happens to them."""
    elsewhere = ForumFactory()
    delegate = UserFactory()
    elsewhere.moderators.add(delegate)
    own = PostFactory(
        thread=ThreadFactory(forum=elsewhere, author=member),
        author=member,
        status=P.PENDING,
    )
    client.force_login(delegate)
    url = reverse("forum:queue")
    html = client.get(url).content.decode()
    assert _queue_ids(html, [own, *waiting]) == [own.pk]
    response = client.post(
        url, {"action": "reject", "reason": "non", "posts": [waiting[0].pk]}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Post.objects.get(pk=waiting[0].pk).status == P.PENDING
    response = client.post(url, {"action": "approve", "posts": ["abc", str(own.pk)]})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Post.objects.get(pk=own.pk).status == P.PENDING
    response = client.post(url, {"action": "approve", "posts": [own.pk]})
    assert response.status_code == HTTPStatus.FOUND
    assert Post.objects.get(pk=own.pk).status == P.PUBLISHED
    assert Post.objects.filter(status=P.PUBLISHED).count() == 1


@pytest.mark.parametrize("size", [3, 2 * QUEUE_PER_PAGE + 1])
def test_queue_page_weighs_one_page_whatever_the_queue(
    client, forum, member, moderator, size, django_assert_max_num_queries
):
    for n in range(size):
        PostFactory(
            thread=ThreadFactory(forum=forum, author=member),
            author=member,
            status=P.PENDING,
            body=f"w{n}",
        )
    client.force_login(moderator)
    client.get(reverse("forum:queue"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("forum:queue"))
    assert response.content.decode().count('name="posts"') == min(size, QUEUE_PER_PAGE)


def test_wagtail_admin_queue_is_paginated_too(client, moderator, waiting):
    from django.contrib.auth.models import Permission

    moderator.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    client.force_login(moderator)
    url = reverse("forum_admin_queue")
    first = client.get(url).content.decode()
    decide = [reverse("forum:queue_item", args=[p.pk]) for p in waiting]
    assert sum(link in first for link in decide) == QUEUE_PER_PAGE
    assert 'aria-label="Pagination"' in first and "?p=2" in first
    second = client.get(url, {"p": 2}).content.decode()
    assert sum(link in second for link in decide) == len(waiting) - QUEUE_PER_PAGE
    for odd in ("x", "0", "99999"):
        assert client.get(url, {"p": odd}).status_code == HTTPStatus.OK
