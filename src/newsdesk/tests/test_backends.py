"""The suite runs on the engines the environment names, not silently on others."""

from __future__ import annotations

import os

from django.core.cache import cache, caches
from django.db import connection


def test_the_database_is_the_one_database_url_names(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite"
    assert connection.vendor == expected


def test_the_cache_is_redis_exactly_when_redis_url_is_set():
    backend = type(caches["default"]).__name__
    if os.environ.get("REDIS_URL"):
        assert backend == "TolerantRedisCache"
        cache.set("probe", "value", 10)
        assert cache.get("probe") == "value"
    else:
        assert backend == "LocMemCache"
