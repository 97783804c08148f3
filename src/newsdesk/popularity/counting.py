"""Buffer reader views and write them to the database in batches.

A view is one increment in a buffer: in Redis when REDIS_URL is set (shared by
every worker), else in the worker's memory. Every few seconds a worker drains
the buffer into HourlyViews with one write per article and hour, however many
views came in, so reading an article never waits on a database write.

A reader counts once per article and hour. A reader is known only by a digest
of the client's address and user agent with the article, keyed on a secret
derived from SECRET_KEY and the hour: nothing stored names a person, and next
hour's digests can't be matched with this hour's. At most
MAX_READERS_PER_ADDRESS readers count from one address per article and hour,
and MAX_VIEWS_PER_ADDRESS views in all, so a loop changing the user agent or
the article buys little and stores little (an IPv6 address counts with its /64,
which one host usually holds whole). Beacons count published articles only and
store nothing for any other id (PublishedIds).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver
from django.test.signals import setting_changed
from django.utils.crypto import salted_hmac
from redis import Redis
from redis.exceptions import RedisError

from newsdesk.content.models import Article
from newsdesk.lib.clientaddress import network_key
from newsdesk.popularity.models import HourlyViews, this_hour

logger = logging.getLogger(__name__)

Key = tuple[int, datetime]
# Bounds the memory a flood of made-up article ids can take between flushes.
MAX_PENDING = 50_000
# Readers behind one address (an office, a mobile carrier's NAT) counted per
# article and hour, at most: few, since a loop changing its user agent gets them
# all, and a handful of hosts must not lift an article on a small site.
MAX_READERS_PER_ADDRESS = 5
# Views counted from one address per hour, all articles together.
MAX_VIEWS_PER_ADDRESS = 1000
# Bounds the readers one process remembers per hour without Redis.
MAX_READERS = 200_000
READER_SECONDS = 3600
# How long a worker keeps "is this id a published article?", and for how many ids.
PUBLISHED_SECONDS = 60
MAX_PUBLISHED_ANSWERS = 10_000


@dataclass(frozen=True)
class Reader:
    """One reader of one article in one hour, as digests only."""

    key: str  # address, user agent and article
    on_article: str  # address and article: MAX_READERS_PER_ADDRESS
    in_all: str  # address: MAX_VIEWS_PER_ADDRESS

    @classmethod
    def of(
        cls, *, address: str, user_agent: str, article_id: int, hour: datetime
    ) -> Reader:
        # The hour is in the key: digests rotate, and yesterday's can't be
        # linked to today's.
        salt = f"newsdesk.popularity.reader:{int(hour.timestamp())}"

        def digest(value: str) -> str:
            return salted_hmac(salt, value, algorithm="sha256").hexdigest()[:32]

        network = network_key(address)
        return cls(
            key=digest(f"{address}\n{user_agent}\n{article_id}"),
            on_article=digest(f"{network}\n{article_id}"),
            in_all=digest(network),
        )


class MemoryBuffer:
    """Counts in this process's memory; lost if the process dies unflushed."""

    def __init__(self) -> None:
        self._counts: Counter[Key] = Counter()
        self._lock = threading.Lock()
        # Per hour: the readers seen, and readers per address.
        self._readers: dict[datetime, tuple[set[str], Counter[str]]] = {}

    def add(
        self, article_id: int, hour: datetime, reader: Reader | None = None
    ) -> bool:
        with self._lock:
            if reader is not None and not self._first(reader, hour):
                return False
            if len(self._counts) < MAX_PENDING or (article_id, hour) in self._counts:
                self._counts[(article_id, hour)] += 1
                return True
            return False

    def forget_readers(self) -> None:
        with self._lock:
            self._readers.clear()

    def _first(self, reader: Reader, hour: datetime) -> bool:
        if hour not in self._readers:
            # Only the newest hours matter: a reader's digest changes with the hour.
            for old in sorted(self._readers)[:-1]:
                del self._readers[old]
            self._readers[hour] = (set(), Counter())
        seen, per_address = self._readers[hour]
        if (
            reader.key in seen
            or per_address[reader.on_article] >= MAX_READERS_PER_ADDRESS
            or per_address[reader.in_all] >= MAX_VIEWS_PER_ADDRESS
            or len(seen) >= MAX_READERS
        ):
            return False
        seen.add(reader.key)
        per_address[reader.on_article] += 1
        per_address[reader.in_all] += 1
        return True

    def drain(self) -> Counter[Key]:
        with self._lock:
            counts, self._counts = self._counts, Counter()
        return counts


class RedisBuffer:
    """Counts in one Redis hash that every worker shares."""

    # A reader counts once (SET NX with the reader's digest, expiring after the
    # hour), and only while the address has views to spare on the article and in
    # all; then count into an existing field, or a new one while the hash is
    # small enough.
    ADD = """
    if ARGV[3] == '1' then
        if tonumber(redis.call('GET', KEYS[3]) or '0') >= tonumber(ARGV[5])
           or tonumber(redis.call('GET', KEYS[4]) or '0') >= tonumber(ARGV[6]) then
            return 0
        end
        if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[4]) then
            return 0
        end
        for i = 3, 4 do
            redis.call('INCR', KEYS[i])
            redis.call('EXPIRE', KEYS[i], ARGV[4])
        end
    end
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
        self.readers = f"{settings.NEWSDESK_CACHE_PREFIX}:views:reader"
        self._add = self.redis.register_script(self.ADD)

    def add(
        self, article_id: int, hour: datetime, reader: Reader | None = None
    ) -> bool:
        field = f"{article_id}:{int(hour.timestamp())}"
        keys = [self.key, *(f"{self.readers}:-{n}" for n in range(3))]
        if reader is not None:
            keys[1:] = [
                f"{self.readers}:{reader.key}",
                f"{self.readers}:address:{reader.on_article}",
                f"{self.readers}:address:{reader.in_all}",
            ]
        args = [
            field, MAX_PENDING, "1" if reader else "0", READER_SECONDS,
            MAX_READERS_PER_ADDRESS, MAX_VIEWS_PER_ADDRESS,
        ]  # fmt: skip
        return bool(self._add(keys=keys, args=args))

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


def forget_readers() -> None:
    """Forget which readers this process has counted (Redis forgets with the cache).

    Which ids are published articles is forgotten too.
    """
    published_ids.forget()
    buffer = get_buffer()
    if isinstance(buffer, MemoryBuffer):
        buffer.forget_readers()


class PublishedIds:
    """Tell whether an id is a published article, remembering answers a minute.

    A beacon's id is anything a client sends: checking it first keeps made-up
    ids and drafts out of the buffer and Redis. Popular articles are asked about
    once a minute per worker; a flood of made-up ids costs a primary-key lookup
    each and a bounded number of remembered answers.
    """

    def __init__(self) -> None:
        self._answers: dict[int, tuple[bool, float]] = {}
        self._lock = threading.Lock()

    def __contains__(self, article_id: int) -> bool:
        now = time.monotonic()
        with self._lock:
            answer = self._answers.get(article_id)
        if answer is not None and answer[1] > now:
            return answer[0]
        published = Article.objects.published().filter(pk=article_id).exists()
        with self._lock:
            if len(self._answers) >= MAX_PUBLISHED_ANSWERS:
                self._answers.clear()
            self._answers[article_id] = (published, now + PUBLISHED_SECONDS)
        return published

    def forget(self) -> None:
        with self._lock:
            self._answers.clear()


published_ids = PublishedIds()


def is_published(article_id: int) -> bool:
    """Tell whether a beacon's id is a published article; a failed lookup is no."""
    try:
        return article_id in published_ids
    except DatabaseError as error:
        logger.warning("A view was not counted: the database failed: %s", error)
        return False


_last_flush = time.monotonic()


def count_view(article_id: int, hour: datetime, reader: Reader | None = None) -> bool:
    """Add one view to the buffer, flushing it when it is due; never raise.

    With a reader, the view counts only if the reader has not been counted for
    this article this hour. Return whether it counted.
    """
    global _last_flush
    buffer = get_buffer()
    try:
        counted = buffer.add(article_id, hour, reader)
    except RedisError as error:
        logger.warning("A view was not counted: Redis failed: %s", error)
        return False
    if time.monotonic() - _last_flush >= settings.NEWSDESK_VIEWS_FLUSH_SECONDS:
        _last_flush = time.monotonic()
        flush(buffer)
    return counted


def count_reader_view(
    article_id: int, *, address: str, user_agent: str, now: datetime | None = None
) -> bool:
    """Count a reader's view of an article, once per reader, article and hour."""
    hour = this_hour(now)
    reader = Reader.of(
        address=address, user_agent=user_agent, article_id=article_id, hour=hour
    )
    return count_view(article_id, hour, reader)


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
