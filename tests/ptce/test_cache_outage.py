"""A Redis outage degrades to "no cache": pages still answer, logins and their rate
limits still work, /sante/ says what is down (issue 6, "Redis down")."""

from __future__ import annotations

import json
import os
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse

from ptce import cache as resilient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


def _redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "ptce.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"ptce-test-{os.getpid()}",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }


@pytest.fixture
def redis_down():
    with override_settings(CACHES=_redis_cache(CLOSED_PORT)):
        yield cache


def test_the_backend_misses_and_drops_writes_when_redis_is_down(redis_down):
    assert redis_down.set("page", "html") is False
    assert redis_down.get("page") is None
    assert redis_down.get("page", "default") == "default"
    assert redis_down.get_many(["a", "b"]) == {}
    assert redis_down.add("page", "html") is False


def test_only_rate_limit_keys_fall_back_to_process_memory(redis_down):
    key = "allauth:rl:account:login_failed:5/300:abc"
    assert redis_down.add(f"{key}:lock", True) is True
    assert redis_down.add(f"{key}:lock", True) is False  # the lock holds
    redis_down.set(key, [1.0, 2.0])
    assert redis_down.get(key) == [1.0, 2.0]
    redis_down.set("fragment", "x")
    assert redis_down.get("fragment") is None


def test_redis_is_not_retried_for_a_while_after_a_failure(redis_down):
    redis_down.get("warm")  # the first call finds Redis down
    with mock.patch("django_redis.cache.RedisCache._get") as reach:
        for _ in range(20):
            assert cache.get("anything") is None
    reach.assert_not_called()
    later = mock.patch.object(resilient.time, "monotonic", return_value=1e12)
    live = mock.patch("django_redis.cache.RedisCache._get", return_value="v")
    with later, live as reach:
        assert cache.get("anything") == "v"  # RETRY_AFTER later: tried again
    reach.assert_called_once()


@pytest.mark.parametrize(
    "name", ["home", "directory", "login", "signup", "glossary", "search"]
)
def test_public_pages_answer_without_redis(redis_down, client, name):
    url = {
        "home": "/",
        "directory": reverse("members:organisation_list"),
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "glossary": reverse("home:glossary"),
        "search": reverse("home:search") + "?q=coopération",
    }[name]
    assert client.get(url).status_code == HTTPStatus.OK


def test_signed_in_pages_answer_without_redis(redis_down, client, user):
    client.force_login(user)
    for url in ("/", reverse("members:dashboard"), reverse("notifications:list")):
        assert client.get(url).status_code == HTTPStatus.OK, url


def test_people_log_in_and_rate_limits_still_apply_without_redis(redis_down, client):
    person = UserFactory(email="camille@exemple.fr")
    login = reverse("account_login")
    response = client.post(
        login, {"login": person.email, "password": "motdepasse-solide-42"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(person.pk)

    target = UserFactory(email="cible@exemple.fr")
    other = client.__class__()
    for _attempt in range(5):  # login_failed: 5 per 5 minutes per address
        other.post(login, {"login": target.email, "password": "mauvais"})
    response = other.post(
        login, {"login": target.email, "password": "motdepasse-solide-42"}
    )
    assert "_auth_user_id" not in other.session
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS)


def test_health_says_the_cache_is_down(redis_down, client, settings):
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get(reverse("home:health"))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert json.loads(response.content)["checks"] == {
        "database": "ok",
        "cache": "error",
        "broker": "disabled",
    }


def test_the_backend_works_on_a_live_redis(db):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    with override_settings(CACHES=_redis_cache(url)):
        cache.set("ptce-live", {"a": 1}, 30)
        assert cache.get("ptce-live") == {"a": 1}
        assert cache.add("ptce-live", 2) is False
        assert cache.get_many(["ptce-live"]) == {"ptce-live": {"a": 1}}
        cache.delete("ptce-live")
        assert cache.get("ptce-live") is None
        assert caches["default"].redis_down is False
