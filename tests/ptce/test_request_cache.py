"""What every page reads from the cache, in as few round trips as possible: the
content version and the person's header values in one `get_many`
(ptce.personcache), shared fragments from the process's memory for the current
content version (ptce.pagecache.versioned) — never one person's value on another's
page, never a copy older than the content version."""

from __future__ import annotations

import secrets
from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Site

from home.models import StandardPage
from home.views import _search_tier
from members.models import Organisation
from notifications.services import notify
from ptce import pagecache, personcache
from ptce.models import SiteIdentity
from ptce.search_providers import providers
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .test_cache_outage import redis_down  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    SiteIdentity.load()  # created on first read otherwise, which changes the version
    home = Site.objects.get(is_default_site=True).root_page.specific
    page = StandardPage(slug="projet", title="Notre projet", body="<p>Version 1</p>")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


class CacheCalls:
    """Count the round trips a page makes to the cache (each call is one)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []
        self._depth = 0  # the local-memory backend's get_many calls its own get

    def __enter__(self):
        self._patches = []
        for name in ("get", "get_many", "set", "add", "set_many", "delete"):
            original = getattr(cache, name)

            def spy(*args, _name=name, _original=original, **kwargs):
                if not self._depth:
                    self.calls.append((_name, args[0] if args else None))
                self._depth += 1
                try:
                    return _original(*args, **kwargs)
                finally:
                    self._depth -= 1

            patch = mock.patch.object(cache, name, spy)
            patch.start()
            self._patches.append(patch)
        return self

    def __exit__(self, *exc) -> None:
        for patch in self._patches:
            patch.stop()


def _bell(body: str) -> str:
    start = body.index('class="notification-bell"')
    return body[start : body.index("</a>", start)]


# --- one round trip for the header ---------------------------------------------------
@pytest.mark.parametrize(
    "url",
    ["/membres/mon-espace/", "/glossaire/", "/membres/structures/", "/notifications/"],
)
def test_a_signed_in_page_reads_the_cache_twice_the_session_and_one_batch(
    client, page, url
):
    person = UserFactory()
    MembershipFactory(user=person)
    client.force_login(person)
    client.get(url)  # warm: the person's values and the shared fragments
    with CacheCalls() as calls:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    # The session (cached_db), then the person's row (ptce.auth), the version, the
    # bell, the pooling and moderation counts and the admin link in one get_many;
    # every shared fragment, the menus and the identity from the process's memory.
    assert [name for name, _key in calls.calls] == ["get", "get_many"]
    batch = calls.calls[1][1]
    assert pagecache.VERSION_KEY in batch
    assert f"ptce:user:{person.pk}" in batch
    # Every registered value but those of another page (register(page=…)): the
    # centre's first page is fetched on the centre only.
    others = [name for name, page in personcache._pages.items() if reverse(page) != url]
    assert len(batch) == 2 + len(personcache._registered) - len(others)
    assert not [key for key in batch for name in others if f":{name}:" in key]
    if url == reverse("notifications:list"):
        assert f"ptce:person:notifications-first-page:{person.pk}" in batch


def test_header_values_are_each_persons_own(client, page):
    """Two people in turn in the same process: each page shows its person's bell
    and admin link, never the other's (the values are cached per person)."""
    editor, member = UserFactory(), UserFactory()
    editor.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    notify([editor], "notifications.announcement", {"title": "AG"})
    notify([editor], "notifications.announcement", {"title": "CA"})
    url = reverse("members:dashboard")
    for _round in range(2):  # cold, then warm
        client.force_login(editor)
        body = client.get(url).content.decode()
        assert "2 non lues" in _bell(body)
        assert reverse("wagtailadmin_home") in body
        client.force_login(member)
        body = client.get(url).content.decode()
        assert "aucune non lue" in _bell(body)
        assert reverse("wagtailadmin_home") not in body


# --- the person's own header, kept per person, page and header values ----------------
def _menu_current(body: str) -> str:
    nav = body[body.index('class="site-nav"') :]
    nav = nav[: nav.index("</nav>")]
    start = nav.rindex("<a ", 0, nav.index('aria-current="page"'))
    return nav[start : nav.index("</a>", start)]


def test_the_persons_header_follows_their_counts_name_and_page(client, page):
    person = UserFactory(first_name="Camille", last_name="Durand")
    MembershipFactory(user=person)
    client.force_login(person)
    url = reverse("home:glossary")  # a page that shows the name only in the header
    for _ in range(2):  # cold, then from the person's fragments
        body = client.get(url).content.decode()
        assert "aucune non lue" in _bell(body)
        assert "Camille Durand" in body
    notify([person], "notifications.announcement", {"title": "AG"})
    assert "1 non lue" in _bell(client.get(url).content.decode())
    # A bulk change of the name (no signal): the header varies on the name.
    type(person).objects.filter(pk=person.pk).update(first_name="Dominique")
    body = client.get(url).content.decode()
    assert "Dominique Durand" in body and "Camille" not in body
    # The menu marks the page being read, whichever was cached before.
    forum, directory = (
        reverse("forum:forum_index"),
        reverse("members:organisation_list"),
    )
    for _ in range(2):
        assert "Forum" in _menu_current(client.get(forum).content.decode())
        assert "Forum" not in _menu_current(client.get(directory).content.decode())


def test_the_logout_form_keeps_a_working_token_under_a_cached_header(client, page):
    person = UserFactory()
    client.force_login(person)
    client.get(page.url)
    body = client.get(page.url).content.decode()  # header from the fragments
    form = body[body.index('action="/comptes/logout/"') :]
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    client.handler.enforce_csrf_checks = True
    response = client.post("/comptes/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("members:dashboard")).status_code == HTTPStatus.FOUND


def test_values_read_for_one_person_are_read_again_when_the_request_changes_person():
    """A login during a request (request.user replaced) must not keep the values
    read for the person before."""
    first, second = UserFactory(), UserFactory()
    personcache.register("test-count")
    try:
        request = RequestFactory().get("/")
        request.user = first
        assert personcache.request_value(request, "test-count", lambda: 1) == 1
        request.user = second
        assert personcache.request_value(request, "test-count", lambda: 2) == 2
        # And each value went to its own person's key.
        request = RequestFactory().get("/")
        request.user = first
        assert personcache.request_value(request, "test-count", lambda: 99) == 1
    finally:
        del personcache._registered["test-count"]


# --- shared fragments in process memory, keyed by the content version ----------------
def test_shared_fragments_cost_no_cache_read_and_follow_a_bump_from_elsewhere(
    client, page
):
    person = UserFactory()
    client.force_login(person)
    assert "mailto:contact@ptce.fr" not in client.get(page.url).content.decode()
    # Another process saves the identity: the row changes and that process bumps
    # the version in the shared cache; this process's memory still holds the
    # old footer, under the old version.
    SiteIdentity.objects.update(contact_email="contact@ptce.fr")
    cache.delete("ptce:identity:v2")
    cache.set(pagecache.VERSION_KEY, secrets.token_hex(6), timeout=None)
    body = client.get(page.url).content.decode()
    assert "mailto:contact@ptce.fr" in body  # the new version: rebuilt
    with CacheCalls() as calls:
        client.get(page.url)
    assert not [key for _name, key in calls.calls if str(key).startswith("ptce:v:")]


def test_a_change_in_this_request_is_seen_by_what_it_renders_next(page):
    request = RequestFactory().get("/")
    request.user = UserFactory()
    before = pagecache.request_content_version(request)
    pagecache.bump_content_version()
    assert pagecache.request_content_version(request) != before


def test_without_redis_nothing_is_kept_in_process_memory(redis_down):  # noqa: F811
    built = []
    for _ in range(2):
        pagecache.versioned(None, ("test-value",), lambda: built.append(1) or "x")
    assert len(built) == 2
    assert not [key for key in pagecache.local_tier._data if "test-value" in key]


def test_a_preview_builds_its_fragments_without_caching(page):
    request = RequestFactory().get("/")
    request.user = UserFactory()
    built = []
    for _ in range(2):
        pagecache.versioned(
            request, ("preview",), lambda: built.append(1) or "x", timeout=0
        )
    assert len(built) == 2


# --- the directory's filters ----------------------------------------------------------
def test_directory_filters_mark_the_chosen_values_and_ignore_unknown_ones(client):
    OrganisationFactory(city="Lyon", category=Organisation.Category.ESS)
    OrganisationFactory(city="Bron")
    url = reverse("members:organisation_list")
    body = client.get(url + "?category=ess&city=Lyon&q=atelier").content.decode()
    assert '<option value="ess" selected>' in body
    assert '<option value="Lyon" selected>' in body
    assert '<option value="" selected>' in body  # legal form: all
    assert 'value="atelier"' in body
    body = client.get(url + "?city=Bron").content.decode()
    assert '<option value="Bron" selected>' in body
    assert '<option value="Lyon" selected>' not in body
    assert '<option value="ess" selected>' not in body
    body = client.get(url + "?category=nope").content.decode()
    assert "selected>Toutes les catégories" in body
    assert body.count("<select") == 3 and body.count('<label for="id_') >= 4


# --- search ---------------------------------------------------------------------------
def test_search_hits_that_are_the_same_for_everyone_are_kept_per_version(
    client, django_assert_max_num_queries
):
    assert {p.key for p in providers() if not p.shared} >= {"forum"}
    _search_tier.clear()
    SiteIdentity.load()  # created on first read otherwise, which changes the version
    OrganisationFactory(name="Atelier coopération")
    client.force_login(UserFactory())
    url = reverse("home:search") + "?q=coopération"
    assert "Atelier coopération" in client.get(url).content.decode()
    # Again: the user, then only the forum's own (what this person may read:
    # memberships, coordinator and moderator groups, the posts): 12 cold.
    with django_assert_max_num_queries(5):
        client.get(url)
    # A new structure bumps the version: found at once.
    OrganisationFactory(name="Coopération vélo")
    assert "Coopération vélo" in client.get(url).content.decode()


def test_a_value_keyed_by_what_visitors_type_stays_out_of_the_shared_cache(page):
    """shared=False (search results, filtered lists): process memory only, so a
    flood of distinct queries never fills Redis."""
    built = []
    tier = pagecache.LocalTier()
    for _ in range(2):
        value = pagecache.versioned(
            None,
            ("typed", "requête"),
            lambda: built.append(1) or "html",
            tier=tier,
            shared=False,
        )
        assert value == "html"
    assert len(built) == 1  # the second from process memory
    assert not [key for key in tier._data if cache.get(key) is not None]
    pagecache.bump_content_version()
    pagecache.versioned(
        None, ("typed", "requête"), lambda: built.append(1), tier=tier, shared=False
    )
    assert len(built) == 2  # a new content version: rebuilt
