"""Slow or absent neighbours degrade a request, never the site: real servers."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from newsdesk.testing import parse


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "newsdesk.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


def test_pages_answer_while_redis_is_down(client, demo_site, redis_server, settings):
    settings.CACHES = redis_cache(redis_server.url)
    settings.REDIS_URL = redis_server.url
    front = parse(client.get("/"))
    article_url = front.css_first(".lead-story h2 a").attributes["href"]
    assert client.get("/healthz").json()["cache"] == "ok"

    redis_server.stop()
    started = time.monotonic()
    for url in ("/", article_url, "/china/"):
        response = client.get(url, headers={"user-agent": "Mozilla/5.0 reader"})
        assert response.status_code == 200, url
    assert time.monotonic() - started < 5
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": "ok", "cache": "error"}

    redis_server.start()
    assert client.get("/healthz").json()["cache"] == "ok"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def served_on_postgres(postgres_server, serve_demo):
    """Run `newsdesk serve` on the demo content in a PostgreSQL of its own."""
    return serve_demo(workers=1, DATABASE_URL=postgres_server.url)


def test_the_site_recovers_by_itself_after_postgresql_restarts(
    served_on_postgres, postgres_server
):
    base = served_on_postgres
    assert get(f"{base}/")[0] == 200
    status, body = get(f"{base}/healthz")
    assert status == 200
    assert json.loads(body)["database"] == "ok"

    postgres_server.stop()
    status, body = get(f"{base}/healthz")
    assert status == 503
    assert json.loads(body)["database"] == "error"

    postgres_server.start()
    # No restart of the app: the next requests reconnect.
    assert get(f"{base}/")[0] == 200
    assert get(f"{base}/healthz")[0] == 200
