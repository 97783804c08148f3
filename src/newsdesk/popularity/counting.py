"""Buffer reader views and write them to the database in batches.

A view is one increment in a buffer: in Redis when REDIS_URL is set (shared by
every worker), else in the worker's memory. Every few seconds a worker drains
the buffer into HourlyViews with one write per article and hour, however many
views came in, so reading an article never waits on a database write.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver
from django.test.signals import setting_changed
from redis import Redis
from redis.exceptions import RedisError

from newsdesk.content.models import Article
from newsdesk.popularity.models import HourlyViews

logger = logging.getLogger(__name__)

Key = tuple[int, datetime]
# Bounds the memory a flood of made-up article ids can take between flushes.
MAX_PENDING = 50_000


class MemoryBuffer:
    """Counts in this process's memory; lost if the process dies unflushed."""

    def __init__(self) -> None:
        self._counts: Counter[Key] = Counter()
        self._lock = threading.Lock()

    def add(self, article_id: int, hour: datetime) -> None:
        with self._lock:
            if len(self._counts) < MAX_PENDING or (article_id, hour) in self._counts:
                self._counts[(article_id, hour)] += 1

    def drain(self) -> Counter[Key]:
        with self._lock:
            counts, self._counts = self._counts, Counter()
        return counts


class RedisBuffer:
    """Counts in one Redis hash that every worker shares."""

    # Count into an existing field, or a new one while the hash is small enough.
    ADD = """
    if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1
       or redis.call('HLEN', KEYS[1]) < tonumber(ARGV[2]) then
        return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
    end
    return 0
    """

    def __init__(self, url: str) -> None:
        # A Redis that doesn't answer must not hold a page for long.
        self.redis = Redis.from_url(
            url, socket_timeout=0.25, socket_connect_timeout=0.25
        )
        self.key = f"{settings.NEWSDESK_CACHE_PREFIX}:views:pending"
        self._add = self.redis.register_script(self.ADD)

    def add(self, article_id: int, hour: datetime) -> None:
        field = f"{article_id}:{int(hour.timestamp())}"
        self._add(keys=[self.key], args=[field, MAX_PENDING])

    def drain(self) -> Counter[Key]:
        # Renaming is atomic: views arriving meanwhile start a new hash, and two
        # workers draining at once each get a different batch.
        batch = f"{self.key}:{uuid.uuid4().hex}"
        try:
            self.redis.rename(self.key, batch)
        except RedisError as error:
            if "no such key" in str(error).lower():
                return Counter()
            raise
        pipe = self.redis.pipeline()
        pipe.hgetall(batch)
        pipe.delete(batch)
        raw, _ = pipe.execute()
        counts: Counter[Key] = Counter()
        for field, value in raw.items():
            article_id, stamp = field.decode().split(":")
            hour = datetime.fromtimestamp(int(stamp), UTC)
            counts[(int(article_id), hour)] += int(value)
        return counts


@cache
def get_buffer() -> MemoryBuffer | RedisBuffer:
    if settings.REDIS_URL:
        return RedisBuffer(settings.REDIS_URL)
    buffer = MemoryBuffer()
    atexit.register(lambda: flush(buffer))
    return buffer


@receiver(setting_changed)
def _forget_buffer(setting: str, **kwargs) -> None:
    if setting == "REDIS_URL":
        get_buffer.cache_clear()


_last_flush = time.monotonic()


def count_view(article_id: int, hour: datetime) -> bool:
    """Add one view to the buffer, flushing it when it is due; never raise."""
    global _last_flush
    buffer = get_buffer()
    try:
        buffer.add(article_id, hour)
    except RedisError as error:
        logger.warning("A view was not counted: Redis failed: %s", error)
        return False
    if time.monotonic() - _last_flush >= settings.NEWSDESK_VIEWS_FLUSH_SECONDS:
        _last_flush = time.monotonic()
        flush(buffer)
    return True


def flush(buffer: MemoryBuffer | RedisBuffer | None = None) -> int:
    """Write buffered views to the database; return how many views were written."""
    buffer = buffer or get_buffer()
    try:
        counts = buffer.drain()
    except RedisError as error:
        logger.warning("Buffered views stay in Redis for now: %s", error)
        return 0
    if not counts:
        return 0
    try:
        with transaction.atomic():
            _write(counts)
    except Exception:
        # Whatever went wrong, the reader's request must not fail because of it.
        logger.warning("Lost %d buffered views", sum(counts.values()), exc_info=True)
        return 0
    return sum(counts.values())


def _write(counts: Counter[Key]) -> None:
    """Add the counts to HourlyViews: one UPDATE per existing row, one INSERT in all."""
    article_ids = {article_id for article_id, _ in counts}
    hours = {hour for _, hour in counts}
    existing = set(
        HourlyViews.objects.filter(
            article_id__in=article_ids, hour__in=hours
        ).values_list("article_id", "hour")
    )
    # Beacons carry any id a client sends: only published articles count.
    alive = set(
        Article.objects.published()
        .filter(pk__in=article_ids)
        .values_list("pk", flat=True)
    )
    new = []
    for (article_id, hour), views in sorted(counts.items()):
        if (article_id, hour) in existing:
            _add_views(article_id, hour, views)
        elif article_id in alive:
            new.append(HourlyViews(article_id=article_id, hour=hour, views=views))
    try:
        with transaction.atomic():
            HourlyViews.objects.bulk_create(new)
    except IntegrityError:
        # Another worker created some of these rows meanwhile: go one by one.
        for row in new:
            _add_views(row.article_id, row.hour, row.views)


def _add_views(article_id: int, hour: datetime, views: int) -> None:
    rows = HourlyViews.objects.filter(article_id=article_id, hour=hour)
    if rows.update(views=F("views") + views):
        return
    try:
        with transaction.atomic():
            HourlyViews.objects.create(article_id=article_id, hour=hour, views=views)
    except IntegrityError:
        # Another worker created the row first, or the article is gone.
        rows.update(views=F("views") + views)
