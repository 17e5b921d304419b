"""The cache backend: django-redis, made to survive a Redis outage.

`CACHES["default"]` in production is `ptce.cache.ResilientRedisCache`: django-redis
with short socket timeouts. When Redis cannot be reached:

- every read is a miss and every write is dropped, as django-redis's own
  IGNORE_EXCEPTIONS does: pages render without their cached parts, slower, still 200;
  nothing is cached per process, so no worker can serve what a publish elsewhere
  made stale;
- except for the rate-limit keys (allauth's): those fall back to a per-process
  memory cache, so limits still apply (per process, not per site) and logging in
  works. With misses only, allauth's rate limiter cannot take its lock and refuses
  every login, signup and password reset after a one-second wait;
- Redis is not tried again for RETRY_AFTER seconds: a Redis that drops packets
  would otherwise cost a connect timeout on every cache call of every request.

`/sante/` reports the outage (its cache check reads back what it wrote).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0
# Keys kept in process memory while Redis is down (the raw keys callers pass).
LOCAL_FALLBACK_PREFIXES = ("allauth:rl:",)
UNREACHABLE = (
    ConnectionInterrupted,
    RedisConnectionError,
    RedisTimeoutError,
    OSError,
)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = {**params.get("OPTIONS", {}), "IGNORE_EXCEPTIONS": False}
        super().__init__(server, {**params, "OPTIONS": options})
        self._fallback = LocMemCache(
            f"ptce-resilient-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 10_000}}
        )
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def redis_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _call(self, name: str, key: Any, miss: Any, *args, **kwargs) -> Any:
        local = isinstance(key, str) and key.startswith(LOCAL_FALLBACK_PREFIXES)
        if not self.redis_down:
            try:
                return getattr(super(), name)(key, *args, **kwargs)
            except UNREACHABLE as exc:
                self._mark_down(exc)
        return getattr(self._fallback, name)(key, *args, **kwargs) if local else miss

    def _mark_down(self, exc: BaseException) -> None:
        with self._lock:
            if not self.redis_down:
                logger.warning(
                    "Redis unreachable, cache off for %.0f s: %s", RETRY_AFTER, exc
                )
            self._down_until = time.monotonic() + RETRY_AFTER

    # --- the Django cache API, key by key ------------------------------------------
    def get(self, key, default=None, version=None, client=None):
        return self._call("get", key, default, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._call("set", key, False, value, timeout=timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._call("add", key, False, value, timeout=timeout, version=version)

    def delete(self, key, version=None, prefix=None, client=None):
        return self._call("delete", key, False, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._call("touch", key, False, timeout=timeout, version=version)

    def has_key(self, key, version=None, client=None):
        return self._call("has_key", key, False, version=version)

    def incr(self, key, delta=1, version=None, client=None, ignore_key_check=False):
        return self._call("incr", key, None, delta=delta, version=version)

    # --- several keys: never rate-limit keys, so a miss or a no-op when down -------
    def _many(self, name: str, miss: Any, *args, **kwargs) -> Any:
        if not self.redis_down:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as exc:
                self._mark_down(exc)
        return miss() if isinstance(miss, Callable) else miss

    def get_many(self, keys, version=None, client=None):
        return self._many("get_many", dict, keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._many("set_many", list, data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None, client=None):
        return self._many("delete_many", 0, keys, version=version)

    def clear(self, client=None):
        self._fallback.clear()
        return self._many("clear", False)
