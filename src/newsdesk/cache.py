"""A Redis cache that degrades to a miss, instead of an error, when Redis is away."""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_last_warning = 0.0
# After a failure, Redis is left alone for a few seconds: a Redis that hangs would
# otherwise cost every cache call on a page its full timeout.
PAUSE_SECONDS = 5.0
_paused_until: dict[str, float] = {}  # per Redis location


def _warn(operation: str, error: Exception) -> None:
    # One line every half minute is enough while Redis is down.
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 30:
        _last_warning = now
        logger.warning(
            "Redis %s failed, going on without the cache: %s", operation, error
        )


def _tolerant(default):
    def decorate(method):
        @wraps(method)
        def call(self, *args, **kwargs):
            where = str(self._servers)
            if time.monotonic() < _paused_until.get(where, 0.0):
                return default(*args, **kwargs) if callable(default) else default
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                _paused_until[where] = time.monotonic() + PAUSE_SECONDS
                _warn(method.__name__, error)
                return default(*args, **kwargs) if callable(default) else default

        return call

    return decorate


def _given_default(key, default=None, *args, **kwargs):
    return default


class TolerantRedisCache(RedisCache):
    """Django's Redis cache; a Redis outage reads as misses and lost writes."""

    get = _tolerant(_given_default)(RedisCache.get)
    set = _tolerant(None)(RedisCache.set)
    add = _tolerant(False)(RedisCache.add)
    touch = _tolerant(False)(RedisCache.touch)
    delete = _tolerant(False)(RedisCache.delete)
    get_many = _tolerant(dict)(RedisCache.get_many)
    set_many = _tolerant(list)(RedisCache.set_many)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    clear = _tolerant(False)(RedisCache.clear)
