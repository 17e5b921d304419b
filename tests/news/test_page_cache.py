"""News pages and the news index from the visitors' page cache (ptce.pagecache), the
shared fragments for people signed in, and what must never be cached: a visitor's
comment form token, waiting or rejected comments, a stale list after a publication.
Query budgets for a visitor and a member, with few items and with many."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services as forum_services
from forum.models import Post
from tests.factories import MembershipFactory, UserFactory
from tests.forum.factories import PostFactory

pytestmark = pytest.mark.django_db

PARIS = dt.timezone(dt.timedelta(hours=2))
GUEST = {"body": "Mon avis", "guest_name": "Camille", "guest_email": "c@exemple.fr"}
# Warm budgets, signed in, measured on SQLite in the test settings: Wagtail's routing
# and view restrictions come from process memory (ptce.routing) and the person's row
# from the cache (ptce.auth) — they took 7 and 1 queries before; the index keeps 1 of
# its own, a page its comment thread's 4 (its posts, their count for the pagination,
# whether the person follows it, their structures).
INDEX_BUDGET = 1
PAGE_BUDGET = 4


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group

    from members.permissions import MODERATORS_GROUP

    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user


def _warm(client, url):
    """Two visits fill what the layout and the page cache (a first view may still
    write renditions, which changes the content version)."""
    client.get(url)
    client.get(url)


def _count(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return len(queries), response


def test_visitors_get_news_pages_from_the_page_cache(news_index, make_news, structures):
    page = make_news(tags=("vélo",), cosigners=structures[:1], image=True)
    visitor = Client()
    for url in (news_index.url, page.url, news_index.url + "?tag=velo"):
        _warm(visitor, url)
        count, response = _count(visitor, url)
        assert (count, response["X-Page-Cache"]) == (0, "hit"), url
        assert "csrftoken" not in response.cookies
        assert 'name="csrfmiddlewaretoken"' not in response.content.decode()


def test_a_publication_shows_at_once_on_cached_pages(news_index, make_news):
    first = make_news("Première")
    visitor = Client()
    _warm(visitor, news_index.url)
    _warm(visitor, first.url)
    second = make_news("Seconde", tags=("vélo",))
    assert "Seconde" in visitor.get(news_index.url).content.decode()
    # An edit published later shows too (the page's own fragment follows it).
    first.title = "Première, corrigée"
    first.save_revision().publish()
    assert "Première, corrigée" in visitor.get(first.url).content.decode()
    assert "Première, corrigée" in visitor.get(news_index.url).content.decode()
    second.unpublish()
    assert "Seconde" not in visitor.get(news_index.url).content.decode()


def test_waiting_comments_never_reach_a_cached_page(
    news_index, make_news, moderator, django_capture_on_commit_callbacks
):
    page = make_news()
    url = reverse("forum:page_comment", args=[page.pk])
    reader = Client()
    _warm(reader, page.url)  # a cached copy exists before the comments
    poster = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = poster.post(url, GUEST, headers={"Origin": "http://testserver"})
    assert response.status_code == HTTPStatus.FOUND
    guest_post = Post.objects.get()
    # The poster has a session now: served fresh, with their comment in place.
    html = poster.get(page.url).content.decode()
    assert "Mon avis" in html and "en attente de validation" in html
    member = MembershipFactory().user
    thread = forum_services.page_thread(page=page)
    forum_services.post_submit(thread=thread, by=member, body="Avis de membre")
    rejected = forum_services.post_submit(thread=thread, by=member, body="Avis refusé")
    forum_services.post_reject(post=rejected, moderator=moderator, reason="Hors sujet")
    for params in ({}, {"page": 1}, {"message": guest_post.pk}, {"page": "x"}):
        _warm(reader, page.url)
        response = reader.get(page.url, params)
        html = response.content.decode()
        for hidden in ("Mon avis", "Avis de membre", "Avis refusé", "Hors sujet"):
            assert hidden not in html, (params, hidden)
    assert reader.get(page.url)["X-Page-Cache"] == "hit"
    # Approved: visitors see it at once, the cached copy is stale.
    token = forum_services.guest_token(guest_post)
    confirmed = forum_services.guest_confirm(token=token)
    assert forum_services.post_approve(post=confirmed, moderator=moderator)
    assert "Mon avis" in reader.get(page.url).content.decode()


def test_a_visitors_comment_needs_our_origin_and_a_members_its_token(
    news_index, make_news, member
):
    page = make_news()
    url = reverse("forum:page_comment", args=[page.pk])
    browser = Client(enforce_csrf_checks=True)
    for headers in (
        {},
        {"Origin": "https://evil.example"},
        {"Referer": "https://x.fr/"},
    ):
        assert browser.post(url, GUEST, headers=headers).status_code == 403, headers
    assert not Post.objects.exists()
    ok = browser.post(url, GUEST, headers={"Sec-Fetch-Site": "same-origin"})
    assert ok.status_code == HTTPStatus.FOUND
    # Signed in, the origin is not enough: the form's token is required.
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(member)
    body = {"body": "Membre sans jeton"}
    refused = signed_in.post(url, body, headers={"Origin": "http://testserver"})
    assert refused.status_code == 403
    html = signed_in.get(page.url).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    token = signed_in.cookies["csrftoken"].value
    accepted = signed_in.post(
        url,
        {**body, "csrfmiddlewaretoken": token},
        headers={"Origin": "http://testserver"},
    )
    assert accepted.status_code == HTTPStatus.FOUND
    assert Post.objects.filter(author=member).count() == 1


def _grow(make_news, structures, page, items: int, comments: int) -> None:
    for _ in range(items):
        make_news(tags=("vélo", "réemploi"), cosigners=structures[:2], image=True)
    thread = forum_services.page_thread(page=page, create=True)
    for n in range(comments):
        PostFactory(thread=thread, body=f"commentaire {n}")


def test_news_query_counts_stay_fixed_for_visitors_and_members(
    news_index, make_news, structures
):
    page = make_news(tags=("vélo",), cosigners=structures[:2], image=True)
    member = MembershipFactory(organisation=structures[0]).user
    visitor, signed_in = Client(), Client()
    signed_in.force_login(member)
    counts = []
    for items, comments in ((2, 3), (12, 120)):  # few, then many (3 comment pages)
        _grow(make_news, structures, page, items, comments)
        row = []
        for browser in (visitor, signed_in):
            for url in (news_index.url, page.url):
                _warm(browser, url)
                row.append(_count(browser, url)[0])
        counts.append(row)
    few, many = counts
    assert few == many, counts
    assert few[:2] == [0, 0]  # visitors: from the page cache
    assert few[2] <= INDEX_BUDGET and few[3] <= PAGE_BUDGET, few


def test_an_approval_alone_makes_cached_pages_stale(
    news_index, make_news, moderator, member, monkeypatch
):
    """Publishing writes with update() (no signal): the service says so itself,
    not only through whatever else it saves (audit record, notifications)."""
    page = make_news()
    thread = forum_services.page_thread(page=page, create=True)
    post = forum_services.post_submit(thread=thread, by=member, body="Validé après")
    reader = Client()
    _warm(reader, page.url)
    assert "Validé après" not in reader.get(page.url).content.decode()
    monkeypatch.setattr(forum_services, "audit_record", lambda **kwargs: None)
    monkeypatch.setattr(forum_services, "notify", lambda *args, **kwargs: None)
    assert forum_services.post_approve(post=post, moderator=moderator)
    assert "Validé après" in reader.get(page.url).content.decode()


@pytest.mark.parametrize(
    ("number", "shown"),
    [("abc", "N11"), ("0", "N00"), ("-1", "N11"), ("99", "N00"), ("1234567", "N11")],
)
def test_odd_index_page_numbers_show_a_real_page(
    client, news_index, make_news, number, shown
):
    """Not numeric or too long: the first page; out of range: the last one. Each
    answer is cached under its own page, never another's."""
    for n in range(12):
        make_news(f"N{n:02d}", published=dt.datetime(2026, 1, n + 1, tzinfo=PARIS))
    client.get(news_index.url, {"page": 2})  # fill the cache with page 2 first
    response = client.get(news_index.url, {"page": number})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert shown in html
    other = "N00" if shown == "N11" else "N11"
    assert other not in html
