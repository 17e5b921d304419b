"""The pages: who sees what (no leak of waiting or rejected posts), the forms, the
page-comments contract, and fixed query counts whatever the number of posts."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from forum import services
from forum.models import Forum, Post
from forum.search_providers import search_forum
from tests.factories import UserFactory

from .factories import PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

P = Post.Status
A_PRIORI_FR = (
    "Ce forum est modéré a priori\u00a0: votre contribution n’apparaîtra qu’après "
    "avoir été validée par un administrateur du site."
)
MARKUP_FR = (
    "Ce formulaire accepte les raccourcis SPIP [-&gt;url] {{gras}} {italique} "
    "&lt;quote&gt; &lt;code&gt; et le code HTML &lt;q&gt; &lt;del&gt; &lt;ins&gt;. "
    "Pour créer des paragraphes, laissez simplement des lignes vides."
)


@pytest.fixture
def mixed_thread(thread, member, other_member, moderator):
    """A published post, one pending and one rejected, by `member`."""
    PostFactory(thread=thread, author=other_member, body="Publié visible")
    pending = services.post_submit(thread=thread, by=member, body="Secret en attente")
    rejected = services.post_submit(thread=thread, by=member, body="Secret rejeté")
    services.post_reject(post=rejected, moderator=moderator, reason="Motif privé")
    thread.refresh_from_db()
    return thread, pending, rejected


def viewers(member, other_member, moderator):
    return {"visitor": None, "other": other_member, "moderator": moderator}


def test_waiting_and_rejected_posts_leak_nowhere(
    client, mixed_thread, member, other_member, moderator
):
    thread, _pending, _rejected = mixed_thread
    pages = [
        reverse("forum:thread_detail", args=[thread.pk]),
        reverse("forum:forum_detail", args=[thread.forum.slug]),
        reverse("forum:forum_index"),
    ]
    for who, user in viewers(member, other_member, moderator).items():
        client.logout()
        if user:
            client.force_login(user)
        for url in pages:
            html = client.get(url).content.decode()
            assert "Secret" not in html and "Motif privé" not in html, (who, url)
        hits = search_forum(["secret"], user=user or AnonymousUser(), limit=10)
        assert hits == [], who
    assert search_forum(["publie"], user=AnonymousUser(), limit=10)
    forum_page = client.get(pages[1]).content.decode()
    assert ">1<" in forum_page  # the published count only


def test_author_sees_own_waiting_post_and_rejection_reason(
    client, mixed_thread, member
):
    thread, pending, rejected = mixed_thread
    client.force_login(member)
    html = client.get(reverse("forum:thread_detail", args=[thread.pk])).content.decode()
    assert "Secret en attente" in html and "en attente de validation" in html
    assert "Secret rejeté" in html and "Motif privé" in html
    assert reverse("forum:post_edit", args=[rejected.pk]) in html


def test_thread_with_only_waiting_posts_is_hidden_from_others(client, forum, member):
    post = services.thread_create(forum=forum, by=member, title="Mon sujet", body="x")
    url = reverse("forum:thread_detail", args=[post.thread_id])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    client.force_login(member)
    assert client.get(url).status_code == HTTPStatus.OK


def test_members_only_forum(client, forum, member, other_member):
    forum.visibility = Forum.Visibility.MEMBERS
    forum.save()
    PostFactory(thread__forum=forum, author=member, body="Réservé aux membres")
    url = reverse("forum:forum_detail", args=[forum.slug])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert not search_forum(["reserve"], user=AnonymousUser(), limit=5)
    client.force_login(UserFactory())  # signed in, no structure
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    client.force_login(other_member)
    assert client.get(url).status_code == HTTPStatus.OK
    assert search_forum(["reserve"], user=other_member, limit=5)


def test_reply_form_shows_the_source_site_wording_in_french(client, thread, member):
    PostFactory(thread=thread)
    client.force_login(member)
    html = client.get(reverse("forum:thread_detail", args=[thread.pk])).content.decode()
    assert A_PRIORI_FR in html
    assert MARKUP_FR in html


def test_preview_writes_nothing(client, thread, member):
    PostFactory(thread=thread)
    client.force_login(member)
    response = client.post(
        reverse("forum:post_reply", args=[thread.pk]),
        {"body": "{{Aperçu}}", "preview": "1"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "<strong>Aperçu</strong>" in response.content.decode()
    assert thread.posts.count() == 1


def test_reply_then_seen_pending_in_place(client, thread, member):
    first = PostFactory(thread=thread)
    client.force_login(member)
    response = client.post(
        reverse("forum:post_reply", args=[thread.pk]),
        {"body": "Je réponds", "reply_to": first.pk},
    )
    post = Post.objects.get(body="Je réponds")
    assert response.status_code == HTTPStatus.FOUND
    assert post.reply_to == first and post.status == P.PENDING
    html = client.get(response.url).content.decode()
    assert "en attente de validation" in html


@pytest.mark.parametrize(
    "data",
    [
        {"body": ""},
        {"body": "x" * 100_000},
        {"body": "nul\x00"},
        {"body": "piège", "website": "http://spam.example"},
        {"body": "réponse", "reply_to": "999999"},
        {"body": "réponse", "reply_to": "abc"},
    ],
)
def test_bad_replies_are_refused_in_french_with_nothing_written(
    client, thread, member, data
):
    PostFactory(thread=thread)
    client.force_login(member)
    response = client.post(reverse("forum:post_reply", args=[thread.pk]), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    if "\x00" not in data["body"]:  # NUL bytes are refused before any view runs
        assert 'class="error-summary"' in response.content.decode()
    assert thread.posts.count() == 1


def test_forum_pages_need_permission(client, thread, member):
    PostFactory(thread=thread)
    reply = reverse("forum:post_reply", args=[thread.pk])
    assert client.post(reply, {"body": "anonyme"}).status_code == HTTPStatus.FORBIDDEN
    client.force_login(member)
    for name in ("queue", "metrics"):
        assert client.get(reverse(f"forum:{name}")).status_code == HTTPStatus.FORBIDDEN
    assert (
        client.get(reverse("forum:delegation", args=[thread.forum.slug])).status_code
        == HTTPStatus.FORBIDDEN
    )


def test_queue_page_and_bulk_approve(client, thread, member, moderator):
    posts = [
        services.post_submit(thread=thread, by=member, body=f"m{n}") for n in range(2)
    ]
    client.force_login(moderator)
    url = reverse("forum:queue")
    assert "m0" in client.get(url).content.decode()
    response = client.post(url, {"action": "approve", "posts": [p.pk for p in posts]})
    assert response.status_code == HTTPStatus.FOUND
    assert set(Post.objects.values_list("status", flat=True)) == {P.PUBLISHED}
    bad = client.post(url, {"action": "reject", "posts": [posts[0].pk]})
    assert bad.status_code in (HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST)


def test_queue_item_decisions_and_foreign_ids(client, thread, member, moderator):
    post = services.post_submit(thread=thread, by=member, body="à décider")
    client.force_login(moderator)
    url = reverse("forum:queue_item", args=[post.pk])
    response = client.post(url, {"action": "reject", "reason": ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    response = client.post(url, {"action": "approve", "body": "à décider, corrigé"})
    assert response.status_code == HTTPStatus.FOUND
    post.refresh_from_db()
    assert post.status == P.PUBLISHED and post.body == "à décider, corrigé"
    missing = reverse("forum:queue_item", args=[999999])
    assert client.get(missing).status_code == HTTPStatus.NOT_FOUND


def test_header_shows_the_waiting_count_to_moderators_only(
    client, thread, member, moderator
):
    services.post_submit(thread=thread, by=member, body="attend")
    client.force_login(moderator)
    assert "1 à modérer" in client.get(reverse("forum:forum_index")).content.decode()
    client.force_login(member)
    assert "à modérer" not in client.get(reverse("forum:forum_index")).content.decode()


# --- page comments (the contract with news) -------------------------------------------
def render_comments(page, user):
    request = RequestFactory().get(page.url)
    request.user = user
    request.session = {}
    return Template("{% load forum_tags %}{% page_comments page %}").render(
        Context({"page": page, "request": request})
    )


def test_page_comments_tag_renders_form_and_anchor(article):
    html = render_comments(article, AnonymousUser())
    assert 'id="forum"' in html and "Qui êtes-vous" in html and A_PRIORI_FR in html


def test_page_without_the_opt_in_renders_nothing_and_refuses_posts(client, db):
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page
    assert render_comments(home, AnonymousUser()).strip() == ""
    url = reverse("forum:page_comment", args=[home.pk])
    response = client.post(
        url, {"body": "x", "guest_name": "A", "guest_email": "a@b.fr"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Post.objects.exists()


def test_visitor_comment_on_a_page(client, article, django_capture_on_commit_callbacks):
    url = reverse("forum:page_comment", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"body": "Merci !", "guest_name": "Camille", "guest_email": "c@exemple.fr"},
        )
    assert response.status_code == HTTPStatus.FOUND
    post = Post.objects.get()
    assert post.status == P.UNCONFIRMED
    html = client.get(article.url).content.decode()
    assert "Merci !" in html and "en attente de validation" in html
    client.cookies.clear()  # another browser
    assert "Merci !" not in client.get(article.url).content.decode()


def test_visitor_without_name_or_email_is_refused(client, article):
    url = reverse("forum:page_comment", args=[article.pk])
    response = client.post(url, {"body": "anonyme"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Post.objects.exists()


# --- query counts ------------------------------------------------------------------
@pytest.mark.parametrize("size", [3, 60])
def test_thread_page_queries_do_not_grow_with_posts(
    client, thread, member, django_assert_max_num_queries, size
):
    for n in range(size):
        PostFactory(thread=thread, reply_to=None, body=f"p{n}")
    client.force_login(member)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("forum:thread_detail", args=[thread.pk]))
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("size", [3, 40])
def test_forum_and_queue_pages_queries_are_fixed(
    client, forum, member, moderator, django_assert_max_num_queries, size
):
    for n in range(size):
        thread = ThreadFactory(forum=forum)
        PostFactory(thread=thread)
        services.post_submit(thread=thread, by=member, body=f"attente {n}")
    client.force_login(moderator)
    # Cold caches: +1 for the news feeds' links in the head (cached afterwards).
    with django_assert_max_num_queries(18):
        client.get(reverse("forum:forum_detail", args=[forum.slug]))
    with django_assert_max_num_queries(17):
        client.get(reverse("forum:queue"))
    with django_assert_max_num_queries(12):
        client.get(reverse("forum:forum_index"))


@pytest.mark.parametrize("size", [2, 120])
def test_commented_page_queries_are_fixed(
    client,
    article,
    member,
    django_assert_max_num_queries,
    django_assert_num_queries,
    size,
):
    thread = services.page_thread(page=article, create=True)
    for n in range(size):
        PostFactory(thread=thread, body=f"commentaire {n}")
    # Cold caches (21: one more than before the comments were paginated, their
    # count), then the visitors' page cache, then a member's warm page.
    with django_assert_max_num_queries(21):
        response = client.get(article.url)
    assert "commentaire 1" in response.content.decode()
    client.get(article.url)
    with django_assert_num_queries(0):
        assert client.get(article.url)["X-Page-Cache"] == "hit"
    client.force_login(member)
    client.get(article.url)
    with django_assert_max_num_queries(12):
        assert "commentaire 1" in client.get(article.url).content.decode()


def test_quote_and_reply_prefill_the_form(client, thread, member):
    first = PostFactory(thread=thread, body="{{Texte}} cité")
    client.force_login(member)
    url = reverse("forum:thread_detail", args=[thread.pk])
    html = client.get(url, {"citer": first.pk}).content.decode()
    assert "&lt;quote&gt;{{Texte}} cité&lt;/quote&gt;" in html
    assert f'name="reply_to" value="{first.pk}"' in html
    html = client.get(url, {"repondre": "999999"}).content.decode()
    assert 'name="reply_to" value' not in html.replace('value=""', "")


def test_moderator_moves_a_thread_from_its_page(client, thread, moderator):
    PostFactory(thread=thread)
    target = ThreadFactory().forum
    client.force_login(moderator)
    html = client.get(reverse("forum:thread_detail", args=[thread.pk])).content.decode()
    assert f'<option value="{target.pk}"' in html
    response = client.post(
        reverse("forum:thread_moderate", args=[thread.pk]),
        {"action": "move", "forum": target.pk},
    )
    assert response.status_code == HTTPStatus.FOUND
    thread.refresh_from_db()
    assert thread.forum == target


def test_wagtail_admin_queue_and_dashboard_count(client, thread, member, moderator):
    from django.contrib.auth.models import Permission

    moderator.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    services.post_submit(thread=thread, by=member, body="pour l’admin")
    client.force_login(moderator)
    html = client.get(reverse("forum_admin_queue")).content.decode()
    assert (
        "Modération du forum" in html
        and reverse("forum:queue_item", args=[Post.objects.get().pk]) in html
    )
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 message attend la modération" in dashboard
    client.force_login(member)
    assert client.get(reverse("forum_admin_queue")).status_code in (
        HTTPStatus.FORBIDDEN,
        HTTPStatus.FOUND,
    )


def test_forged_forwarded_header_does_not_escape_the_address_limit(
    client, thread, settings
):
    from tests.factories import MembershipFactory

    settings.TRUSTED_PROXY_COUNT = 0
    settings.FORUM_RATE_LIMITS = {"person": (100, 600), "address": (2, 600)}
    PostFactory(thread=thread, body="Premier message publié.")
    url = reverse("forum:post_reply", args=[thread.pk])
    statuses = []
    for n in range(4):
        client.force_login(MembershipFactory().user)  # a new person each time
        response = client.post(
            url,
            {"body": f"Message numéro {n}"},
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 400, 400]
    assert thread.posts.count() == 3


def test_long_threads_are_paginated_and_links_open_the_right_page(
    client, thread, member
):
    from forum.views import POSTS_PER_PAGE

    posts = [
        PostFactory(thread=thread, body=f"message {n:03d}")
        for n in range(POSTS_PER_PAGE + 10)
    ]
    url = reverse("forum:thread_detail", args=[thread.pk])
    first = client.get(url).content.decode()
    assert "message 000" in first and f"message {POSTS_PER_PAGE:03d}" not in first
    assert 'rel="next"' in first
    late = posts[POSTS_PER_PAGE + 5]
    assert late.get_absolute_url() == f"{url}?message={late.pk}#post-{late.pk}"
    second = client.get(late.get_absolute_url()).content.decode()
    assert f'id="post-{late.pk}"' in second and "message 000" not in second
    # Reply and quote links name a post: its page opens with the form filled in.
    client.force_login(member)
    quoting = client.get(url, {"citer": late.pk}).content.decode()
    assert f'id="post-{late.pk}"' in quoting
    assert f'value="{late.pk}"' in quoting  # reply_to
    # A post that is not there (or not visible) opens the first page.
    assert "message 000" in client.get(url, {"message": 999999}).content.decode()
