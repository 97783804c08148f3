"""A reader counts once per article and hour, so Most Popular can't be bought."""

from __future__ import annotations

import copy
import io
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.utils import timezone

from newsdesk.content.models import Article
from newsdesk.popularity.counting import (
    MAX_READERS_PER_ADDRESS,
    MAX_VIEWS_PER_ADDRESS,
    MemoryBuffer,
    RedisBuffer,
    count_reader_view,
    flush,
    get_buffer,
)
from newsdesk.popularity.models import HourlyViews, this_hour

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture(params=["memory", "redis"])
def buffer(request, settings):
    """The view buffer in this process's memory, or in a real Redis."""
    if request.param == "redis":
        settings.REDIS_URL = request.getfixturevalue("redis_server").url
    else:
        settings.REDIS_URL = ""
    return get_buffer()


def beacon(client, article, address="203.0.113.7", agent=BROWSER, **extra):
    return client.post(
        f"/popularity/view/{article.pk}/",
        headers={"user-agent": agent},
        REMOTE_ADDR=address,
        **extra,
    )


def views_of(article) -> int:
    flush()
    return sum(
        HourlyViews.objects.filter(article=article).values_list("views", flat=True)
    )


def test_a_thousand_beacons_from_one_reader_count_once(client, make_article, buffer):
    article = make_article()
    statuses = {beacon(client, article).status_code for _ in range(1000)}
    assert statuses == {204}
    assert views_of(article) == 1
    pixel = client.get(f"/popularity/view/{article.pk}/", REMOTE_ADDR="203.0.113.7")
    assert pixel["Content-Type"] == "image/gif"
    assert views_of(article) == 1


def test_two_readers_count_twice(client, make_article, buffer):
    article, other = make_article(), make_article()
    for _ in range(5):
        beacon(client, article, "203.0.113.7")
        beacon(client, article, "198.51.100.20")
    assert views_of(article) == 2
    # The same reader on another article counts there.
    beacon(client, other, "203.0.113.7")
    assert views_of(other) == 1


def test_the_same_reader_counts_again_next_hour(client, make_article, buffer):
    article = make_article()
    beacon(client, article)
    beacon(client, article)
    next_hour = timezone.now() + timedelta(hours=1)
    reader = {"address": "203.0.113.7", "user_agent": BROWSER}
    assert count_reader_view(article.pk, **reader, now=next_hour)
    assert not count_reader_view(article.pk, **reader, now=next_hour)
    flush()
    rows = HourlyViews.objects.filter(article=article).order_by("hour")
    assert [(row.hour, row.views) for row in rows] == [
        (this_hour(), 1),
        (this_hour(next_hour), 1),
    ]


def test_forwarded_for_is_believed_from_the_proxy_only(client, make_article, buffer):
    article = make_article()
    # A client sending its own X-Forwarded-For is still one reader.
    for n in range(50):
        beacon(client, article, "198.51.100.20", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}")
    assert views_of(article) == 1
    # Behind nginx (NEWSDESK_PROXIES): the address nginx adds, whatever is before it.
    for n in range(50):
        forwarded = f"10.1.1.{n}, 192.0.2.44"
        beacon(client, article, "127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    beacon(client, article, "127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.45")
    assert views_of(article) == 3


def test_changing_the_user_agent_in_a_loop_buys_little(client, make_article, buffer):
    article = make_article()
    for n in range(200):
        beacon(client, article, agent=f"{BROWSER} Build/{n}")
    # A handful, so a few hosts can't lift an article to the top of a small site.
    assert views_of(article) == MAX_READERS_PER_ADDRESS == 5


def test_one_address_counts_a_bounded_number_of_views_in_all(settings, buffer):
    settings.NEWSDESK_VIEWS_FLUSH_SECONDS = 3600
    reader = {"address": "203.0.113.7", "user_agent": BROWSER}
    counted = [
        count_reader_view(article_id, **reader)
        for article_id in range(1, MAX_VIEWS_PER_ADDRESS + 500)
    ]
    assert sum(counted) == MAX_VIEWS_PER_ADDRESS
    # Another address still counts.
    assert count_reader_view(1, address="198.51.100.20", user_agent=BROWSER)
    if isinstance(buffer, RedisBuffer):
        # What the loop stored stays bounded too.
        readers = sum(1 for _ in buffer.redis.scan_iter(match=f"{buffer.readers}:*"))
        assert readers <= 2 * (MAX_VIEWS_PER_ADDRESS + 1) + 2


def test_an_ipv6_network_counts_as_one_address(client, make_article, buffer):
    article = make_article()
    for n in range(1, 60):
        beacon(client, article, f"2001:db8:0:1::{n:x}")
    assert views_of(article) == MAX_READERS_PER_ADDRESS
    beacon(client, article, "2001:db8:0:2::1")
    assert views_of(article) == MAX_READERS_PER_ADDRESS + 1


def held_by(buffer) -> list:
    """Return what the view buffer holds: Redis keys, or the memory's entries."""
    if isinstance(buffer, RedisBuffer):
        return sorted(buffer.redis.scan_iter(match=f"{buffer.readers}*")) + sorted(
            buffer.redis.hgetall(buffer.key).items()
        )
    return copy.deepcopy([buffer._counts, buffer._readers])


def test_beacons_for_made_up_ids_and_drafts_store_nothing(
    client, make_article, settings, buffer
):
    settings.NEWSDESK_VIEWS_FLUSH_SECONDS = 3600  # what is stored stays in the buffer
    draft = make_article(status=Article.Status.DRAFT)
    before = held_by(buffer)
    for n in range(100):
        for pk in (draft.pk, 10_000 + n):
            response = client.post(
                f"/popularity/view/{pk}/",
                headers={"user-agent": f"{BROWSER} Build/{n}"},
                REMOTE_ADDR=f"2001:db8:{n:x}::1",
            )
            assert response.status_code == 204
    assert held_by(buffer) == before
    assert flush() == 0
    assert not HourlyViews.objects.exists()


def stored_strings(buffer) -> str:
    """Return every key and value the view counting and the cache hold, as text."""
    found = []
    if isinstance(buffer, RedisBuffer):
        for key in buffer.redis.scan_iter():
            found.append(repr(key))
            kind = buffer.redis.type(key)
            if kind == b"string":
                found.append(repr(buffer.redis.get(key)))
            elif kind == b"hash":
                found.append(repr(buffer.redis.hgetall(key)))
    else:
        assert isinstance(buffer, MemoryBuffer)
        found.append(repr(vars(buffer)))
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client()
        for key in client.scan_iter():
            found.append(repr(key))
            if client.type(key) == b"string":
                found.append(repr(client.get(key)))
    else:
        found.extend(f"{key!r} {value!r}" for key, value in cache._cache.items())
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    found.append(out.getvalue())
    return "\n".join(found)


def test_no_address_or_user_agent_is_stored(client, make_article, settings, buffer):
    settings.NEWSDESK_VIEWS_FLUSH_SECONDS = 3600  # keep them in the buffer too
    article = make_article()
    agent = "Mozilla/5.0 NeedleBrowser/7.7"
    beacon(client, article, "203.0.113.99", agent)
    beacon(client, article, "127.0.0.1", agent, HTTP_X_FORWARDED_FOR="192.0.2.199")
    held = stored_strings(buffer)
    assert "views:reader" in held or "_readers" in held  # the readers are there
    flush()
    assert views_of(article) == 2
    held += stored_strings(buffer)
    for secret in ("203.0.113.99", "192.0.2.199", "NeedleBrowser"):
        assert secret not in held
