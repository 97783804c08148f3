"""Views are buffered and written in batches: never one database write per view."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.popularity.counting import MemoryBuffer, RedisBuffer, flush, get_buffer
from newsdesk.popularity.models import HourlyViews, this_hour

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
)


def reader(n: int) -> dict[str, str]:
    """Return the request details of reader number n: a browser at its own address."""
    return {"REMOTE_ADDR": f"10.0.{n // 250}.{n % 250 + 1}", "HTTP_USER_AGENT": BROWSER}


def writes_to_views(queries) -> list[str]:
    table = HourlyViews._meta.db_table
    return [
        q["sql"]
        for q in queries
        if table in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_many_views_make_one_write_per_article_and_hour(client, make_article, settings):
    settings.NEWSDESK_VIEWS_FLUSH_SECONDS = 3600
    first, second = make_article(), make_article()
    flush()
    with CaptureQueriesContext(connection) as reading:
        for n in range(40):
            client.post(f"/popularity/view/{first.pk}/", **reader(n))
        for n in range(10):
            client.post(f"/popularity/view/{second.pk}/", **reader(n))
    assert writes_to_views(reading) == []
    assert not HourlyViews.objects.exists()
    with CaptureQueriesContext(connection) as flushing:
        assert flush() == 50
    assert len(writes_to_views(flushing)) == 1  # both new rows in one INSERT
    assert HourlyViews.objects.get(article=first).views == 40
    assert HourlyViews.objects.get(article=second).views == 10
    for n in range(100, 107):
        client.post(f"/popularity/view/{first.pk}/", **reader(n))
    client.post(f"/popularity/view/{second.pk}/", **reader(100))
    with CaptureQueriesContext(connection) as flushing:
        assert flush() == 8
    assert len(writes_to_views(flushing)) == 2  # one UPDATE per existing row
    assert HourlyViews.objects.get(article=first).views == 47
    assert HourlyViews.objects.get(article=second).views == 11


def test_a_second_flush_adds_to_the_same_row(make_article):
    article = make_article()
    buffer = MemoryBuffer()
    now = this_hour()
    for _ in range(3):
        buffer.add(article.pk, now)
    flush(buffer)
    for _ in range(4):
        buffer.add(article.pk, now)
    flush(buffer)
    assert HourlyViews.objects.get(article=article).views == 7


def test_views_of_a_deleted_article_are_dropped_quietly(make_article):
    article = make_article()
    buffer = MemoryBuffer()
    buffer.add(article.pk, this_hour())
    article.delete()
    flush(buffer)
    assert not HourlyViews.objects.exists()


def test_workers_share_one_redis_buffer(db, make_article, redis_server):
    article = make_article()
    now = this_hour()
    one, two = RedisBuffer(redis_server.url), RedisBuffer(redis_server.url)
    for _ in range(5):
        one.add(article.pk, now)
        two.add(article.pk, now)
    assert flush(one) == 10
    assert flush(two) == 0  # already drained, nothing counted twice
    assert HourlyViews.objects.get(article=article).views == 10


def test_with_redis_url_views_go_through_redis(
    client, make_article, redis_server, settings
):
    settings.REDIS_URL = redis_server.url
    settings.NEWSDESK_VIEWS_FLUSH_SECONDS = 3600
    assert isinstance(get_buffer(), RedisBuffer)
    article = make_article()
    client.post(f"/popularity/view/{article.pk}/", **reader(1))
    client.post(f"/popularity/view/{article.pk}/", **reader(2))
    assert get_buffer().redis.hlen(get_buffer().key) == 1
    assert flush() == 2
    assert HourlyViews.objects.get(article=article).views == 2


def test_a_stopped_redis_loses_views_but_not_pages(
    client, make_article, redis_server, settings
):
    settings.REDIS_URL = redis_server.url
    article = make_article()
    redis_server.stop()
    response = client.post(
        f"/popularity/view/{article.pk}/", headers={"user-agent": BROWSER}
    )
    assert response.status_code == 204
    assert flush() == 0
    assert not HourlyViews.objects.exists()


@pytest.fixture(autouse=True)
def _empty_buffer(db):
    flush()
    yield
    flush()
